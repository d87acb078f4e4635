package com.gongpipeline.warehouse;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The facade between the pipeline (the CLI, and DoFns through a {@link WarehouseProvider}) and
 * the warehouse: apply the DDL, write rows idempotently, log jobs and run the semantic search. It
 * keeps callers simple; the work is done by small stores over one connection provider and one
 * {@link SqlDialect} that holds every database difference ({@link JdbcWarehouse}), so the pipeline
 * code is the same for the embedded DuckDB warehouse and Snowflake ({@link SnowflakeWarehouse}).
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
public interface Warehouse extends AutoCloseable {

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
   * Creates the schemas and tables (DDL under {@code sql/<dialect>/}, applied in a fixed order).
   * Idempotent; safe to call from many threads at once; runs the DDL once per open database per
   * JVM.
   */
  void applySchema();

  /**
   * Upserts rows in one transaction: rows are bulk-loaded into a staging table, de-duplicated by
   * the table's key (the last row of the list wins), and merged in one statement. A matched row is
   * updated only if a non-key, non-volatile column differs, so re-running a window changes nothing.
   * Columns a row does not set are written as NULL.
   *
   * @throws WarehouseException of kind PERMANENT if a row belongs to another table, sets a column
   *     the table does not have, has a value of the wrong type, or carries invalid JSON
   */
  MergeResult merge(WarehouseTable table, List<WarehouseRow> rows);

  /**
   * Deletes the rows whose {@code column} equals one of {@code values} (e.g. all chunks of a call
   * before its new chunk set is merged). Values are bound, never spliced into SQL.
   *
   * @return number of rows deleted
   */
  long deleteWhere(WarehouseTable table, String column, Collection<String> values);

  /**
   * Replaces the child rows of some parents as a set, in ONE transaction: deletes the rows of
   * those parents ({@code parentColumn} in {@code parentIds}, e.g. {@code SOURCE_ID} of
   * AI_MEMORY.MEMORY_RECORDS or {@code CALL_ID} of the STG transcript/participant/topic tables)
   * whose keys are not among {@code rows}, then merges {@code rows} exactly like {@link #merge}
   * (unchanged rows stay untouched, keeping their JOB_ID and load time). A parent with no new rows
   * loses all its rows; rows of other parents are never touched. Either everything happens or,
   * on failure, nothing.
   *
   * <p>Use it when a call is re-processed and may yield fewer children than before (a transcript
   * re-chunked from 5 chunks to 3): a plain merge would leave the 2 stale chunks behind.
   *
   * @param parentIds the parents being replaced (bound, any number, duplicates ignored)
   * @param rows the parents' complete new child rows; each must belong to {@code table} and have
   *     its {@code parentColumn} set to one of {@code parentIds}
   * @return inserted/updated/unchanged as for {@link #merge}, plus the rows deleted
   * @throws IllegalArgumentException if {@code parentColumn} is not a column of the table
   * @throws WarehouseException of kind PERMANENT if a row names a parent outside {@code
   *     parentIds}, or a row is invalid as for {@link #merge}
   */
  MergeResult replaceChildren(WarehouseTable table, String parentColumn,
      Collection<String> parentIds, List<WarehouseRow> rows);

  /**
   * The high-water mark of a sync in {@code OPS_MONITORING.SYNC_STATE}: the instant up to which
   * the sync has durably written everything (e.g. the latest call start time fully processed).
   * Empty if the sync never committed a mark.
   */
  Optional<Instant> highWaterMark(String syncName);

  /**
   * Moves the sync's high-water mark forward to {@code mark}, recording the job and the time.
   * The check and the write are one atomic conditional statement, so concurrent callers (threads
   * or processes) can never move the mark backwards: a mark that is not strictly later than the
   * stored one is a no-op. Marks are stored with microsecond precision (finer digits are cut).
   * Call it only after everything up to {@code mark} has been written.
   *
   * @return true if the stored mark changed (it was absent or earlier), false otherwise
   */
  boolean advanceHighWaterMark(String syncName, Instant mark, String jobId);

  /**
   * Tries to take the writer lease {@code name} (one row of {@code OPS_MONITORING.SYNC_LEASE})
   * for {@code jobId} until now + {@code ttl}. It succeeds when nobody holds the lease, when the
   * current lease has expired (e.g. left behind by a killed run), or when {@code jobId} already
   * holds it (then it is extended); it fails when another job holds a lease that has not expired.
   *
   * <p>Atomicity: the decision and the write are one conditional statement (a MERGE whose
   * update branch only fires for an expired or own lease), which the database evaluates against
   * the row as committed, so two callers cannot both win, whichever process they run in. In the
   * DuckDB implementation every lease statement also runs under a JVM-wide lock per table, because
   * DuckDB does not detect every write-write conflict between concurrent transactions; DuckDB's
   * one-process-per-file rule means no other process can write the file meanwhile.
   *
   * <p>Expiry uses this process's clock: keep {@code ttl} far above clock skew between machines,
   * and renew well before it runs out (e.g. every ttl/3).
   *
   * @return the lease held, with its expiry as stored, or empty if another live job holds it
   */
  Optional<Lease> tryAcquireLease(String name, String jobId, Duration ttl);

