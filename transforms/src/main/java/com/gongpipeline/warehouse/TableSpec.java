package com.gongpipeline.warehouse;

import java.util.List;
import java.util.Set;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A merge target as the writer sees it: where it is, its key and its volatile (bookkeeping)
 * columns. {@link WarehouseTable} entries map onto it; internal tables that are not part of the
 * public enum (the job log) get their own.
 *
 * <p>{@code keepStoredWhenNull}: enrichment columns (scores, embeddings) whose incoming NULL means
 * "could not compute now" (a model or look-up outage), never "no value": the MERGE keeps the
 * stored value for them and a NULL alone does not count as a change.
 *
 * <p>{@code versionColumn} / {@code callColumn}: in a versioned table, the column holding the
 * row's call version and the column naming its call (see {@link WarehouseTable#versionColumn()}).
 */
record TableSpec(String schema, String table, List<String> keyColumns, Set<String> volatileColumns,
    Set<String> keepStoredWhenNull, @Nullable String versionColumn, @Nullable String callColumn) {

  /** The job-log table; every column counts as a change (the key is JOB_ID). */
  static final TableSpec JOB_LOGS =
      new TableSpec("OPS_MONITORING", "ETL_JOB_LOGS", List.of("JOB_ID"), Set.of());

  /** High-water marks per sync (written only through the dialect's conditional statements). */
  static final TableSpec SYNC_STATE =
      new TableSpec("OPS_MONITORING", "SYNC_STATE", List.of("SYNC_NAME"), Set.of());

  /** Writer leases per sync (written only through the dialect's conditional statements). */
  static final TableSpec SYNC_LEASE =
      new TableSpec("OPS_MONITORING", "SYNC_LEASE", List.of("LEASE_NAME"), Set.of());

  /** The daily Gong request ledger (written only through the dialect's increments). */
  static final TableSpec GONG_API_USAGE =
      new TableSpec("OPS_MONITORING", "GONG_API_USAGE",
          List.of("USAGE_DAY", "JOB_ID", "ENDPOINT"), Set.of());

  /** A merge target that writes every column as staged (nulls included), without a version. */
  TableSpec(String schema, String table, List<String> keyColumns, Set<String> volatileColumns) {
    this(schema, table, keyColumns, volatileColumns, Set.of(), null, null);
  }

  /** When each call was fetched and is due again (written only through its own MERGE). */
  static final TableSpec CALL_FETCH_SCHEDULE =
      new TableSpec("OPS_MONITORING", "CALL_FETCH_SCHEDULE", List.of("CALL_ID"), Set.of());

  TableSpec {
    keyColumns = List.copyOf(keyColumns);
    volatileColumns = Set.copyOf(volatileColumns);
    keepStoredWhenNull = Set.copyOf(keepStoredWhenNull);
    if (keyColumns.isEmpty()) {
      throw new IllegalArgumentException(schema + "." + table + " needs at least one key column");
    }
  }

  static TableSpec of(WarehouseTable t) {
    return new TableSpec(t.schema(), t.table(), t.keyColumns(), t.volatileColumns(),
        t.keepStoredWhenNull(), t.versionColumn(), t.callColumn());
  }

  String qualifiedName() {
    return schema + "." + table;
  }
}
