package com.gongpipeline.warehouse;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.duckdb.DuckDBConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * sql/duckdb/160: AI_MEMORY.MEMORY_RECORDS has an index on SOURCE_ID, and the stored-chunk
 * look-up as the dialect words it (a bound IN list) probes it instead of scanning the table;
 * updates, deletes and re-opening (DDL applied again) work with it. The MERGE of a batch names
 * its keys and so looks them up in the primary key's index rather than scanning the table.
 */
class DuckDbLookupIndexTest {
  @TempDir Path dir;

  @Test
  void theStoredChunkLookUpUsesTheSourceIdIndex() throws SQLException {
    String url = "jdbc:duckdb:" + dir.resolve("indexed.duckdb");
    List<WarehouseRow> rows = chunksOfCalls(200);
    try (Warehouse wh = Warehouse.open(url)) {
      wh.applySchema();
      wh.merge(WarehouseTable.MEMORY_RECORDS, rows);
      // An update of every column (the MERGE sets SOURCE_ID too) and a delete, on the indexed table.
      List<WarehouseRow> changed = new ArrayList<>();
      for (WarehouseRow r : rows.subList(0, 20)) {
        WarehouseRow.Builder b = WarehouseRow.of(WarehouseTable.MEMORY_RECORDS);
        r.values().forEach(b::set);
        changed.add(b.set("SENTIMENT_SCORE", 0.5).build());
      }
      assertThat(wh.merge(WarehouseTable.MEMORY_RECORDS, changed), is(new MergeResult(0, 20, 0)));
      wh.deleteWhere(WarehouseTable.MEMORY_RECORDS, "SOURCE_ID", List.of("c1"));
    }
    try (Warehouse again = Warehouse.open(url)) {
      again.applySchema(); // the DDL (ALTERs of this table included) runs again over the index
      assertThat(again.storedChunks(List.of("c0", "c1", "c2")).keySet().stream()
          .map(id -> id.substring(0, id.lastIndexOf(':'))).collect(
              java.util.stream.Collectors.toSet()), is(Set.of("gong:c0", "gong:c2")));
      assertThat(again.storedChunks(List.of("c0")).get("gong:c0:3").sentimentScore(), is(0.5));
    }

    BoundSql lookup = new DuckDbDialect().storedChunks(List.of("c5", "c150", "absent"));
    try (Connection c = DriverManager.getConnection(url)) {
      try (ResultSet rs = c.createStatement().executeQuery("SELECT index_name FROM duckdb_indexes()"
          + " WHERE schema_name = 'AI_MEMORY' AND table_name = 'MEMORY_RECORDS'"
          + " AND index_name = 'MEMORY_RECORDS_SOURCE_ID'")) {
        assertThat(rs.next(), is(true));
      }
      assertThat(plan(c, lookup), containsString("Index Scan"));
      assertThat(plan(c, lookup), not(containsString("Sequential Scan")));
    }
  }

  @Test
  void theMergeLooksTheStagedKeysUpInThePrimaryKeyIndex() throws SQLException {
    String url = "jdbc:duckdb:" + dir.resolve("merge.duckdb");
    List<WarehouseRow> stored = chunksOfCalls(300);
    // A batch as the job sends it: a new call's chunks, changed and unchanged stored chunks; more
    // than 50 keys, above which DuckDB no longer turns a join's build side into an IN filter
    // (dynamic_or_filter_threshold) and scans the target without the named keys.
    List<WarehouseRow> batch = new ArrayList<>();
    for (int chunk = 0; chunk < 60; chunk++) {
      batch.add(TestRows.memory("new", chunk, "new text " + chunk, TestRows.vector(8, chunk))
          .build());
    }
    for (WarehouseRow r : stored.subList(500, 510)) {
      WarehouseRow.Builder b = WarehouseRow.of(WarehouseTable.MEMORY_RECORDS);
      r.values().forEach(b::set);
      batch.add(stored.indexOf(r) % 2 == 0 ? b.set("SENTIMENT_SCORE", 0.25).build() : b.build());
    }
    try (Warehouse wh = Warehouse.open(url)) {
      wh.applySchema();
      wh.merge(WarehouseTable.MEMORY_RECORDS, stored);
      assertThat(wh.merge(WarehouseTable.MEMORY_RECORDS, batch), is(new MergeResult(60, 5, 5)));
      assertThat(wh.storedChunks(List.of("c50")).get("gong:c50:2").sentimentScore(), is(0.25));
      assertThat(wh.storedChunks(List.of("c50")).get("gong:c50:3").sentimentScore(),
          is(stored.get(503).get("SENTIMENT_SCORE")));
    }

    DuckDbDialect dialect = new DuckDbDialect();
    TableSpec spec = TableSpec.of(WarehouseTable.MEMORY_RECORDS);
    List<Map<String, @Nullable Object>> values = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (WarehouseRow r : batch) {
      values.add(r.values());
      names.add(r.toString());
    }
    List<Column> columns = DdlTables.fromResources(DuckDbDialect.SCHEMA_SCRIPTS).columns(spec);
    try (Connection c = DriverManager.getConnection(url)) {
      String stage = new DuckDbMerger(dialect).stage(c.unwrap(DuckDBConnection.class), spec,
          columns, values, names);
      List<Object> keys = DuckDbMerger.keysToName(spec, values);
      assertThat(keys.size(), is(70));
      // The MERGE as the writer sends it finds the staged keys through the primary key's index;
      // the same MERGE without the named keys joins against a scan of the whole table.
      assertThat(plan(c, dialect.mergeNamingKeys(spec, columns, stage, keys)),
          containsString("Index Scan"));
      assertThat(plan(c, new BoundSql(dialect.merge(spec, columns, stage), List.of())),
          not(containsString("Index Scan")));
    }
  }

  /** Ten chunks of each of calls c0, c1, ..., with distinct 8-d vectors. */
  private static List<WarehouseRow> chunksOfCalls(int calls) {
    List<WarehouseRow> rows = new ArrayList<>();
    for (int call = 0; call < calls; call++) {
      for (int chunk = 0; chunk < 10; chunk++) {
        rows.add(TestRows.memory("c" + call, chunk, "text " + call + "/" + chunk,
            TestRows.vector(8, call * 10 + chunk)).build());
      }
    }
    return rows;
  }

  private static String plan(Connection c, BoundSql sql) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("EXPLAIN ANALYZE " + sql.sql())) {
      for (int i = 0; i < sql.params().size(); i++) {
        ps.setObject(i + 1, sql.params().get(i));
      }
      StringBuilder plan = new StringBuilder();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          plan.append(rs.getString(2));
        }
      }
      return plan.toString();
    }
  }
}
