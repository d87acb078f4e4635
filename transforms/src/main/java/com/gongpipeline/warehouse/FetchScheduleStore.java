package com.gongpipeline.warehouse;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes {@code OPS_MONITORING.CALL_FETCH_SCHEDULE}: one MERGE per call of a batch list (a {@code
 * UNION ALL} source of at most {@link #ROWS_PER_STATEMENT} rows), the same SQL on both dialects.
 */
final class FetchScheduleStore<C extends Connection> {
  static final int ROWS_PER_STATEMENT = 200;

  private final ConnectionProvider<C> conns;
  private final Clock clock;

  FetchScheduleStore(ConnectionProvider<C> conns, Clock clock) {
    this.conns = conns;
    this.clock = clock;
  }

  void record(List<PlannedFetch> fetches) {
    // The last row of a call wins within one call (a batch never holds a call twice, but a list might).
    Map<String, PlannedFetch> byId = new LinkedHashMap<>();
    for (PlannedFetch f : fetches) {
      byId.put(f.callId(), f);
    }
    List<PlannedFetch> rows = new ArrayList<>(byId.values());
    for (int i = 0; i < rows.size(); i += ROWS_PER_STATEMENT) {
      write(rows.subList(i, Math.min(rows.size(), i + ROWS_PER_STATEMENT)));
    }
  }

  private void write(List<PlannedFetch> rows) {
    SqlDialect dialect = conns.dialect();
    String ts = dialect.timestampParam();
    long now = EpochMicros.of(clock.instant());
    List<String> selects = new ArrayList<>();
    List<Object> params = new ArrayList<>();
    for (PlannedFetch f : rows) {
      selects.add("SELECT ? AS \"CALL_ID\", " + ts + " AS \"FIRST_SEEN\", " + ts
          + " AS \"LAST_FETCHED\", CASE WHEN ? = 1 THEN " + ts + " END AS \"NEXT_DUE\", "
          + "? AS \"FETCHES\", ? AS \"JOB_ID\", " + ts + " AS \"UPDATED_AT\"");
      params.add(f.callId());
      params.add(dialect.bindMicros(EpochMicros.of(f.firstSeen())));
      params.add(dialect.bindMicros(EpochMicros.of(f.lastFetched())));
      params.add(f.nextDue() == null ? 0 : 1);
      params.add(dialect.bindMicros(f.nextDue() == null ? 0 : EpochMicros.of(f.nextDue())));
      params.add(f.fetches());
      params.add(f.jobId());
      params.add(dialect.bindMicros(now));
    }
    String table = dialect.qualified(TableSpec.CALL_FETCH_SCHEDULE.schema(),
        TableSpec.CALL_FETCH_SCHEDULE.table());
    String sql = String.join("\n",
        "MERGE INTO " + table + " AS t",
        "USING (" + String.join(" UNION ALL ", selects) + ") AS s",
        "ON t.\"CALL_ID\" = s.\"CALL_ID\"",
        "WHEN MATCHED THEN UPDATE SET \"FIRST_SEEN\" = s.\"FIRST_SEEN\", \"LAST_FETCHED\" ="
            + " s.\"LAST_FETCHED\", \"NEXT_DUE\" = s.\"NEXT_DUE\", \"FETCHES\" = s.\"FETCHES\","
            + " \"JOB_ID\" = s.\"JOB_ID\", \"UPDATED_AT\" = s.\"UPDATED_AT\"",
        "WHEN NOT MATCHED THEN INSERT (\"CALL_ID\", \"FIRST_SEEN\", \"LAST_FETCHED\", \"NEXT_DUE\","
            + " \"FETCHES\", \"JOB_ID\", \"UPDATED_AT\") VALUES (s.\"CALL_ID\", s.\"FIRST_SEEN\","
            + " s.\"LAST_FETCHED\", s.\"NEXT_DUE\", s.\"FETCHES\", s.\"JOB_ID\", s.\"UPDATED_AT\")");
    BoundSql bound = new BoundSql(sql, params);
    conns.writeOne("record " + rows.size() + " planned fetches", TableSpec.CALL_FETCH_SCHEDULE,
        conn -> {
          try (PreparedStatement ps = dialect.prepare(conn, bound)) {
            ps.executeUpdate();
            return null;
          }
        });
  }
}
