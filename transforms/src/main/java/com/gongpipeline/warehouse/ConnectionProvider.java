package com.gongpipeline.warehouse;

import com.gongpipeline.errors.FailureKind;
import com.gongpipeline.errors.PipelineException;
import com.gongpipeline.errors.RetryPolicy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one connection provider of the warehouse, for DuckDB and Snowflake alike (the role of
 * kafka-connect-jdbc's {@code CachedConnectionProvider}): it opens connections through a {@link
 * Database}, pools them per warehouse instance (one borrower per connection; a connection that saw
 * an error is closed, never pooled), runs work with retries through a {@link RetryPolicy} whose
 * classifier is the dialect's, and runs transactions under the database's write lock if it has
 * one. With a {@code sharedKey} (Snowflake: URL and properties) healthy idle sessions outlive the
 * instance in a small JVM-wide pool, because the pipeline opens a warehouse per batch and a login
 * costs round trips; without one (DuckDB) they are closed, and {@link Database#afterClose()}
 * releases the database file when this JVM's last user is gone.
 *
 * @param <C> the connection type the stores work on (DuckDB's appender needs its own)
 */
final class ConnectionProvider<C extends Connection> {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionProvider.class);

  /** Idle sessions kept per JVM and shared key. */
  static final int MAX_SHARED_IDLE = 8;
  /** Shared sessions idle longer than this are closed instead of reused. */
  static final long MAX_IDLE_NANOS = TimeUnit.MINUTES.toNanos(5);
  private static final Map<String, Deque<Idle>> SHARED = new ConcurrentHashMap<>();

  /** A pooled session and when it was last given back. */
  private record Idle(Connection connection, long sinceNanos) {}

  /** How one database opens connections, and what its writers lock. */
  interface Database<C extends Connection> {
    /** A new connection (auto-commit on). */
    C open() throws SQLException;

    /** The JVM-wide lock writers of this table hold around their transaction, or null. */
    default @Nullable Lock writeLock(TableSpec spec) {
      return null;
    }

    /** Runs once when the provider closes, after its connections are closed or shared. */
    default void afterClose() {}
  }

  /** A unit of JDBC work. */
  @FunctionalInterface
  interface SqlWork<C, T> {
    T run(C conn) throws SQLException;
  }

  /** The body of a transaction on an already chosen connection. */
  @FunctionalInterface
  interface TxWork<T> {
    T run() throws SQLException;
  }

  private final String url;
  private final SqlDialect dialect;
  private final Database<C> database;
  private final @Nullable String sharedKey;
  private final RetryPolicy retryPolicy;
  private final Deque<C> idle = new ConcurrentLinkedDeque<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicLong retries = new AtomicLong();

  /**
   * @param url the (redacted) URL named in messages
   * @param retries attempts and back-off; the classifier is the dialect's, the listener logs
   * @param what what a retried failure is called in the log ("write conflict")
   */
  ConnectionProvider(String url, SqlDialect dialect, Database<C> database,
      @Nullable String sharedKey, RetryPolicy.Builder retries, String what) {
    this.url = url;
    this.dialect = dialect;
    this.database = database;
    this.sharedKey = sharedKey;
    this.retryPolicy = retries
        .withClassifier(dialect::classify)
        .withListener((op, attempt, failure, waitMillis, error) -> {
          this.retries.incrementAndGet();
          LOG.info("{}: {} on attempt {}, retrying in {} ms: {}", op, what, attempt - 1,
              waitMillis, error.getMessage());
        })
        .build();
  }

  String url() {
    return url;
  }

  SqlDialect dialect() {
    return dialect;
  }

  /** Retries run so far by this provider. */
  long retries() {
    return retries.get();
  }

  /** Runs read-only work on a pooled auto-commit connection, without retries. */
  <T> T withConnection(SqlWork<C, T> work) {
    C conn = borrow();
    boolean ok = false;
    try {
      T result = work.run(conn);
      ok = true;
      return result;
    } catch (SQLException e) {
      throw new WarehouseException(dialect.kindOf(e), "Query on " + url + " failed", e);
    } finally {
      giveBack(conn, ok);
    }
  }

  /**
   * Runs {@code work} on a borrowed connection through the {@link RetryPolicy}: a failure the
   * dialect classifies as {@link FailureKind#RETRYABLE} re-runs it on a fresh connection; the last
   * failure becomes a {@link WarehouseException} with its kind (a {@link WarehouseException} or
   * other runtime exception thrown by the work itself propagates as it is). Any failure rolls back
   * and discards the connection.
   */
  <T> T retrying(String what, SqlWork<C, T> work) {
    try {
      return retryPolicy.call(what, attempt -> {
        C conn = borrow();
        boolean ok = false;
        try {
          T result = work.run(conn);
          ok = true;
          return result;
        } catch (SQLException | RuntimeException e) {
          rollbackQuietly(conn);
          throw e;
        } finally {
          giveBack(conn, ok);
        }
      });
    } catch (PipelineException e) {
      if (e instanceof WarehouseException || !(e.getCause() instanceof Exception cause)) {
        throw e;
      }
      if (cause instanceof SQLException sql) {
        throw new WarehouseException(e.kind(),
            what + " failed after " + e.attempts() + " attempt(s)", sql, e.attempts());
      }
      if (cause instanceof RuntimeException r && !(r instanceof PipelineException)) {
        throw r;
      }
      throw e;
    }
  }

  /**
   * Runs {@code work} as one transaction on {@code conn}, holding the table's write lock (if the
   * database has one) from before the transaction starts (so its snapshot includes every earlier
   * writer's commit) until after it commits.
   */
  <T> T inTransaction(C conn, TableSpec spec, TxWork<T> work) throws SQLException {
    Lock lock = database.writeLock(spec);
    if (lock != null) {
      lock.lock();
    }
    try {
      conn.setAutoCommit(false);
      T result = work.run();
      conn.commit();
      conn.setAutoCommit(true);
      return result;
    } finally {
      if (lock != null) {
        lock.unlock();
      }
    }
  }

  /**
   * Runs one conditional write statement on {@code spec}, with retries: in a transaction under
   * the table's write lock when the database has one (DuckDB), else auto-committed (Snowflake's
   * conditional MERGE/UPDATE are atomic and serialized per table).
   */
  <T> T writeOne(String what, TableSpec spec, SqlWork<C, T> work) {
    if (database.writeLock(spec) == null) {
      return retrying(what, work);
    }
    return retrying(what, conn -> inTransaction(conn, spec, () -> work.run(conn)));
  }

  /** Closes (or shares) the idle connections and releases the database; idempotent. */
  void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    C c;
    while ((c = idle.poll()) != null) {
      retire(c);
    }
    database.afterClose();
  }

  void checkOpen() {
    if (closed.get()) {
      throw new IllegalStateException(this + " is closed");
    }
  }

  @Override
  public String toString() {
    return "ConnectionProvider[" + url + "]";
  }

  // ---- the pool ----

  private C borrow() {
    checkOpen();
    C c = idle.poll();
    if (c == null) {
      c = fromShared();
    }
    if (c != null) {
      return c;
    }
    try {
      return database.open();
    } catch (SQLException e) {
      // The driver's messages name the account and user at most, never the credential.
      throw new WarehouseException(dialect.kindOf(e), "Cannot connect to " + url, e);
    }
  }

  /** Pools a healthy connection; closes one that failed, or retires it when closed meanwhile. */
  private void giveBack(C c, boolean healthy) {
    if (healthy && !closed.get()) {
      idle.push(c);
      if (closed.get() && idle.remove(c)) {
        retire(c); // close() ran concurrently
      }
    } else {
      closeQuietly(c);
    }
  }

  /**
   * A healthy connection leaving this instance: kept for the next instance on the same shared key
   * (up to {@value #MAX_SHARED_IDLE}), closed otherwise.
   */
  private void retire(C c) {
    if (sharedKey == null) {
      closeQuietly(c);
      return;
    }
    Deque<Idle> pool = SHARED.computeIfAbsent(sharedKey, k -> new ConcurrentLinkedDeque<>());
    if (pool.size() >= MAX_SHARED_IDLE) {
      closeQuietly(c);
    } else {
      pool.push(new Idle(c, System.nanoTime()));
    }
  }

  /** A shared idle session that is recent enough, or null. */
  @SuppressWarnings("unchecked")
  private @Nullable C fromShared() {
    Deque<Idle> pool = sharedKey == null ? null : SHARED.get(sharedKey);
    if (pool == null) {
      return null;
    }
    Idle i;
    while ((i = pool.poll()) != null) {
      if (System.nanoTime() - i.sinceNanos() < MAX_IDLE_NANOS) {
        return (C) i.connection();
      }
      closeQuietly(i.connection());
    }
    return null;
  }

  /** Rolls back an open transaction after a failure, ignoring errors. */
  static void rollbackQuietly(Connection c) {
    try {
      if (!c.getAutoCommit()) {
        c.rollback();
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      LOG.debug("rollback failed (transaction already ended)", e);
    }
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException e) {
      LOG.debug("close failed", e);
    }
  }
}
