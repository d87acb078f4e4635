package com.gongpipeline.warehouse;

import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Fixtures for the warehouse tests: fresh databases, typical rows, and reading rows back. */
final class TestRows {

  /**
   * Asserts that {@code call} refuses a row that can never be written: a {@link
   * WarehouseException} of kind PERMANENT (what MergeBatchFn isolates and dead-letters).
   */
  static WarehouseException assertPermanent(org.junit.jupiter.api.function.Executable call) {
    WarehouseException e = org.junit.jupiter.api.Assertions.assertThrows(
        WarehouseException.class, call);
    org.hamcrest.MatcherAssert.assertThat(e.kind(),
        org.hamcrest.Matchers.is(com.gongpipeline.errors.FailureKind.PERMANENT));
    return e;
  }
  static final Instant T0 = Instant.parse("2024-03-01T10:15:30.123456Z");

  private TestRows() {}

  /** A URL for a private in-memory database. */
  static String memoryUrl() {
    return "jdbc:duckdb::memory:wh_" + UUID.randomUUID().toString().replace("-", "");
  }

  static DuckDbWarehouse openWithSchema() {
    DuckDbWarehouse wh = new DuckDbWarehouse(memoryUrl());
    wh.applySchema();
    return wh;
  }

  static WarehouseRow stgCall(String callId, String title, String jobId) {
    return WarehouseRow.of(WarehouseTable.STG_CALLS)
        .set("CALL_ID", callId)
        .set("CALL_TITLE", title)
        .set("CALL_DATETIME_UTC", T0)
        .set("CALL_DURATION_SECONDS", 1800L)
        .set("IS_PRIVATE", false)
        .set("OPPORTUNITY_AMOUNT", 12500.5)
        .set("PARTICIPANT_COUNT", 3)
        .set("KEY_POINTS", new WarehouseRow.Json("[\"pricing\",\"timeline\"]"))
        .set("JOB_ID", jobId)
        .set("LOADED_AT", T0)
        .build();
  }

  static WarehouseRow participant(String callId, String participantId, String name, String job) {
    return WarehouseRow.of(WarehouseTable.STG_PARTICIPANTS)
        .set("CALL_ID", callId)
        .set("PARTICIPANT_ID", participantId)
        .set("PARTICIPANT_NAME", name)
        .set("AFFILIATION", "External")
        .set("JOB_ID", job)
        .set("LOADED_AT", T0)
        .build();
  }

  static WarehouseRow topic(String callId, String topic, double seconds, String job) {
    return WarehouseRow.of(WarehouseTable.STG_TOPICS)
        .set("CALL_ID", callId)
        .set("TOPIC_NAME", topic)
        .set("DURATION_SECONDS", seconds)
        .set("JOB_ID", job)
        .set("LOADED_AT", T0)
        .build();
  }

  /** A MEMORY_RECORDS row builder with every NOT NULL column set. */
  static WarehouseRow.Builder memory(String callId, int chunk, String content, float[] vector) {
    return WarehouseRow.of(WarehouseTable.MEMORY_RECORDS)
        .set("MEMORY_ID", "gong:" + callId + ":" + chunk)
        .set("SOURCE_TYPE", "gong")
        .set("SOURCE_ID", callId)
        .set("CHUNK_INDEX", chunk)
        .set("CONTENT", content)
        .set("CONTENT_HASH", Integer.toHexString(content.hashCode()))
        .set("EMBEDDING", vector)
        .set("EMBEDDING_MODEL", "e5-small-v2")
        .set("EMBEDDING_DIM", vector.length)
        .set("JOB_ID", "job-1")
        .set("LOADED_AT", T0);
  }

  /** A deterministic pseudo-random vector. */
  static float[] vector(int dim, long seed) {
    java.util.Random r = new java.util.Random(seed);
    float[] v = new float[dim];
    for (int i = 0; i < dim; i++) {
      v[i] = (float) r.nextGaussian();
    }
    return v;
  }

  /**
   * One row of a table by its first key column, as column → JDBC value (arrays as float[],
   * TIMESTAMPs as LocalDateTime).
   */
  static Map<String, Object> read(DuckDbWarehouse wh, WarehouseTable t, String key) {
    return wh.withConnection(conn -> {
      String sql = "SELECT * FROM " + t.qualifiedName() + " WHERE " + t.keyColumns().get(0) + " = ?";
      try (PreparedStatement ps = conn.prepareStatement(sql)) {
        ps.setString(1, key);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            throw new AssertionError("no row " + key + " in " + t);
          }
          Map<String, Object> row = new LinkedHashMap<>();
          for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
            Object v = rs.getObject(i);
            if ("TIMESTAMP".equals(rs.getMetaData().getColumnTypeName(i)) && v != null) {
              v = rs.getObject(i, java.time.LocalDateTime.class); // wall clock = UTC, no JVM zone
            } else if (v instanceof Array a) {
              v = floats((Object[]) a.getArray());
            }
            row.put(rs.getMetaData().getColumnName(i).toUpperCase(), v);
          }
          return row;
        }
      }
    });
  }

  /** The single value of a scalar query. */
  static Object scalar(DuckDbWarehouse wh, String sql, Object... params) {
    return wh.withConnection(conn -> {
      try (PreparedStatement ps = conn.prepareStatement(sql)) {
        for (int i = 0; i < params.length; i++) {
          ps.setObject(i + 1, params[i]);
        }
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return rs.getObject(1);
        }
      }
    });
  }

  private static float[] floats(Object[] boxed) throws SQLException {
    float[] f = new float[boxed.length];
    for (int i = 0; i < boxed.length; i++) {
      f[i] = (Float) boxed[i];
    }
    return f;
  }

  static List<WarehouseRow> stgCalls(int from, int to, String titlePrefix, String job) {
    List<WarehouseRow> rows = new ArrayList<>();
    for (int i = from; i < to; i++) {
      rows.add(stgCall("c" + i, titlePrefix + i, job));
    }
    return rows;
  }
}
