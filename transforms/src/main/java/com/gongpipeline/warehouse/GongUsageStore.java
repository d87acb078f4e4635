package com.gongpipeline.warehouse;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.LocalDate;

/**
 * The daily Gong request ledger ({@code OPS_MONITORING.GONG_API_USAGE}): each write is one MERGE
 * that increments (see {@link SqlDialect#addGongUsage}, {@link SqlDialect#reserveGongUsage}), run
 * under the table's write lock where the database has one (DuckDB's in-process lock; Snowflake
 * runs DML on one table one statement at a time).
 */
final class GongUsageStore<C extends Connection> {
  /** Attempts of a reservation that lost a race to another writer before it gives up. */
  private static final int RESERVE_ATTEMPTS = 5;

  private final ConnectionProvider<C> conns;
  private final Clock clock;

  GongUsageStore(ConnectionProvider<C> conns, Clock clock) {
    this.conns = conns;
    this.clock = clock;
  }

  /** See {@link Warehouse#reserveGongRequests}. */
  long reserve(LocalDate day, String jobId, String endpoint, long wanted, long budget) {
    check(day, jobId, endpoint);
    if (wanted <= 0) {
      throw new IllegalArgumentException("wanted must be positive: " + wanted);
    }
    SqlDialect dialect = conns.dialect();
    return conns.writeOne("reserve Gong requests " + day, TableSpec.GONG_API_USAGE, conn -> {
      for (int attempt = 0; attempt < RESERVE_ATTEMPTS; attempt++) {
        long left = budget - total(conn, day);
        long grant = Math.min(wanted, left);
        if (grant <= 0) {
          return 0L;
        }
        try (PreparedStatement ps = dialect.prepare(conn, dialect.reserveGongUsage(
            day.toString(), jobId, endpoint, grant, budget, EpochMicros.of(clock.instant())))) {
          if (dialect.wrote(ps)) {
            return grant;
          }
        }
        // Another writer took part of what was left between the read and the MERGE: re-read.
      }
      return 0L;
    });
  }

  /** See {@link Warehouse#addGongRequests}. */
  void add(LocalDate day, String jobId, String endpoint, long delta) {
    check(day, jobId, endpoint);
    if (delta == 0) {
      return;
    }
    SqlDialect dialect = conns.dialect();
    conns.writeOne("count Gong requests " + day, TableSpec.GONG_API_USAGE, conn -> {
      try (PreparedStatement ps = dialect.prepare(conn, dialect.addGongUsage(
          day.toString(), jobId, endpoint, delta, EpochMicros.of(clock.instant())))) {
        return dialect.wrote(ps);
      }
    });
  }

  /** See {@link Warehouse#gongRequestsOn}. */
  long total(LocalDate day) {
    if (day == null) {
      throw new IllegalArgumentException("day is required");
    }
    return conns.withConnection(conn -> total(conn, day));
  }

  private long total(Connection conn, LocalDate day) throws java.sql.SQLException {
    SqlDialect dialect = conns.dialect();
    try (PreparedStatement ps = dialect.prepare(conn, dialect.selectGongUsageTotal(day.toString()));
        ResultSet rs = ps.executeQuery()) {
      return rs.next() ? rs.getLong(1) : 0L;
    }
  }

  private static void check(LocalDate day, String jobId, String endpoint) {
    if (day == null) {
      throw new IllegalArgumentException("day is required");
    }
    SyncStateStore.requireText(jobId, "jobId");
    SyncStateStore.requireText(endpoint, "endpoint");
  }
}
