package com.gongpipeline.warehouse;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The {@link WarehouseCallLifecycle} role over one connection provider (same SQL everywhere). */
final class CallLifecycleStore<C extends Connection> {
  private static final TableSpec CALLS = TableSpec.of(WarehouseTable.STG_CALLS);

  private final ConnectionProvider<C> conns;
  private final RowWriter<C> writer;

  CallLifecycleStore(ConnectionProvider<C> conns, RowWriter<C> writer) {
    this.conns = conns;
    this.writer = writer;
  }

  private String calls() {
    return conns.dialect().qualified(CALLS.schema(), CALLS.table());
  }

  List<String> vanishedCalls(Instant from, Instant to, Collection<String> listed) {
    SqlDialect d = conns.dialect();
    String started = d.epochMicrosOf("\"CALL_DATETIME_UTC\"");
    String scheduled = d.epochMicrosOf("\"CALL_SCHEDULED_UTC\"");
    long lo = EpochMicros.of(from);
    long hi = EpochMicros.of(to);
    BoundSql sql = new BoundSql("SELECT \"CALL_ID\" FROM " + calls()
        + " WHERE \"IS_DELETED\" IS NOT TRUE"
        + " AND " + started + " >= ? AND " + started + " < ?"
        + " AND (\"CALL_SCHEDULED_UTC\" IS NULL OR (" + scheduled + " >= ? AND " + scheduled
        + " < ?))", List.<Object>of(lo, hi, lo, hi));
    Set<String> seen = new HashSet<>(listed);
    return conns.withConnection(conn -> {
      List<String> out = new ArrayList<>();
      try (PreparedStatement ps = d.prepare(conn, sql); ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String id = rs.getString(1);
          if (!seen.contains(id)) {
            out.add(id);
          }
        }
      }
      out.sort(null);
      return out;
    });
  }

  boolean markCallDeleted(String callId, String jobId, Instant at) {
    writer.deleteWhere(WarehouseTable.MEMORY_RECORDS, "SOURCE_ID", List.of(callId));
    writer.deleteWhere(WarehouseTable.CALL_VECTORS, "CALL_ID", List.of(callId));
    writer.deleteWhere(WarehouseTable.STG_TRANSCRIPTS, "CALL_ID", List.of(callId));
    writer.deleteWhere(WarehouseTable.STG_TRACKERS, "CALL_ID", List.of(callId));
    writer.deleteWhere(WarehouseTable.STG_TRACKER_OCCURRENCES, "CALL_ID", List.of(callId));
    BoundSql sql = new BoundSql("UPDATE " + calls()
        + " SET \"IS_DELETED\" = TRUE, \"DELETED_AT\" = ?, \"JOB_ID\" = ?, \"LOADED_AT\" = ?"
        // Its risks cite chunks that are gone: they go with them (sql 130).
        + ", \"RISK_INDICATORS\" = NULL, \"RISK_METHOD\" = NULL, \"RISK_INPUT_HASH\" = NULL"
        + ", \"ASPECT_SENTIMENT\" = NULL"
        + " WHERE \"CALL_ID\" = ? AND \"IS_DELETED\" IS NOT TRUE",
        List.<Object>of(at, jobId, at, callId));
    return conns.writeOne("flag deleted call in " + CALLS.qualifiedName(), CALLS, conn -> {
      try (PreparedStatement ps = conns.dialect().prepare(conn, sql)) {
        return ps.executeUpdate() > 0;
      }
    });
  }

  Map<String, Long> storedCallVersions(Collection<String> callIds) {
    return storedVersions(calls(), "CALL_ID", callIds);
  }

  /** Parent id → newest CALL_VERSION among its rows in a versioned child table (sql 120). */
  Map<String, Long> storedChildVersions(WarehouseTable table, String parentColumn,
      Collection<String> parentIds) {
    return storedVersions(conns.dialect().qualified(table.schema(), table.table()), parentColumn,
        parentIds);
  }

  private Map<String, Long> storedVersions(String table, String idColumn,
      Collection<String> callIds) {
    List<String> ids = RowWriter.distinctIds(callIds);
    Map<String, Long> out = new HashMap<>();
    if (ids.isEmpty()) {
      return out;
    }
    SqlDialect d = conns.dialect();
    return conns.withConnection(conn -> {
      for (int i = 0; i < ids.size(); i += RowWriter.ID_BATCH) {
        List<String> batch = ids.subList(i, Math.min(ids.size(), i + RowWriter.ID_BATCH));
        String id = d.quote(idColumn);
        BoundSql sql = new BoundSql("SELECT " + id + ", MAX(\"CALL_VERSION\") FROM " + table
            + " WHERE \"CALL_VERSION\" IS NOT NULL AND " + id + " IN ("
            + String.join(", ", java.util.Collections.nCopies(batch.size(), "?")) + ")"
            + " GROUP BY " + id, new ArrayList<>(batch));
        try (PreparedStatement ps = d.prepare(conn, sql); ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.put(rs.getString(1), rs.getLong(2));
          }
        }
      }
      return out;
    });
  }

  long callsDeletedBy(String jobId) {
    BoundSql sql = new BoundSql("SELECT COUNT(*) FROM " + calls()
        + " WHERE \"IS_DELETED\" = TRUE AND \"JOB_ID\" = ?", List.<Object>of(jobId));
    return conns.withConnection(conn -> {
      try (PreparedStatement ps = conns.dialect().prepare(conn, sql);
          ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0L;
      }
    });
  }
}
