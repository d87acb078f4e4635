package com.gongpipeline.warehouse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.checkerframework.checker.nullness.qual.Nullable;

/** Maps a {@link JobLog} to the ETL_JOB_LOGS columns and back (maps ↔ JSON text). */
final class JobLogRows {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, Long>> LONGS = new TypeReference<>() {};
  private static final TypeReference<Map<String, String>> STRINGS = new TypeReference<>() {};

  private JobLogRows() {}

  /** Column → value, in the types {@link DuckDbValues} accepts. */
  static Map<String, @Nullable Object> toColumns(JobLog log) {
    Map<String, @Nullable Object> m = new LinkedHashMap<>();
    m.put("JOB_ID", log.jobId());
    m.put("JOB_TYPE", log.jobType());
    m.put("RUNNER", log.runner());
    m.put("STATUS", log.status().name());
    m.put("WINDOW_FROM", log.windowFrom());
    m.put("WINDOW_TO", log.windowTo());
    m.put("STARTED_AT", log.startedAt());
    m.put("FINISHED_AT", log.finishedAt());
    m.put("DURATION_MS", log.durationMs());
    m.put("CALLS_PROCESSED", log.callsProcessed());
    m.put("CHUNKS_PROCESSED", log.chunksProcessed());
    m.put("ROWS_WRITTEN", json(log.rowsWritten()));
    m.put("TABLE_COUNTS", json(log.tableCounts()));
    m.put("API_REQUESTS", log.apiRequests());
    m.put("API_RETRIES", log.apiRetries());
    m.put("API_RATE_LIMITED", log.apiRateLimited());
    m.put("DEAD_LETTERS", log.deadLetters());
    m.put("ERROR_MESSAGE", log.errorMessage());
    m.put("OPTIONS", json(log.options()));
    m.put("CALLS_DELETED", log.callsDeleted());
    return m;
  }

  /** Reads the current row of a {@link SqlDialect#selectByKey} result over ETL_JOB_LOGS. */
  static JobLog fromResultSet(ResultSet rs) throws SQLException {
    return new JobLog(
        rs.getString("JOB_ID"),
        rs.getString("JOB_TYPE"),
        rs.getString("RUNNER"),
        JobLog.Status.valueOf(rs.getString("STATUS")),
        instant(rs, "WINDOW_FROM"),
        instant(rs, "WINDOW_TO"),
        instant(rs, "STARTED_AT"),
        instant(rs, "FINISHED_AT"),
        longOrNull(rs, "DURATION_MS"),
        rs.getLong("CALLS_PROCESSED"),
        rs.getLong("CHUNKS_PROCESSED"),
        map(rs.getString("ROWS_WRITTEN"), LONGS),
        map(rs.getString("TABLE_COUNTS"), LONGS),
        rs.getLong("API_REQUESTS"),
        rs.getLong("API_RETRIES"),
        rs.getLong("API_RATE_LIMITED"),
        rs.getLong("DEAD_LETTERS"),
        rs.getString("ERROR_MESSAGE"),
        map(rs.getString("OPTIONS"), STRINGS),
        rs.getLong("CALLS_DELETED"));
  }

  private static WarehouseRow.Json json(Map<String, ?> m) {
    try {
      return new WarehouseRow.Json(JSON.writeValueAsString(m));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("Cannot serialise job-log map " + m, e);
    }
  }

  private static <V> Map<String, V> map(@Nullable String json, TypeReference<Map<String, V>> type)
      throws SQLException {
    if (json == null) {
      return Map.of();
    }
    try {
      return JSON.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new SQLException("ETL_JOB_LOGS holds unreadable JSON: " + json, e);
    }
  }

  private static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
    Long micros = longOrNull(rs, column);
    return micros == null ? null : EpochMicros.toInstant(micros);
  }

  private static @Nullable Long longOrNull(ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : v;
  }
}
