package com.gongpipeline.warehouse;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Sync state and writer leases ({@code OPS_MONITORING.SYNC_STATE}, {@code SYNC_LEASE}): each
 * decision and its write are one conditional statement (see {@link SqlDialect}), run under the
 * table's write lock where the database has one, so concurrent callers can never move a mark
 * backwards or both win a lease. Lease expiry and UPDATED_AT come from the {@link Clock}.
 */
final class SyncStateStore<C extends Connection> {
  private final ConnectionProvider<C> conns;
  private final Clock clock;

  SyncStateStore(ConnectionProvider<C> conns, Clock clock) {
    this.conns = conns;
    this.clock = clock;
  }

  /** See {@link Warehouse#highWaterMark}. */
  Optional<Instant> highWaterMark(String syncName) {
    requireText(syncName, "syncName");
    SqlDialect dialect = conns.dialect();
    return conns.withConnection(conn -> {
      try (PreparedStatement ps = dialect.prepare(conn, dialect.selectHighWaterMark(syncName));
          ResultSet rs = ps.executeQuery()) {
        Long micros = rs.next() ? longOrNull(rs, 1) : null;
        return micros == null ? Optional.empty() : Optional.of(EpochMicros.toInstant(micros));
      }
    });
  }

  /** See {@link Warehouse#advanceHighWaterMark}. */
  boolean advanceHighWaterMark(String syncName, Instant mark, String jobId) {
    requireText(syncName, "syncName");
    requireText(jobId, "jobId");
    if (mark == null) {
      throw new IllegalArgumentException("mark is required");
    }
    long markMicros = EpochMicros.of(mark);
    SqlDialect dialect = conns.dialect();
    return conns.writeOne("advance high-water mark " + syncName, TableSpec.SYNC_STATE, conn -> {
      BoundSql sql = dialect.advanceHighWaterMark(
          syncName, markMicros, EpochMicros.of(clock.instant()), jobId);
      try (PreparedStatement ps = dialect.prepare(conn, sql)) {
        return dialect.wrote(ps);
      }
    });
  }

  /** See {@link Warehouse#clearHighWaterMark}. */
  boolean clearHighWaterMark(String syncName) {
    requireText(syncName, "syncName");
    SqlDialect dialect = conns.dialect();
    return conns.writeOne("clear high-water mark " + syncName, TableSpec.SYNC_STATE, conn -> {
      try (PreparedStatement ps = dialect.prepare(conn, dialect.clearHighWaterMark(syncName))) {
        return ps.executeUpdate() > 0;
      }
    });
  }

  /** See {@link Warehouse#tryAcquireLease}. */
  Optional<Lease> tryAcquireLease(String name, String jobId, Duration ttl) {
    requireText(name, "name");
    requireText(jobId, "jobId");
    long ttlMicros = ttlMicros(ttl);
    SqlDialect dialect = conns.dialect();
    return conns.writeOne("acquire lease " + name, TableSpec.SYNC_LEASE, conn -> {
      long now = EpochMicros.of(clock.instant());
      long expires = Math.addExact(now, ttlMicros);
      try (PreparedStatement ps =
          dialect.prepare(conn, dialect.acquireLease(name, jobId, now, expires))) {
        return dialect.wrote(ps)
            ? Optional.of(new Lease(name, jobId, EpochMicros.toInstant(expires)))
            : Optional.<Lease>empty();
      }
    });
  }

  /** See {@link Warehouse#renewLease}. */
  boolean renewLease(String name, String jobId, Duration ttl) {
    requireText(name, "name");
    requireText(jobId, "jobId");
    long ttlMicros = ttlMicros(ttl);
    SqlDialect dialect = conns.dialect();
    return conns.writeOne("renew lease " + name, TableSpec.SYNC_LEASE, conn -> {
      long now = EpochMicros.of(clock.instant());
      try (PreparedStatement ps = dialect.prepare(conn,
          dialect.renewLease(name, jobId, now, Math.addExact(now, ttlMicros)))) {
        return ps.executeUpdate() > 0;
      }
    });
  }

  /** See {@link Warehouse#releaseLease}. */
  void releaseLease(String name, String jobId) {
    requireText(name, "name");
    requireText(jobId, "jobId");
    SqlDialect dialect = conns.dialect();
    conns.writeOne("release lease " + name, TableSpec.SYNC_LEASE, conn -> {
      try (PreparedStatement ps = dialect.prepare(conn, dialect.releaseLease(name, jobId))) {
        return ps.executeUpdate();
      }
    });
  }

  static void requireText(@Nullable String value, String what) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(what + " is required");
    }
  }

  static long ttlMicros(Duration ttl) {
    if (ttl == null || ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be positive: " + ttl);
    }
    return Math.multiplyExact(ttl.getSeconds(), 1_000_000L) + ttl.getNano() / 1_000L;
  }

  static @Nullable Long longOrNull(ResultSet rs, int column) throws java.sql.SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : v;
  }
}
