package com.gongpipeline.warehouse;

import java.util.List;
import java.util.Map;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The schema and read-only access to it: DDL, counts, and queries for reports and tests.
 *
 * <p>One role of the {@link Warehouse} facade; a caller that needs only this role declares this
 * type. Failures are {@link WarehouseException}s with a {@link
 * com.gongpipeline.errors.FailureKind} (see {@link Warehouse}).
 */
public interface WarehouseCatalog {
  /**
   * Creates the schemas and tables (DDL under {@code sql/<dialect>/}, applied in a fixed order).
   * Idempotent; safe to call from many threads at once; runs the DDL once per open database per
   * JVM.
   */
  void applySchema();

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
   * Compares the warehouse with this version's DDL and probes every merge target with a zero-row
   * MERGE through a temporary staging table (the job's write path); changes no row. For {@code
   * check}.
   */
  SchemaCheck checkSchema();
}
