package com.gongpipeline.warehouse;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Merges on Snowflake: rows are converted and checked in Java first ({@link SnowflakeValues}:
 * wrong types, invalid JSON, vectors of the wrong dimension are a PERMANENT {@link
 * WarehouseException} before anything is sent), then batch-INSERTed into a per-merge TEMPORARY
 * staging table (array binding; each {@code executeBatch} stays under {@value
 * #MAX_BINDS_PER_BATCH} binds, below the driver's 65,280-bind threshold above which it would
 * upload the binds to a temporary stage, and under {@value #MAX_CHARS_PER_BATCH} characters of
 * bound text, Snowflake's 1 MB statement limit), and merged by ONE MERGE that de-duplicates by key
 * and updates only rows whose non-volatile columns differ. {@code replaceChildren} runs its DELETE
 * and the MERGE in one transaction. DDL (creating and dropping the staging table) stays outside
 * transactions because Snowflake commits on DDL.
 */
final class SnowflakeRowWriter extends RowWriter<Connection> {
  private static final Logger LOG = LoggerFactory.getLogger(SnowflakeRowWriter.class);

  /** Binds per executeBatch: below the driver's stage-binding threshold (65,280). */
  static final int MAX_BINDS_PER_BATCH = 65_000;

  /** Characters of bound text per executeBatch: Snowflake limits a statement to 1 MB. */
  static final int MAX_CHARS_PER_BATCH = 900_000;

  private static final AtomicLong STAGING_IDS = new AtomicLong();

  /** Rows converted to binds (in order, sequence last) and the number of distinct keys. */
  private record Staged(List<Object[]> binds, long distinctKeys) {}

  private final SnowflakeDialect snowflake;

  SnowflakeRowWriter(ConnectionProvider<Connection> conns, WarehouseSchema schema,
      SnowflakeDialect snowflake) {
    super(conns, schema);
    this.snowflake = snowflake;
  }

  @Override
  MergeResult merge(WarehouseTable table, List<WarehouseRow> rows) {
    if (rows.isEmpty()) {
      return MergeResult.EMPTY;
    }
    TableSpec spec = TableSpec.of(table);
    List<Column> columns = schema.columns(spec);
    return mergeRows(spec, columns, convert(table, columns, rows), null, List.of());
  }

  @Override
  MergeResult replaceChildren(WarehouseTable table, String parentColumn,
      Collection<String> parentIds, List<WarehouseRow> rows) {
    TableSpec spec = TableSpec.of(table);
    List<Column> columns = schema.columns(spec);
    String parent = schema.requireColumn(spec, parentColumn);
    Set<String> parents = new LinkedHashSet<>(distinctIds(parentIds));
    Staged staged = convert(table, columns, rows);
    checkParents(rows, parent, parents);
    if (parents.isEmpty()) {
      return MergeResult.EMPTY;
    }
    return mergeRows(spec, columns, staged, parent, new ArrayList<>(parents));
  }

  @Override
  void mergeValues(TableSpec spec, Map<String, @Nullable Object> values, String rowName) {
    List<Column> columns = schema.columns(spec);
    List<Object[]> binds = new ArrayList<>();
    binds.add(SnowflakeValues.stagingRow(columns, values, 0, rowName));
    mergeRows(spec, columns, new Staged(binds, 1), null, List.of());
  }

  /** Checks rows against the table and converts every value; nothing is sent yet. */
  private static Staged convert(WarehouseTable table, List<Column> columns,
      List<WarehouseRow> rows) {
    Set<String> known = columnNames(columns);
    List<Object[]> binds = new ArrayList<>(rows.size());
    Set<List<@Nullable Object>> keys = new HashSet<>();
    for (int i = 0; i < rows.size(); i++) {
      WarehouseRow row = rows.get(i);
      checkRow(table, known, row);
      binds.add(SnowflakeValues.stagingRow(columns, row.values(), i, row.toString()));
      List<@Nullable Object> key = new ArrayList<>();
      for (String k : table.keyColumns()) {
        key.add(row.get(k));
      }
      keys.add(key);
    }
    return new Staged(binds, keys.size());
  }

  /**
   * Stages the binds, then in one transaction: deletes the parents' unstaged children (when
   * {@code parentColumn} is set) and runs the MERGE. The staging table is dropped afterwards.
   */
  private MergeResult mergeRows(TableSpec spec, List<Column> columns, Staged staged,
      @Nullable String parentColumn, List<String> parents) {
    long t0 = System.nanoTime();
    SqlDialect dialect = dialect();
    MergeResult result = conns.retrying("merge into " + spec.qualifiedName(), conn -> {
      String stage = SnowflakeDialect.stagingName(spec, STAGING_IDS.incrementAndGet());
      try (Statement st = conn.createStatement()) {
        st.execute(dialect.createStagingTable(stage, columns));
      }
      try {
        insertStaged(conn, stage, columns, staged.binds());
        return conns.inTransaction(conn, spec, () -> {
          long deleted = parentColumn == null ? 0
              : deleteChildrenNotStaged(conn, spec, parentColumn, stage, parents);
          long[] counts = runMerge(conn, dialect.merge(spec, columns, stage));
          return new MergeResult(counts[0], counts[1],
              staged.distinctKeys() - counts[0] - counts[1], deleted);
        });
      } catch (SQLException | RuntimeException e) {
        ConnectionProvider.rollbackQuietly(conn); // before the DROP: DDL would commit an open transaction
        throw e;
      } finally {
        dropQuietly(conn, stage);
      }
    });
    LOG.debug("Merged {} rows into {} in {} ms: {}", staged.binds().size(), spec.qualifiedName(),
        (System.nanoTime() - t0) / 1_000_000, result);
    return result;
  }

  /** Batch-INSERTs the binds, one executeBatch per {@link #batchSizes} slice. */
  private void insertStaged(Connection conn, String stage, List<Column> columns,
      List<Object[]> binds) throws SQLException {
    int[] types = new int[columns.size() + 1];
    for (int i = 0; i < columns.size(); i++) {
      types[i] = SnowflakeValues.jdbcType(columns.get(i));
    }
    types[columns.size()] = Types.BIGINT;
    try (PreparedStatement ps = conn.prepareStatement(snowflake.insertStaging(stage, columns))) {
      int from = 0;
      for (int size : batchSizes(binds, types.length)) {
        for (Object[] row : binds.subList(from, from + size)) {
          for (int c = 0; c < row.length; c++) {
            SnowflakeValues.bind(ps, c + 1, types[c], row[c]);
          }
          ps.addBatch();
        }
        ps.executeBatch();
        from += size;
      }
    }
  }

  /**
   * Splits rows into executeBatch slices of at most {@value #MAX_BINDS_PER_BATCH} binds and
   * {@value #MAX_CHARS_PER_BATCH} characters of bound text (a single larger row goes alone).
   */
  static List<Integer> batchSizes(List<Object[]> rows, int bindsPerRow) {
    int maxRows = Math.max(1, MAX_BINDS_PER_BATCH / bindsPerRow);
    List<Integer> sizes = new ArrayList<>();
    int count = 0;
    long chars = 0;
    for (Object[] row : rows) {
      long rowChars = 0;
      for (Object v : row) {
        rowChars += v instanceof String s ? s.length() : 8;
      }
      if (count > 0 && (count == maxRows || chars + rowChars > MAX_CHARS_PER_BATCH)) {
        sizes.add(count);
        count = 0;
        chars = 0;
      }
      count++;
      chars += rowChars;
    }
    if (count > 0) {
      sizes.add(count);
    }
    return sizes;
  }

  /** Runs a MERGE and reads its counts: [inserted, updated]. */
  static long[] runMerge(Connection conn, String sql) throws SQLException {
    long inserted = 0;
    long updated = 0;
    // A MERGE is DML: the driver's execute() reports only an update count, while executeQuery()
    // returns Snowflake's one-row result ("number of rows inserted", "number of rows updated").
    try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      ResultSetMetaData md = rs.getMetaData();
      if (!rs.next()) {
        throw new SQLException("MERGE returned no counts");
      }
      for (int i = 1; i <= md.getColumnCount(); i++) {
        String label = md.getColumnLabel(i).toLowerCase(Locale.ROOT);
        if (label.contains("inserted")) {
          inserted = rs.getLong(i);
        } else if (label.contains("updated")) {
          updated = rs.getLong(i);
        }
      }
    }
    return new long[] {inserted, updated};
  }


  private void dropQuietly(Connection conn, String stage) {
    try (Statement st = conn.createStatement()) {
      st.execute(dialect().dropStagingTable(stage));
    } catch (SQLException e) {
      LOG.debug("dropping {} failed (the session drops it anyway)", stage, e);
    }
  }
}