  /**
   * Extends {@code jobId}'s lease to now + {@code ttl} (a heartbeat), in one conditional
   * statement.
   *
   * @return false if {@code jobId} no longer holds a live lease (it expired, or another job has
   *     taken it): the caller must stop writing, or try to acquire it again
   */
  boolean renewLease(String name, String jobId, Duration ttl);

  /** Releases the lease if {@code jobId} holds it; another job's lease is left alone. */
  void releaseLease(String name, String jobId);

  /**
   * What AI_MEMORY.MEMORY_RECORDS holds for these calls (by SOURCE_ID), keyed by MEMORY_ID, so
   * that unchanged chunks (same content hash and embedding model) reuse their stored embedding
   * and sentiment instead of being embedded again. Ids are bound in batches; any number works.
   */
  Map<String, StoredChunk> storedChunks(Collection<String> callIds);

  /**
   * The stored speaker turns of these calls, keyed by {@code TRANSCRIPT_ID}, with their call's
   * sentiment model (ids bound in batches).
   */
  Map<String, StoredTurn> storedTurns(Collection<String> callIds);

  /**
   * Deletes the rows of one parent (a call) whose {@code keyColumn} is not in {@code keepKeys}:
   * the rows an older version of the call had and the new one does not. An empty keep-set deletes
   * all of the parent's rows. One transaction under the table's write lock; values bound.
   *
   * @return number of rows deleted
   */
  long deleteStaleChildren(WarehouseTable table, String parentColumn, String parentId,
      String keyColumn, Collection<String> keepKeys);

  /**
   * CALL_ID (the table's key) → PAYLOAD_HASH of those ids present in a RAW table (e.g. {@link
   * WarehouseTable#RAW_CALLS}, {@link WarehouseTable#RAW_TRANSCRIPTS}), to skip re-processing
   * objects whose payload did not change. Ids are bound in batches; any number works.
   *
   * @throws IllegalArgumentException if {@code rawTable} is not a RAW table with PAYLOAD_HASH
   */
  Map<String, String> payloadHashes(WarehouseTable rawTable, Collection<String> callIds);

  /**
   * Runs a read-only query (SELECT, WITH, FROM, VALUES, DESCRIBE, SHOW, ...) for reports and
   * tests, with {@code params} bound to its {@code ?} placeholders (String, Integer, Long,
   * Double, Float, Boolean, {@link Instant} as a UTC TIMESTAMP, or null). Not for writes: other
   * statements are rejected, and the query runs in a transaction that is always rolled back.
   *
   * @return one map per row, column label → value, in select order; TIMESTAMP and TIMESTAMPTZ
   *     values as {@link Instant}, FLOAT[] as {@code float[]}, other lists as {@code List}, JSON
   *     as its text, NULL as null
   * @throws IllegalArgumentException for a statement that is not a query
   */
  List<Map<String, @Nullable Object>> query(String sql, @Nullable Object... params);

  /** Number of rows in a table. */
  long count(WarehouseTable table);

  /**
   * Row counts of every table in the pipeline's schemas (RAW, STG_TRANSFORMED, AI_MEMORY,
   * OPS_MONITORING), keyed by {@code SCHEMA.TABLE}, sorted by name.
   */
  Map<String, Long> tableCounts();

  /**
   * Upserts the job's row in {@code OPS_MONITORING.ETL_JOB_LOGS} (keyed on job id): called once at
   * start with status RUNNING and once at the end with SUCCEEDED or FAILED.
   */
  void recordJob(JobLog log);

  /** The logged job with this id, if any. */
  Optional<JobLog> findJob(String jobId);

  /**
   * Top-k memory records by cosine similarity to the query vector, comparing only rows embedded
   * with the query's model and dimension, after the optional account/since/affiliation filters.
   */
  List<SearchHit> search(SearchQuery query);

  /** The distinct embedding models present in AI_MEMORY (e.g. to tell the user what to query with). */
  Set<String> embeddingModels();

  /** Releases the connections this instance opened (and the database once nobody uses it). */
  @Override
  void close();

  private static String redact(String url) {
    int q = url.indexOf('?');
    return q < 0 ? url : url.substring(0, q) + "?…";
  }
}
