package com.gongpipeline.warehouse;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The seam between the pipeline and the warehouse: apply the DDL, write rows idempotently, log
 * jobs and run the semantic search. Every database difference lives behind an implementation (and
 * its {@link SqlDialect}), so the pipeline code is the same for the embedded DuckDB warehouse and,
 * later, Snowflake.
 *
 * <p>Implementations are thread-safe: Beam runs DoFns on many threads of one JVM and each may call
 * one shared instance or open its own. Open in {@code @Setup}, close in {@code @Teardown}.
 *
 * <pre>{@code
 * try (Warehouse wh = Warehouse.open("jdbc:duckdb:/data/gong.duckdb")) {
 *   wh.applySchema();
 *   MergeResult r = wh.merge(WarehouseTable.STG_CALLS, rows);
 * }
 * }</pre>
 *
 * <p>Methods throw {@link WarehouseException} for database failures and {@link
 * IllegalArgumentException} for rows that can never be written (unknown column, wrong value type,
 * invalid JSON): the latter belong in a dead-letter table, retrying them cannot help.
 */
public interface Warehouse extends AutoCloseable {

  /**
   * Opens the warehouse behind a JDBC URL: {@code jdbc:duckdb:<path>} for a DuckDB file, {@code
   * jdbc:duckdb::memory:<name>} for a named in-memory database shared inside this JVM (tests).
   *
   * @throws IllegalArgumentException for any other URL (the Snowflake dialect is not available yet)
   */
  static Warehouse open(String jdbcUrl) {
    if (jdbcUrl == null) {
      throw new IllegalArgumentException("jdbcUrl is required");
    }
    if (jdbcUrl.startsWith(DuckDbDatabase.URL_PREFIX)) {
      return new DuckDbWarehouse(jdbcUrl);
    }
    if (jdbcUrl.startsWith("jdbc:snowflake:")) {
      throw new IllegalArgumentException(
          "The Snowflake dialect is not available yet; use a jdbc:duckdb:<path> URL for now");
    }
    throw new IllegalArgumentException(
        "Unsupported warehouse URL (only jdbc:duckdb:<path> or jdbc:duckdb::memory:<name> are"
            + " supported; the Snowflake dialect is not available yet): "
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
   * @throws IllegalArgumentException if a row belongs to another table, sets a column the table
   *     does not have, has a value of the wrong type, or carries invalid JSON
   */
  MergeResult merge(WarehouseTable table, List<WarehouseRow> rows);

  /**
   * Deletes the rows whose {@code column} equals one of {@code values} (e.g. all chunks of a call
   * before its new chunk set is merged). Values are bound, never spliced into SQL.
   *
   * @return number of rows deleted
   */
  long deleteWhere(WarehouseTable table, String column, Collection<String> values);

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
