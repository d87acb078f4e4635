package com.gongpipeline.warehouse;

import com.gongpipeline.errors.RetryPolicy;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.locks.Lock;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.duckdb.DuckDBConnection;

/**
 * {@link Warehouse} on an embedded DuckDB database (a file, or a named in-memory database).
 *
 * <p>Thread-safe: each operation borrows a connection (a {@code duplicate()} of the JVM-wide
 * instance kept by {@link DuckDbDatabase}) from this warehouse's small pool ({@link
 * ConnectionProvider}), so concurrent callers never share one. A merge stages its rows in parallel
 * with other threads, then runs its MERGE transaction under a per-table write lock shared by all
 * warehouses on the database: DuckDB's optimistic concurrency would otherwise abort one of two
 * transactions racing on the same rows ("Conflict on update", a duplicate new key). Such conflicts
 * are still retried (fresh connection, jittered back-off through the {@link RetryPolicy}, up to
 * {@value #MAX_ATTEMPTS} attempts) as a safety net. A connection that saw any error is discarded.
 *
 * <p>Why the lock matters more than the retry: DuckDB 2.0.0 does not detect every write-write
 * conflict. Checked: an uncommitted UPDATE in one transaction and a {@code MERGE ... RETURNING}
 * (or any UPDATE touching a LIST column such as EMBEDDING) of the same row in another both commit,
 * and one update is silently lost. So every write to this database must go through this class in
 * this JVM (DuckDB allows only one process per file anyway); raw JDBC writes next to a running
 * pipeline are unsafe.
 *
 * <p>The same lock covers the other writes: {@code replaceChildren} (its DELETE and MERGE are one
 * transaction under the table's lock), and the high-water mark and lease statements (one
 * conditional MERGE/UPDATE/DELETE each, under the SYNC_STATE or SYNC_LEASE lock). Lease expiry and
 * UPDATED_AT come from this instance's {@link Clock} (the system UTC clock; tests inject one).
 */
public final class DuckDbWarehouse extends JdbcWarehouse<DuckDBConnection> {
  static final int MAX_ATTEMPTS = 10;

  /**
   * The logger that reports each committed MERGE at debug level ("Merged N rows into T in M ms:
   * inserted/updated/unchanged"); set it to debug to watch writes land (tests do, to kill a run
   * mid-write).
   */
  public static final String MERGE_LOGGER = DuckDbRowWriter.class.getName();

  private final DuckDbDatabase db;

  /** Opens (or joins) the database behind a {@code jdbc:duckdb:} URL with default options. */
  public DuckDbWarehouse(String jdbcUrl) {
    this(jdbcUrl, OpenOptions.defaults());
  }

  /** Opens (or joins) the database behind a {@code jdbc:duckdb:} URL. */
  public DuckDbWarehouse(String jdbcUrl, OpenOptions options) {
    this(jdbcUrl, options, Clock.systemUTC());
  }

  /** With the clock that lease expiry and sync timestamps are taken from (tests). */
  public DuckDbWarehouse(String jdbcUrl, OpenOptions options, Clock clock) {
    this(DuckDbDatabase.acquire(jdbcUrl, options), clock);
  }

  private DuckDbWarehouse(DuckDbDatabase db, Clock clock) {
    this(db, connections(db), clock);
  }

  private DuckDbWarehouse(DuckDbDatabase db, ConnectionProvider<DuckDBConnection> conns,
      Clock clock) {
    this(db, conns, new DuckDbSchema(db, conns), clock);
  }

  private DuckDbWarehouse(DuckDbDatabase db, ConnectionProvider<DuckDBConnection> conns,
      DuckDbSchema schema, Clock clock) {
    super(conns, schema, new DuckDbRowWriter(conns, schema), null, clock);
    this.db = db;
  }

  /** Connections are duplicates of the database's root; the last close releases the file. */
  private static ConnectionProvider<DuckDBConnection> connections(DuckDbDatabase db) {
    ConnectionProvider.Database<DuckDBConnection> database = new ConnectionProvider.Database<>() {
      @Override
      public DuckDBConnection open() throws java.sql.SQLException {
        return db.newConnection();
      }

      @Override
      public @Nullable Lock writeLock(TableSpec spec) {
        return db.writeLock(spec.qualifiedName());
      }

      @Override
      public void afterClose() {
        db.release();
      }
    };
    RetryPolicy.Builder retries = RetryPolicy.builder()
        .withMaxAttempts(MAX_ATTEMPTS)
        .withInitialBackoff(Duration.ofMillis(20))
        .withMaxBackoff(Duration.ofSeconds(1))
        .withMaxTotalWait(Duration.ofSeconds(30));
    return new ConnectionProvider<>(db.url(), new DuckDbDialect(), database, null, retries,
        "write conflict");
  }

  @Override
  public String toString() {
    return "DuckDbWarehouse[" + db.url() + "]";
  }
}
