package com.gongpipeline.warehouse;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Merges on DuckDB ({@link DuckDbMerger}): rows are staged in parallel with other writers (TEMP
 * tables are private to their connection), then merged in one transaction under the table's
 * JVM-wide write lock, because DuckDB's optimistic concurrency would otherwise abort one of two
 * transactions racing on the same rows, and DuckDB 2.0.0 does not detect every write-write
 * conflict (see {@link DuckDbWarehouse}).
 */
final class DuckDbRowWriter extends RowWriter<DuckDBConnection> {
  private static final Logger LOG = LoggerFactory.getLogger(DuckDbRowWriter.class);

  private final DuckDbMerger merger;

  DuckDbRowWriter(ConnectionProvider<DuckDBConnection> conns, WarehouseSchema schema) {
    super(conns, schema);
    this.merger = new DuckDbMerger(conns.dialect());
  }

  @Override
  MergeResult merge(WarehouseTable table, List<WarehouseRow> rows) {
    if (rows.isEmpty()) {
      return MergeResult.EMPTY;
    }
    TableSpec spec = TableSpec.of(table);
    List<Column> columns = schema.columns(spec);
    List<Map<String, @Nullable Object>> values = new ArrayList<>(rows.size());
    List<String> names = new ArrayList<>(rows.size());
    checkRows(table, columnNames(columns), rows, values, names);
    long t0 = System.nanoTime();
    MergeResult result = mergeRows(spec, columns, values, names);
    LOG.debug("Merged {} rows into {} in {} ms: {}", rows.size(), spec.qualifiedName(),
        (System.nanoTime() - t0) / 1_000_000, result);
    return result;
  }

  /**
   * Stages the new rows (in parallel with other writers), then, in one transaction under the
   * table's write lock: deletes the parents' rows whose keys are not staged and merges the staged
   * rows. A failure rolls back both.
   */
  @Override
  MergeResult replaceChildren(WarehouseTable table, String parentColumn,
      Collection<String> parentIds, List<WarehouseRow> rows) {
    TableSpec spec = TableSpec.of(table);
    List<Column> columns = schema.columns(spec);
    String parent = schema.requireColumn(spec, parentColumn);
    Set<String> parents = new LinkedHashSet<>(distinctIds(parentIds));
    List<Map<String, @Nullable Object>> values = new ArrayList<>(rows.size());
    List<String> names = new ArrayList<>(rows.size());
    checkRows(table, columnNames(columns), rows, values, names);
    checkParents(rows, parent, parents);
    if (parents.isEmpty()) {
      return MergeResult.EMPTY;
    }
    List<String> parentList = new ArrayList<>(parents);
    long t0 = System.nanoTime();
    MergeResult result = conns.retrying("replace children in " + spec.qualifiedName(), conn -> {
      String stage = merger.stage(conn, spec, columns, values, names);
      return conns.inTransaction(conn, spec, () -> {
        long deleted = deleteChildrenNotStaged(conn, spec, parent, stage, parentList);
        MergeResult merged = merger.mergeStaged(conn, spec, columns, stage, values, names);
        return new MergeResult(merged.inserted(), merged.updated(), merged.unchanged(), deleted);
      });
    });
    LOG.debug("Replaced children of {} parents in {} in {} ms: {}", parents.size(),
        spec.qualifiedName(), (System.nanoTime() - t0) / 1_000_000, result);
    return result;
  }

  @Override
  void mergeValues(TableSpec spec, Map<String, @Nullable Object> values, String rowName) {
    mergeRows(spec, schema.columns(spec), List.of(values), List.of(rowName));
  }

  /** Stages rows in parallel with other writers, then merges them under the table's write lock. */
  private MergeResult mergeRows(TableSpec spec, List<Column> columns,
      List<? extends Map<String, @Nullable Object>> values, List<String> names) {
    return conns.retrying("merge into " + spec.qualifiedName(), conn -> {
      String stage = merger.stage(conn, spec, columns, values, names);
      return conns.inTransaction(conn, spec,
          () -> merger.mergeStaged(conn, spec, columns, stage, values, names));
    });
  }

  /** Checks that rows belong to the table and set only its columns; collects values and names. */
  private static void checkRows(WarehouseTable table, Set<String> known, List<WarehouseRow> rows,
      List<Map<String, @Nullable Object>> values, List<String> names) {
    for (WarehouseRow row : rows) {
      checkRow(table, known, row);
      values.add(row.values());
      names.add(row.toString());
    }
  }
}
