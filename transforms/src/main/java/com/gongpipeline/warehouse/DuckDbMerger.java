package com.gongpipeline.warehouse;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * The two phases of one DuckDB merge. {@link #stage}: bulk-append the rows into a TEMP staging
 * table with {@link DuckDBAppender} (about 20x faster than batched INSERTs); TEMP tables are
 * private to their connection, so concurrent merges never share staging rows and can stage in
 * parallel. {@link #mergeStaged}: check JSON columns, then one MERGE from the de-duplicated staging
 * rows that names their keys for the target's key index ({@link SqlDialect#mergeNamingKeys}),
 * counting {@code merge_action}s, and drop the staging table (closing the connection would drop
 * it too).
 */
final class DuckDbMerger {
  private static final AtomicLong STAGING_IDS = new AtomicLong();

  /**
   * The most staged keys a MERGE names for the target's key index: DuckDB looks an IN list up in
   * an index only while it matches at most max(2048, 0.1 % of the rows) rows ({@code
   * index_scan_max_count}), and scans the table above that anyway.
   */
  static final int MAX_NAMED_KEYS = 2048;

  private final SqlDialect dialect;

  DuckDbMerger(SqlDialect dialect) {
    this.dialect = dialect;
  }

  /**
   * Phase 1, in auto-commit mode and without any lock: creates a TEMP staging table and appends
   * {@code rows} (column → value; absent columns are NULL) to it. Returns the staging table name.
   *
   * @param rowNames a readable name per row (table and key) for error messages
   */
  String stage(
      DuckDBConnection conn,
      TableSpec spec,
      List<Column> columns,
      List<? extends Map<String, @Nullable Object>> rows,
      List<String> rowNames)
      throws SQLException {
    String stage = "GP_STAGE_" + spec.table() + "_" + STAGING_IDS.incrementAndGet();
    try (Statement st = conn.createStatement()) {
      st.execute(dialect.createStagingTable(stage, columns));
    }
    append(conn, stage, columns, rows, rowNames);
    return stage;
  }

  /**
   * Phase 2, inside the caller's transaction: rejects invalid JSON, runs the one MERGE from the
   * de-duplicated staging rows, counts its {@code merge_action}s and drops the staging table.
   */
  MergeResult mergeStaged(
      DuckDBConnection conn,
      TableSpec spec,
      List<Column> columns,
      String stage,
      List<? extends Map<String, @Nullable Object>> rows,
      List<String> rowNames)
      throws SQLException {
    try (Statement st = conn.createStatement()) {
      checkJson(st, stage, columns, rowNames, spec);
      long inserted = 0;
      long updated = 0;
      try (PreparedStatement merge = dialect.prepare(conn,
              dialect.mergeNamingKeys(spec, columns, stage, keysToName(spec, rows)));
          ResultSet rs = merge.executeQuery()) {
        while (rs.next()) {
          String action = rs.getString(1);
          if ("INSERT".equals(action)) {
            inserted++;
          } else if ("UPDATE".equals(action)) {
            updated++;
          }
        }
      }
      st.execute(dialect.dropStagingTable(stage));
      long distinctKeys = distinctKeys(spec, rows);
      return new MergeResult(inserted, updated, distinctKeys - inserted - updated);
    }
  }

  private static void append(
      DuckDBConnection conn,
      String stage,
      List<Column> columns,
      List<? extends Map<String, @Nullable Object>> rows,
      List<String> rowNames)
      throws SQLException {
    try (DuckDBAppender ap = conn.createAppender("temp", "main", stage)) {
      for (int i = 0; i < rows.size(); i++) {
        Map<String, @Nullable Object> row = rows.get(i);
        ap.beginRow();
        for (Column c : columns) {
          DuckDbValues.append(ap, c, row.get(c.name()), rowNames.get(i));
        }
        ap.append((long) i);
        ap.endRow();
      }
      ap.flush();
    }
  }

  private void checkJson(
      Statement st, String stage, List<Column> columns, List<String> rowNames, TableSpec spec)
      throws SQLException {
    List<Column> json = new ArrayList<>();
    for (Column c : columns) {
      if (c.isJson()) {
        json.add(c);
      }
    }
    if (json.isEmpty()) {
      return;
    }
    try (ResultSet rs = st.executeQuery(dialect.invalidJsonQuery(stage, json))) {
      rs.next();
      for (int i = 0; i < json.size(); i++) {
        long seq = rs.getLong(i + 1);
        if (!rs.wasNull()) {
          throw WarehouseException.invalidRow(
              rowNames.get((int) seq) + ": column " + json.get(i).name() + " of "
                  + spec.qualifiedName() + " is not valid JSON");
        }
      }
    }
  }

  /**
   * The distinct staged values of a one-column key, for {@link SqlDialect#mergeNamingKeys}; empty
   * (the plain MERGE) for a composite key or more than {@link #MAX_NAMED_KEYS} values.
   */
  static List<Object> keysToName(TableSpec spec, List<? extends Map<String, @Nullable Object>> rows) {
    if (spec.keyColumns().size() != 1) {
      return List.of();
    }
    String key = spec.keyColumns().get(0);
    Set<Object> keys = new LinkedHashSet<>();
    for (Map<String, @Nullable Object> row : rows) {
      Object k = row.get(key);
      if (k != null) {
        keys.add(k);
      }
    }
    return keys.size() > MAX_NAMED_KEYS ? List.of() : new ArrayList<>(keys);
  }

  private static long distinctKeys(TableSpec spec, List<? extends Map<String, @Nullable Object>> rows) {
    Set<List<@Nullable Object>> keys = new HashSet<>();
    for (Map<String, @Nullable Object> row : rows) {
      List<@Nullable Object> key = new ArrayList<>(spec.keyColumns().size());
      for (String k : spec.keyColumns()) {
        key.add(row.get(k));
      }
      keys.add(key);
    }
    return keys.size();
  }
}
