package com.gongpipeline.warehouse;


/**
 * An open warehouse, as the CLI and the DoFns (through a {@link WarehouseProvider}) see it: the
 * sum of eight small roles, each in its own interface, so a caller declares only the one it needs
 * ({@link WarehouseWrites} for MERGEs and child replacement, {@link WarehouseSyncState} for marks
 * and leases, {@link WarehouseLookups} for what is already stored, {@link WarehouseCatalog} for
 * DDL, counts and read-only queries, {@link WarehouseJobLog}, {@link WarehouseSearch}, {@link
 * WarehouseGongUsage} for the daily Gong request ledger, {@link WarehouseFetchSchedule} for the
 * polling planner's re-fetch schedule). Behind
 * it, small stores over one connection provider and one {@link SqlDialect} that holds every
 * database difference ({@link JdbcWarehouse}), so the pipeline code is the same for the embedded
 * DuckDB warehouse and Snowflake ({@link SnowflakeWarehouse}).
 *
 * <p>Implementations are thread-safe: Beam runs DoFns on many threads of one JVM and each may call
 * one shared instance or open its own. Open in {@code @Setup}, close in {@code @Teardown}.
 *
 * <p>Sharing one DuckDB file between processes (a long-running writer and the {@code search}
 * CLI): DuckDB lets one process open a file at a time. A warehouse holds the file only while some
 * {@code Warehouse} on it is open in this JVM (the last {@link #close()} releases it, see {@link
 * OpenOptions#keepOpenWhenIdle()}), and {@link #open(String, OpenOptions)} waits for another
 * process's lock up to {@link OpenOptions#lockWait()}. So processes that open, work briefly and
 * close take turns.
 *
 * <pre>{@code
 * try (Warehouse wh = Warehouse.open("jdbc:duckdb:/data/gong.duckdb")) {
 *   wh.applySchema();
 *   MergeResult r = wh.merge(WarehouseTable.STG_CALLS, rows);
 * }
 * }</pre>
 *
 * <p>Methods throw {@link WarehouseException} with a {@link com.gongpipeline.errors.FailureKind}:
 * RETRYABLE for database failures that outlasted the warehouse's own retries, PERMANENT for rows
 * that can never be written (unknown column, wrong value type, invalid JSON, a broken constraint:
 * they belong in a dead-letter table, retrying them cannot help), FATAL_CONFIG for credentials or
 * a missing schema. Wrong arguments (an unknown column name, a null id) are an {@link
 * IllegalArgumentException}.
 */
public interface Warehouse
    extends WarehouseWrites, WarehouseSyncState, WarehouseLookups, WarehouseCatalog,
        WarehouseJobLog, WarehouseSearch, WarehouseGongUsage, WarehouseCallLifecycle,
        WarehouseFetchSchedule,
        AutoCloseable {

  /**
   * Opens the warehouse behind a JDBC URL: {@code jdbc:duckdb:<path>} for a DuckDB file, {@code
   * jdbc:duckdb::memory:<name>} for a named in-memory database shared inside this JVM (tests),
   * {@code jdbc:snowflake://<account>.snowflakecomputing.com/} for Snowflake ({@link
   * SnowflakeWarehouse}; user, credentials, role, warehouse and database from the {@code
   * SNOWFLAKE_*} environment variables, see {@link com.gongpipeline.snowflake.SnowflakeConnections}).
   *
   * @throws IllegalArgumentException for any other URL, or missing Snowflake credentials
   */
  static Warehouse open(String jdbcUrl) {
    return open(jdbcUrl, OpenOptions.defaults());
  }

  /**
   * Opens the warehouse behind a JDBC URL with explicit options: how long to wait while another
   * process holds a DuckDB file (default 30 s, or the system property {@value
   * OpenOptions#LOCK_WAIT_PROPERTY} in milliseconds), and whether the database stays open after
   * this JVM's last warehouse on it closes (default: it closes and releases the file at once).
   *
   * @throws WarehouseException if the file stays locked by another process for the whole wait;
   *     the message names the file and the other process's PID
   * @throws IllegalArgumentException for an unsupported URL (see {@link #open(String)})
   */
  static Warehouse open(String jdbcUrl, OpenOptions options) {
    if (jdbcUrl == null) {
      throw new IllegalArgumentException("jdbcUrl is required");
    }
    if (options == null) {
      throw new IllegalArgumentException("options are required (OpenOptions.defaults())");
    }
    // ${NAME} references (secrets kept out of the option) are resolved here, on this machine.
    jdbcUrl = com.gongpipeline.security.WarehouseUrls.resolve(jdbcUrl);
    if (jdbcUrl.startsWith(DuckDbDatabase.URL_PREFIX)) {
      return new DuckDbWarehouse(jdbcUrl, options);
    }
    if (jdbcUrl.startsWith("jdbc:snowflake:")) {
      return SnowflakeWarehouse.open(jdbcUrl);
    }
    throw new IllegalArgumentException(
        "Unsupported warehouse URL (supported: jdbc:duckdb:<path>, jdbc:duckdb::memory:<name>,"
            + " jdbc:snowflake://<account>.snowflakecomputing.com/): "
            + redact(jdbcUrl));
  }

  /**
   * While the returned scope is open, an embedded DuckDB file behind {@code jdbcUrl} stays open in
   * this JVM for {@code linger} after its last warehouse closes, so a job's write batches, which
   * open a warehouse each, join one open database instead of re-opening the file per batch. Once
   * the job is idle for the linger, or another process of this project waits for the file (it asks
   * for a turn, see {@link OpenOptions}), or the scope closes, the file is released as before.
   * A no-op for Snowflake, in-memory databases and a zero linger.
   */
  static Scope lingerBetweenBatches(String jdbcUrl, java.time.Duration linger) {
    if (jdbcUrl == null || linger == null) {
      throw new IllegalArgumentException("jdbcUrl and linger are required");
    }
    String url = com.gongpipeline.security.WarehouseUrls.resolve(jdbcUrl);
    if (!url.startsWith(DuckDbDatabase.URL_PREFIX)) {
      return () -> { };
    }
    AutoCloseable scope = DuckDbDatabase.linger(url, linger);
    return () -> {
      try {
        scope.close();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    };
  }

  /** A scope that ends without checked exceptions. */
  @FunctionalInterface
  interface Scope extends AutoCloseable {
    @Override
    void close();
  }

  /** Releases the connections this instance opened (and the database once nobody uses it). */
  @Override
  void close();

  private static String redact(String url) {
    return com.gongpipeline.errors.SecretRedaction.redact(url);
  }
}
