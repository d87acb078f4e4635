package com.gongpipeline.pipeline.flink;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Every row of every data table of a DuckDB warehouse as text, without the columns that differ
 * from run to run by design (job id, load and ingestion times, ids derived from the job id) and
 * without the embedding vectors, which {@link #embeddings} returns for a comparison with a
 * tolerance (ONNX Runtime may round the last bits differently for another batch shape). Two runs
 * that wrote the same data have equal contents.
 */
final class TableContents {
  /** Columns whose values depend on the run, not on the data. */
  static final Set<String> VOLATILE = Set.of(
      "JOB_ID", "INGESTED_AT", "LOADED_AT", "FAILED_AT", "DEAD_LETTER_ID", "STACK_TRACE",
      "CALL_VERSION", "DELETED_AT"); // a call's version is its fetch time
  /**
   * Bookkeeping of runs rather than data: one row per job, marks and leases, and the Gong request
   * ledger (its counts include each run's own retries of the simulator's injected faults).
   */
  static final Set<String> RUN_TABLES = Set.of(
      "OPS_MONITORING.ETL_JOB_LOGS", "OPS_MONITORING.SYNC_STATE", "OPS_MONITORING.SYNC_LEASE",
      "OPS_MONITORING.GONG_API_USAGE", "OPS_MONITORING.CALL_FETCH_SCHEDULE");

  private TableContents() {}

  /** Table name to its rows (sorted), each row {@code COL=value|COL=value…}. */
  static Map<String, List<String>> of(String jdbcUrl) throws SQLException {
    Map<String, List<String>> tables = new TreeMap<>();
    try (Connection c = DriverManager.getConnection(jdbcUrl);
        Statement st = c.createStatement()) {
      Map<String, List<String>> columns = new TreeMap<>();
      try (ResultSet rs = st.executeQuery("SELECT table_schema || '.' || table_name, column_name, "
          + "data_type FROM information_schema.columns WHERE table_schema IN ('RAW', "
          + "'STG_TRANSFORMED', 'AI_MEMORY', 'OPS_MONITORING') ORDER BY 1, ordinal_position")) {
        while (rs.next()) {
          String table = rs.getString(1);
          String column = rs.getString(2);
          if (RUN_TABLES.contains(table) || VOLATILE.contains(column)
              || rs.getString(3).endsWith("[]")) {
            continue;
          }
          columns.computeIfAbsent(table, t -> new ArrayList<>())
              .add(expression(column));
        }
      }
      for (Map.Entry<String, List<String>> t : columns.entrySet()) {
        String row = String.join(" || '|' || ", t.getValue());
        List<String> rows = new ArrayList<>();
        try (ResultSet rs = st.executeQuery(
            "SELECT " + row + " AS r FROM " + t.getKey() + " ORDER BY r")) {
          while (rs.next()) {
            rows.add(rs.getString(1));
          }
        }
        tables.put(t.getKey(), rows);
      }
    }
    return tables;
  }

  /** {@code AI_MEMORY.MEMORY_RECORDS} embeddings by MEMORY_ID. */
  static Map<String, float[]> embeddings(String jdbcUrl) throws SQLException {
    Map<String, float[]> out = new TreeMap<>();
    try (Connection c = DriverManager.getConnection(jdbcUrl);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(
            "SELECT MEMORY_ID, EMBEDDING FROM AI_MEMORY.MEMORY_RECORDS")) {
      while (rs.next()) {
        Object[] values = (Object[]) rs.getArray(2).getArray();
        float[] v = new float[values.length];
        for (int i = 0; i < v.length; i++) {
          v[i] = ((Number) values[i]).floatValue();
        }
        out.put(rs.getString(1), v);
      }
    }
    return out;
  }

  /** Largest element-wise difference between two equally keyed vector maps. */
  static double maxDifference(Map<String, float[]> a, Map<String, float[]> b) {
    double max = 0;
    for (Map.Entry<String, float[]> e : a.entrySet()) {
      float[] x = e.getValue();
      float[] y = b.get(e.getKey());
      if (y == null || y.length != x.length) {
        return Double.POSITIVE_INFINITY;
      }
      for (int i = 0; i < x.length; i++) {
        max = Math.max(max, Math.abs(x[i] - y[i]));
      }
    }
    return max;
  }

  private static String expression(String column) {
    return "'" + column + "=' || coalesce(CAST(\"" + column + "\" AS VARCHAR), 'NULL')";
  }
}
