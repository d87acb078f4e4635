package com.gongpipeline.warehouse;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.Types;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What {@link SnowflakeWarehouse} sends over JDBC, checked against a recording fake connection:
 * staging in executeBatch slices under the driver's stage-binding threshold, one MERGE per
 * merge inside a transaction, one JDBC type per column, rollback before the staging table is
 * dropped, and rows that can never be written refused before anything is sent.
 */
class SnowflakeWarehouseProtocolTest {
  private final FakeJdbc jdbc = new FakeJdbc();
  private final SnowflakeWarehouse wh = new SnowflakeWarehouse(
      "jdbc:snowflake://acct.snowflakecomputing.com/", jdbc.source(), Clock.system(ZoneOffset.UTC));

  @Test
  void stagesInBatchesBelowTheBindThresholdThenMergesOnceInATransaction() {
    List<WarehouseRow> rows = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      rows.add(TestRows.stgCall("c" + (i % 4_500), "Call " + i, "job-1"));
    }
    jdbc.mergeInserted = 4_000;
    jdbc.mergeUpdated = 300;

    MergeResult r = wh.merge(WarehouseTable.STG_CALLS, rows);

    assertThat(r, is(new MergeResult(4_000, 300, 200)));
    int bound = 0;
    for (FakeJdbc.Batch b : jdbc.batches) {
      int binds = b.rows().size() * b.rows().get(0).size();
      assertThat(binds, lessThanOrEqualTo(SnowflakeWarehouse.MAX_BINDS_PER_BATCH));
      assertThat(binds, lessThan(65_280));
      bound += b.rows().size();
    }
    assertThat(jdbc.batches.size(), greaterThan(1));
    assertThat(bound, is(5_000));
    List<String> protocol = jdbc.log.stream().filter(l -> !l.startsWith("batch")).toList();
    assertThat(protocol, contains(
        startsWith("CREATE TEMPORARY TABLE \"STG_TRANSFORMED\".\"GP_STAGE_STG_GONG_CALLS_"),
        is("autoCommit=false"),
        startsWith("MERGE INTO \"STG_TRANSFORMED\".\"STG_GONG_CALLS\" AS t"),
        is("commit"),
        is("autoCommit=true"),
        startsWith("DROP TABLE IF EXISTS \"STG_TRANSFORMED\".\"GP_STAGE_STG_GONG_CALLS_")));
  }

  @Test
  void vectorsSplitBatchesByBoundTextSizeAndTravelAsJson() {
    List<WarehouseRow> rows = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      rows.add(TestRows.memory("c1", i, "chunk " + i, TestRows.vector(768, i)).build());
    }
    wh.merge(WarehouseTable.MEMORY_RECORDS, rows);

    assertThat(jdbc.batches.size(), greaterThan(1));
    int embedding = 14; // 1-based bind index of EMBEDDING in the DDL's column order
    for (FakeJdbc.Batch b : jdbc.batches) {
      long chars = 0;
      for (Map<Integer, Object> row : b.rows()) {
        for (Object v : row.values()) {
          chars += v instanceof String s ? s.length() : 8;
        }
        assertThat((String) row.get(embedding), startsWith("["));
      }
      assertThat(chars, lessThanOrEqualTo((long) SnowflakeWarehouse.MAX_CHARS_PER_BATCH));
    }
  }

  @Test
  void everyColumnIsBoundWithOneJdbcTypeNullsIncluded() {
    // Rows set different subsets of columns, so most columns mix values and NULLs.
    wh.merge(WarehouseTable.STG_CALLS, List.of(
        TestRows.stgCall("c1", "t", "j"),
        WarehouseRow.of(WarehouseTable.STG_CALLS).set("CALL_ID", "c2").set("JOB_ID", "j")
            .set("LOADED_AT", TestRows.T0).build()));
    List<Column> columns = DdlTables.fromResources(SnowflakeDialect.SCHEMA_SCRIPTS)
        .columns(TableSpec.of(WarehouseTable.STG_CALLS));
    FakeJdbc.Batch b = jdbc.batches.get(0);
    Map<Integer, Set<String>> kinds = new HashMap<>();
    for (int r = 0; r < b.rows().size(); r++) {
      for (Map.Entry<Integer, Object> e : b.rows().get(r).entrySet()) {
        Object v = e.getValue();
        String kind = v == null ? jdbcKind(b.nullTypes().get(r).get(e.getKey()))
            : v instanceof Long ? "BIGINT" : v instanceof Double ? "DOUBLE"
            : v instanceof Boolean ? "BOOLEAN" : "VARCHAR";
        kinds.computeIfAbsent(e.getKey(), k -> new HashSet<>()).add(kind);
      }
    }
    for (int i = 0; i < columns.size(); i++) {
      assertThat(columns.get(i).name(), kinds.get(i + 1).size(), is(1));
    }
    assertThat(kinds.get(5), is(Set.of("BIGINT"))); // CALL_DURATION_SECONDS NUMBER
    assertThat(kinds.get(3), is(Set.of("VARCHAR"))); // CALL_DATETIME_UTC as UTC text
  }

  @Test
  void aFailedMergeRollsBackBeforeTheStagingTableIsDropped() {
    jdbc.failOn = sql -> sql.startsWith("MERGE");
    WarehouseException e = assertThrows(WarehouseException.class, () -> wh.replaceChildren(
        WarehouseTable.STG_TOPICS, "CALL_ID", List.of("c1"),
        List.of(TestRows.topic("c1", "Pricing", 10.0, "j"))));
    assertThat(e.getMessage(), containsString("merge into STG_TRANSFORMED.STG_GONG_CALL_TOPICS"));
    List<String> tail = jdbc.log.subList(jdbc.log.indexOf("autoCommit=false"), jdbc.log.size());
    assertThat(tail, contains(is("autoCommit=false"),
        startsWith("DELETE FROM \"STG_TRANSFORMED\".\"STG_GONG_CALL_TOPICS\" AS t"),
        startsWith("MERGE INTO"), is("rollback"), is("autoCommit=true"),
        startsWith("DROP TABLE IF EXISTS"), is("close")));
  }

  @Test
  void rowsThatCanNeverBeWrittenAreRefusedBeforeConnecting() {
    WarehouseException dim = TestRows.assertPermanent(
        () -> wh.merge(WarehouseTable.MEMORY_RECORDS,
            List.of(TestRows.memory("c1", 0, "x", TestRows.vector(384, 1)).build())));
    assertThat(dim.getMessage(), containsString("needs 768 dimensions, got 384"));
    WarehouseException json = TestRows.assertPermanent(
        () -> wh.merge(WarehouseTable.STG_CALLS, List.of(WarehouseRow.of(WarehouseTable.STG_CALLS)
            .set("CALL_ID", "c1").set("KEY_POINTS", new WarehouseRow.Json("{not json"))
            .set("JOB_ID", "j").set("LOADED_AT", TestRows.T0).build())));
    assertThat(json.getMessage(), containsString("KEY_POINTS is not valid JSON"));
    TestRows.assertPermanent( () -> wh.merge(WarehouseTable.STG_CALLS,
        List.of(WarehouseRow.of(WarehouseTable.STG_CALLS).set("CALL_ID", "c1")
            .set("CALL_DURATION_SECONDS", "long").build())));
    assertThat(jdbc.opened, is(0));
  }

  @Test
  void searchWithAnotherDimensionMatchesNothingWithoutAQuery() {
    assertThat(wh.search(SearchQuery.builder(TestRows.vector(384, 1), "e5-small-v2").build()),
        is(empty()));
    assertThat(jdbc.opened, is(0));
    assertThat(wh.embeddingDimension(), is(768));
  }

  @Test
  void theSchemaScriptsRunStatementByStatement() {
    wh.applySchema();
    wh.applySchema();
    List<String> ddl = jdbc.log.stream().filter(l -> l.startsWith("CREATE")).toList();
    int tables = DdlTables.fromResources(SnowflakeDialect.SCHEMA_SCRIPTS).tables().size();
    assertThat(tables, is(21));
    // 4 schemas and 1 view (sql 150: CALL_RISK_SIGNALS), once: the second call runs nothing
    assertThat(ddl.size(), is(4 + tables + 1));
    assertThat(ddl.stream().filter(l -> l.startsWith("CREATE OR REPLACE VIEW")).count(), is(1L));
    assertThat(ddl.get(0), is("CREATE SCHEMA IF NOT EXISTS RAW"));
  }

  @Test
  void sessionsOutliveAWarehouseForTheNextOneOnTheSameKeyButFailedOnesDoNot() {
    String key = "test-" + System.nanoTime();
    List<WarehouseRow> rows = List.of(TestRows.topic("c1", "Pricing", 1.0, "j"));
    try (SnowflakeWarehouse first = new SnowflakeWarehouse("jdbc:snowflake://a/", jdbc.source(),
        Clock.systemUTC(), key)) {
      first.merge(WarehouseTable.STG_TOPICS, rows);
    }
    try (SnowflakeWarehouse second = new SnowflakeWarehouse("jdbc:snowflake://a/", jdbc.source(),
        Clock.systemUTC(), key)) {
      second.merge(WarehouseTable.STG_TOPICS, rows);
      assertThat(jdbc.opened, is(1));
      jdbc.failOn = sql -> sql.startsWith("MERGE");
      assertThrows(WarehouseException.class, () -> second.merge(WarehouseTable.STG_TOPICS, rows));
      jdbc.failOn = sql -> false;
      second.merge(WarehouseTable.STG_TOPICS, rows);
      assertThat(jdbc.opened, is(2)); // the failed session was closed, not pooled
    }
    assertThat(jdbc.log.stream().filter(l -> l.equals("close")).count(), is(1L));
  }

  @Test
  void openRoutesSnowflakeUrlsToTheSnowflakeWarehouse() {
    // Without SNOWFLAKE_* credentials in the environment the error names them; with them, the
    // warehouse is created (it connects lazily). Either way the URL took the Snowflake path.
    try (Warehouse w = Warehouse.open("jdbc:snowflake://acct.snowflakecomputing.com/?user=x")) {
      assertThat(w instanceof SnowflakeWarehouse, is(true));
      assertThat(w.toString(), is("SnowflakeWarehouse[jdbc:snowflake://acct.snowflakecomputing.com/?user=x]"));
    } catch (IllegalArgumentException e) {
      assertThat(e.getMessage(), containsString("SNOWFLAKE_USER"));
    }
  }

  private static String jdbcKind(Integer type) {
    return switch (type) {
      case Types.BIGINT -> "BIGINT";
      case Types.DOUBLE -> "DOUBLE";
      case Types.BOOLEAN -> "BOOLEAN";
      default -> "VARCHAR";
    };
  }
}
