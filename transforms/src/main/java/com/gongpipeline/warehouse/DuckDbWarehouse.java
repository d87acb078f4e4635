package com.gongpipeline.warehouse;

import com.gongpipeline.errors.RetryPolicy;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.Lock;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Warehouse} on an embedded DuckDB database (a file, or a named in-memory database).
 *
 * <p>Thread-safe: each operation borrows a connection (a {@code duplicate()} of the JVM-wide
 * instance kept by {@link DuckDbDatabase}) from this warehouse's small pool, so concurrent callers
 * never share one. A merge stages its rows in parallel with other threads, then runs its MERGE
 * transaction under a per-table write lock shared by all warehouses on the database: DuckDB's
 * optimistic concurrency would otherwise abort one of two transactions racing on the same rows
 * ("Conflict on update", a duplicate new key). Such conflicts are still retried (fresh connection,
 * jittered backoff, up to {@value #MAX_ATTEMPTS} attempts) as a safety net. A connection that saw
 * any error is discarded, not pooled.
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
  private static final Logger LOG = LoggerFactory.getLogger(DuckDbWarehouse.class);
  static final int MAX_ATTEMPTS = 10;

  private final SqlDialect dialect = new DuckDbDialect();
  private final DuckDbMerger merger = new DuckDbMerger(dialect);
  private final DuckDbDatabase db;
  private final RetryPolicy retryPolicy = RetryPolicy.builder()
      .withMaxAttempts(MAX_ATTEMPTS)
      .withInitialBackoff(Duration.ofMillis(20))
      .withMaxBackoff(Duration.ofSeconds(1))
      .withMaxTotalWait(Duration.ofSeconds(30))
      .withClassifier(dialect::classify)
      .withListener(retryLog("write conflict"))
      .build();

  /** Opens (or joins) the database behind a {@code jdbc:duckdb:} URL with default options. */
  public DuckDbWarehouse(String jdbcUrl) {
    this(jdbcUrl, OpenOptions.defaults());
  }

  /** Opens (or joins) the database behind a {@code jdbc:duckdb:} URL. */
  public DuckDbWarehouse(String jdbcUrl, OpenOptions options) {
    this(jdbcUrl, options, Clock.systemUTC());
  }

  /** With the clock that lease expiry and sync timestamps are taken from (tests). */
  DuckDbWarehouse(String jdbcUrl, OpenOptions options, Clock clock) {
    super(clock);
    this.db = DuckDbDatabase.acquire(jdbcUrl, options);
  }

  @Override
  public void applySchema() {
    checkOpen();
    db.applySchemaOnce(dialect);
  }

  @Override
  public MergeResult merge(WarehouseTable table, List<WarehouseRow> rows) {
    if (rows.isEmpty()) {
      return MergeResult.EMPTY;
    }
    TableSpec spec = TableSpec.of(table);
    List<Column> columns = columns(spec);
    List<Map<String, @Nullable Object>> values = new ArrayList<>(rows.size());
    List<String> names = new ArrayList<>(rows.size());
    checkRows(table, columnNames(columns), rows, values, names);
    long t0 = System.nanoTime();
    MergeResult result = mergeRows(spec, columns, values, names);
    LOG.debug("Merged {} rows into {} in {} ms: {}", rows.size(), spec.qualifiedName(),
        (System.nanoTime() - t0) / 1_000_000, result);
    return result;
  }

  @Override
  public long deleteWhere(WarehouseTable table, String column, Collection<String> values) {
    TableSpec spec = TableSpec.of(table);
    String col = column.toUpperCase(Locale.ROOT);
    if (!columnNames(columns(spec)).contains(col)) {
      throw new IllegalArgumentException("table " + table.qualifiedName() + " has no column " + column);
    }
    List<String> distinct = new ArrayList<>(new LinkedHashSet<>(values));
    if (distinct.isEmpty()) {
      return 0;
    }
    return deleteIn(spec, col, distinct);
  }

  /**
   * Stages the new rows (in parallel with other writers), then, in one transaction under the
   * table's write lock: deletes the parents' rows whose keys are not staged (in chunks of {@value
   * #ID_BATCH} bound parent ids) and merges the staged rows. A failure rolls back both.
   */
  @Override
  public MergeResult replaceChildren(WarehouseTable table, String parentColumn,
      Collection<String> parentIds, List<WarehouseRow> rows) {
    TableSpec spec = TableSpec.of(table);
    List<Column> columns = columns(spec);
    Set<String> known = columnNames(columns);
    String parent = parentColumn.toUpperCase(Locale.ROOT);
    if (!known.contains(parent)) {
      throw new IllegalArgumentException(
          "table " + table.qualifiedName() + " has no column " + parentColumn);
    }
    Set<String> parents = new LinkedHashSet<>();
    for (String id : parentIds) {
      if (id == null) {
        throw new IllegalArgumentException("parentIds must not contain null");
      }
      parents.add(id);
    }
    List<Map<String, @Nullable Object>> values = new ArrayList<>(rows.size());
    List<String> names = new ArrayList<>(rows.size());
    checkRows(table, known, rows, values, names);
    checkParents(rows, parent, parents);
    if (parents.isEmpty()) {
      return MergeResult.EMPTY;
    }
    List<String> parentList = new ArrayList<>(parents);
    long t0 = System.nanoTime();
    MergeResult result = retrying("replace children in " + spec.qualifiedName(), conn -> {
      String stage = merger.stage(conn, spec, columns, values, names);
      return inTransaction(conn, spec, () -> {
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
  public boolean advanceHighWaterMark(String syncName, Instant mark, String jobId) {
    requireText(syncName, "syncName");
    requireText(jobId, "jobId");
    if (mark == null) {
      throw new IllegalArgumentException("mark is required");
    }
    long markMicros = DuckDbValues.epochMicros(mark);
    TableSpec spec = TableSpec.SYNC_STATE;
    return retrying("advance high-water mark " + syncName, conn -> inTransaction(conn, spec, () -> {
      BoundSql sql = dialect.advanceHighWaterMark(
          syncName, markMicros, DuckDbValues.epochMicros(clock.instant()), jobId);
      try (PreparedStatement ps = prepare(conn, sql)) {
        return wrote(ps);
      }
    }));
  }

  @Override
  public long deleteStaleChildren(WarehouseTable table, String parentColumn, String parentId,
      String keyColumn, Collection<String> keepKeys) {
    TableSpec spec = TableSpec.of(table);
    Set<String> known = columnNames(columns(spec));
    String parent = parentColumn.toUpperCase(Locale.ROOT);
    String key = keyColumn.toUpperCase(Locale.ROOT);
    if (!known.contains(parent) || !known.contains(key)) {
      throw new IllegalArgumentException("table " + table.qualifiedName() + " lacks column "
          + (known.contains(parent) ? keyColumn : parentColumn));
    }
    List<String> keep = distinctIds(keepKeys);
    return writeOne("delete stale rows from " + spec.qualifiedName(), spec, conn -> {
      try (PreparedStatement ps = prepare(conn,
          dialect.deleteStaleChildren(spec, parent, parentId, key, keep))) {
        return (long) ps.executeUpdate();
      }
    });
  }

  @Override
  public void recordJob(JobLog log) {
    TableSpec spec = TableSpec.JOB_LOGS;
    List<Column> columns = columns(spec);
    mergeRows(spec, columns, List.of(JobLogRows.toColumns(log)),
        List.of(spec.qualifiedName() + "[" + log.jobId() + "]"));
  }

  @Override
  public String toString() {
    return "DuckDbWarehouse[" + db.url() + "]";
  }

  /** Stages rows in parallel with other writers, then merges them under the table's write lock. */
  private MergeResult mergeRows(TableSpec spec, List<Column> columns,
      List<? extends Map<String, @Nullable Object>> values, List<String> names) {
    return retrying("merge into " + spec.qualifiedName(), conn -> {
      String stage = merger.stage(conn, spec, columns, values, names);
      return inTransaction(conn, spec,
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

  private static final Set<String> READ_VERBS = Set.of("SELECT", "WITH", "FROM", "VALUES", "TABLE",
      "DESCRIBE", "SHOW", "SUMMARIZE", "EXPLAIN", "PIVOT", "UNPIVOT", "(");

  private static float @Nullable [] floats(@Nullable Array array) throws SQLException {
    if (array == null) {
      return null;
    }
    Object[] boxed = (Object[]) array.getArray();
    float[] f = new float[boxed.length];
    for (int i = 0; i < boxed.length; i++) {
      f[i] = ((Number) boxed[i]).floatValue();
    }
    return f;
  }

  // ---- JdbcWarehouse template methods ----

  @Override
  SqlDialect dialect() {
    return dialect;
  }

  @Override
  String url() {
    return db.url();
  }

  @Override
  List<Column> columns(TableSpec spec) {
    return withConnection(conn -> db.columns(dialect, spec, conn));
  }

  @Override
  DuckDBConnection openConnection() {
    try {
      return db.newConnection();
    } catch (SQLException e) {
      throw new WarehouseException(dialect.kindOf(e), "Cannot open a connection to " + db.url(), e);
    }
  }

  /** Closes it: DuckDB connections are pooled per instance only. */
  @Override
  void retire(DuckDBConnection c) {
    closeQuietly(c);
  }

  @Override
  void afterClose() {
    db.release();
  }

  @Override
  void rollbackQuietly(DuckDBConnection c) {
    try {
      c.rollback();
    } catch (SQLException e) {
      LOG.debug("rollback failed (transaction already ended)", e);
    }
  }

  /**
   * Write conflicts (possible despite the write locks, e.g. against a writer outside them) are
   * retried on a fresh connection with jittered back-off, up to {@value #MAX_ATTEMPTS} attempts.
   */
  @Override
  RetryPolicy retryPolicy() {
    return retryPolicy;
  }

  /**
   * Runs {@code work} in one transaction on {@code conn}, holding the table's write lock from
   * before the transaction starts (so its snapshot includes every earlier writer's commit) until
   * after it commits.
   */
  @Override
  <T> T inTransaction(DuckDBConnection conn, TableSpec spec, TxWork<T> work)
      throws SQLException {
    Lock lock = db.writeLock(spec.qualifiedName());
    lock.lock();
    try {
      conn.setAutoCommit(false);
      T result = work.run();
      conn.commit();
      conn.setAutoCommit(true);
      return result;
    } finally {
      lock.unlock();
    }
  }

  /** In a transaction under the table's write lock. */
  @Override
  <T> T writeOne(String what, TableSpec spec, SqlWork<DuckDBConnection, T> work) {
    return retrying(what, conn -> inTransaction(conn, spec, () -> work.run(conn)));
  }

  /** DuckDB's conditional statements end in RETURNING: a row when they wrote. */
  @Override
  boolean wrote(PreparedStatement ps) throws SQLException {
    try (ResultSet rs = ps.executeQuery()) {
      return rs.next();
    }
  }

  @Override
  void bindOther(PreparedStatement ps, int i, Object p) throws SQLException {
    if (p instanceof Integer n) {
      ps.setInt(i, n);
    } else if (p instanceof Float f) {
      ps.setFloat(i, f);
    } else if (p instanceof Instant t) {
      ps.setObject(i, LocalDateTime.ofInstant(t, ZoneOffset.UTC)); // a UTC TIMESTAMP
    } else {
      throw new IllegalArgumentException("Unsupported parameter type " + p.getClass());
    }
  }

  @Override
  Set<String> readVerbs() {
    return READ_VERBS;
  }

  /**
   * TIMESTAMP values come back as {@link Instant} (UTC), TIMESTAMPTZ as Instant, FLOAT[] as {@code
   * float[]}, other lists as {@code List}, JSON as its text.
   */
  @Override
  @Nullable Object readValue(ResultSet rs, int i, ResultSetMetaData md) throws SQLException {
    String type = md.getColumnTypeName(i);
    Object v = rs.getObject(i);
    if (v == null) {
      return null;
    }
    if ("TIMESTAMP".equals(type)) {
      return rs.getObject(i, LocalDateTime.class).toInstant(ZoneOffset.UTC);
    }
    if (type.startsWith("TIMESTAMP WITH TIME ZONE")) {
      return rs.getObject(i, OffsetDateTime.class).toInstant();
    }
    if (v instanceof Array a) {
      return type.startsWith("FLOAT[") ? floats(a) : Arrays.asList((Object[]) a.getArray());
    }
    if ("JSON".equals(type)) {
      return v.toString();
    }
    if (v instanceof java.sql.Date d) {
      return d.toLocalDate();
    }
    return v;
  }

  @Override
  float @Nullable [] readEmbedding(ResultSet rs, int column) throws SQLException {
    return floats(rs.getArray(column));
  }

  @Override
  Set<String> countedSchemas() {
    Set<String> schemas = new TreeSet<>();
    for (WarehouseTable t : WarehouseTable.values()) {
      schemas.add(t.schema());
    }
    schemas.add(TableSpec.JOB_LOGS.schema());
    return schemas;
  }
}
