package com.gongpipeline.warehouse;

import com.gongpipeline.snowflake.SnowflakeConnections;
import com.gongpipeline.errors.RetryPolicy;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Warehouse} on Snowflake over the JDBC driver (snowflake-jdbc 3.23.1), with every
 * statement produced by {@link SnowflakeDialect}.
 *
 * <p>A merge: rows are converted and checked in Java first (wrong types, invalid JSON, vectors of
 * the wrong dimension are an {@link IllegalArgumentException} before anything is sent), then
 * batch-INSERTed into a per-merge TEMPORARY staging table (array binding; each {@code
 * executeBatch} stays under {@value #MAX_BINDS_PER_BATCH} binds, below the driver's 65,280-bind
 * threshold above which it would upload the binds to a temporary stage, and under {@value
 * #MAX_CHARS_PER_BATCH} characters of bound text, Snowflake's 1 MB statement limit), and merged
 * by ONE MERGE that de-duplicates by key and updates only rows whose non-volatile columns differ.
 * {@code replaceChildren} runs its DELETE and the MERGE in one transaction. DDL (creating and
 * dropping the staging table) stays outside transactions because Snowflake commits on DDL.
 *
 * <p>Concurrency: Snowflake runs DML on one table one statement at a time and each statement sees
 * the latest committed rows, so concurrent merges of the same new key cannot both insert, and the
 * conditional MERGE/UPDATE statements of marks and leases are atomic without a client lock.
 *
 * <p>Column lists come from the DDL in {@code sql/snowflake/} ({@link DdlTables}), not from the
 * catalog. Connections are pooled per instance (thread-safe; one borrower per connection) and,
 * on {@link #close()}, handed to a small JVM-wide pool per URL and properties, because the
 * pipeline opens a warehouse per batch and a Snowflake login is expensive; a failed connection is
 * closed, never pooled. The credentials are in the {@link Properties} ({@link
 * SnowflakeConnections}) and never logged.
 */
public final class SnowflakeWarehouse extends JdbcWarehouse<Connection> {
  private static final Logger LOG = LoggerFactory.getLogger(SnowflakeWarehouse.class);

  /** Binds per executeBatch: below the driver's stage-binding threshold (65,280). */
  static final int MAX_BINDS_PER_BATCH = 65_000;

  /** Characters of bound text per executeBatch: Snowflake limits a statement to 1 MB. */
  static final int MAX_CHARS_PER_BATCH = 900_000;

  static final int MAX_ATTEMPTS = 3;
  private static final AtomicLong STAGING_IDS = new AtomicLong();

  /** Opens a JDBC connection (the driver in production, a fake in tests). */
  @FunctionalInterface
  interface ConnectionSource {
    Connection open() throws SQLException;
  }

  private final SnowflakeDialect dialect = new SnowflakeDialect();
  /** Parsed once per JVM: writers open a warehouse per batch. */
  private static final DdlTables DDL = DdlTables.fromResources(SnowflakeDialect.SCHEMA_SCRIPTS);

  /** Idle sessions kept per JVM for later warehouses on the same URL and properties. */
  static final int MAX_SHARED_IDLE = 8;
  /** Shared sessions idle longer than this are closed instead of reused. */
  static final long MAX_IDLE_NANOS = java.util.concurrent.TimeUnit.MINUTES.toNanos(5);
  private static final Map<String, Deque<Idle>> SHARED = new java.util.concurrent.ConcurrentHashMap<>();

  /** A pooled session and when it was last given back. */
  private record Idle(Connection connection, long sinceNanos) {}

  private final DdlTables ddl = DDL;
  private final @Nullable String sharedKey;
  private final String url;
  private final ConnectionSource source;
  private final AtomicBoolean schemaApplied = new AtomicBoolean();
  private final RetryPolicy retryPolicy = RetryPolicy.builder()
      .withMaxAttempts(MAX_ATTEMPTS)
      .withInitialBackoff(java.time.Duration.ofMillis(500))
      .withMaxBackoff(java.time.Duration.ofSeconds(5))
      .withClassifier(dialect::classify)
      .withListener(retryLog("transient failure"))
      .build();

  /** Connects with properties from the environment ({@link SnowflakeConnections}). */
  public static SnowflakeWarehouse open(String jdbcUrl) {
    return new SnowflakeWarehouse(jdbcUrl, SnowflakeConnections.fromEnvironment());
  }

  /** Connects to {@code jdbc:snowflake://<account>.snowflakecomputing.com/} with these properties. */
  public SnowflakeWarehouse(String jdbcUrl, Properties properties) {
    this(jdbcUrl, driverSource(jdbcUrl, properties), Clock.systemUTC(),
        jdbcUrl + "|" + properties.hashCode());
  }

  /** With an explicit connection source and clock (tests); sessions are not shared. */
  SnowflakeWarehouse(String jdbcUrl, ConnectionSource source, Clock clock) {
    this(jdbcUrl, source, clock, null);
  }

  /** With a connection source whose sessions are shared under {@code sharedKey} (tests). */
  SnowflakeWarehouse(String jdbcUrl, ConnectionSource source, Clock clock,
      @Nullable String sharedKey) {
    super(clock);
    this.url = redact(jdbcUrl);
    this.source = source;
    this.sharedKey = sharedKey;
  }

  private static ConnectionSource driverSource(String jdbcUrl, Properties properties) {
    if (!jdbcUrl.startsWith("jdbc:snowflake:")) {
      throw new IllegalArgumentException("Not a Snowflake URL: " + redact(jdbcUrl));
    }
    Properties copy = new Properties();
    copy.putAll(properties);
    return () -> DriverManager.getConnection(jdbcUrl, copy);
  }

  /** Runs the statements of {@code sql/snowflake/0*.sql} once per instance (all idempotent). */
  @Override
  public void applySchema() {
    checkOpen();
    synchronized (schemaApplied) {
      if (schemaApplied.get()) {
        return;
      }
      retrying("apply schema", conn -> {
        try (Statement st = conn.createStatement()) {
          for (String script : dialect.schemaScripts()) {
            for (String sql : statements(DdlTables.resource(script))) {
              st.execute(sql);
            }
          }
        }
        return null;
      });
      schemaApplied.set(true);
    }
  }

  /** The statements of a script: comments removed, split at {@code ;}, blanks dropped. */
  static List<String> statements(String script) {
    List<String> out = new ArrayList<>();
    for (String s : DdlTables.stripComments(script).split(";")) {
      if (!s.isBlank()) {
        out.add(s.strip());
      }
    }
    return out;
  }

  @Override
  public MergeResult merge(WarehouseTable table, List<WarehouseRow> rows) {
    if (rows.isEmpty()) {
      return MergeResult.EMPTY;
    }
    TableSpec spec = TableSpec.of(table);
    List<Column> columns = ddl.columns(spec);
    Staged staged = convert(table, columns, rows);
    return mergeRows(spec, columns, staged, null, List.of());
  }

  @Override
  public long deleteWhere(WarehouseTable table, String column, Collection<String> values) {
    TableSpec spec = TableSpec.of(table);
    String col = requireColumn(spec, column);
    List<String> distinct = distinctIds(values);
    if (distinct.isEmpty()) {
      return 0;
    }
    return deleteIn(spec, col, distinct);
  }

  @Override
  public MergeResult replaceChildren(WarehouseTable table, String parentColumn,
      Collection<String> parentIds, List<WarehouseRow> rows) {
    TableSpec spec = TableSpec.of(table);
    List<Column> columns = ddl.columns(spec);
    String parent = requireColumn(spec, parentColumn);
    Set<String> parents = new LinkedHashSet<>(distinctIds(parentIds));
    Staged staged = convert(table, columns, rows);
    checkParents(rows, parent, parents);
    if (parents.isEmpty()) {
      return MergeResult.EMPTY;
    }
    return mergeRows(spec, columns, staged, parent, new ArrayList<>(parents));
  }

  @Override
  public boolean advanceHighWaterMark(String syncName, Instant mark, String jobId) {
    requireText(syncName, "syncName");
    requireText(jobId, "jobId");
    if (mark == null) {
      throw new IllegalArgumentException("mark is required");
    }
    BoundSql sql = dialect.advanceHighWaterMark(syncName, DuckDbValues.epochMicros(mark),
        DuckDbValues.epochMicros(clock.instant()), jobId);
    return retrying("advance high-water mark " + syncName, conn -> {
      try (PreparedStatement ps = prepare(conn, sql)) {
        return wrote(ps);
      }
    });
  }

  @Override
  public long deleteStaleChildren(WarehouseTable table, String parentColumn, String parentId,
      String keyColumn, Collection<String> keepKeys) {
    TableSpec spec = TableSpec.of(table);
    String parent = requireColumn(spec, parentColumn);
    String key = requireColumn(spec, keyColumn);
    List<String> keep = distinctIds(keepKeys);
    BoundSql sql = dialect.deleteStaleChildren(spec, parent, parentId, key, keep);
    return retrying("delete stale rows from " + spec.qualifiedName(), conn -> {
      try (PreparedStatement ps = prepare(conn, sql)) {
        return (long) ps.executeUpdate();
      }
    });
  }

  @Override
  public void recordJob(JobLog log) {
    TableSpec spec = TableSpec.JOB_LOGS;
    List<Column> columns = ddl.columns(spec);
    String name = spec.qualifiedName() + "[" + log.jobId() + "]";
    List<Object[]> binds = new ArrayList<>();
    binds.add(SnowflakeValues.stagingRow(columns, JobLogRows.toColumns(log), 0, name));
    mergeRows(spec, columns, new Staged(binds, 1), null, List.of());
  }

  /**
   * Empty when the query's dimension is not the EMBEDDING column's (no stored row can match, and
   * Snowflake cannot compare vectors of different sizes); otherwise the dialect's search.
   */
  @Override
  public List<SearchHit> search(SearchQuery query) {
    if (query.dimension() != embeddingDimension()) {
      return List.of();
    }
    return super.search(query);
  }

  /** The dimension of AI_MEMORY.MEMORY_RECORDS.EMBEDDING as the DDL declares it. */
  int embeddingDimension() {
    for (Column c : ddl.columns(TableSpec.of(WarehouseTable.MEMORY_RECORDS))) {
      if (c.name().equals("EMBEDDING")) {
        return SnowflakeDialect.vectorDimension(c);
      }
    }
    throw new IllegalStateException("AI_MEMORY.MEMORY_RECORDS has no EMBEDDING column");
  }

  /**
   * Keeps a healthy session for the next warehouse on the same URL and properties (the pipeline
   * opens one per batch; a Snowflake login costs a round trip or more), up to {@value
   * #MAX_SHARED_IDLE} per key; closes it otherwise.
   */
  private void share(Connection c) {
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
  private @Nullable Connection fromShared() {
    Deque<Idle> pool = sharedKey == null ? null : SHARED.get(sharedKey);
    if (pool == null) {
      return null;
    }
    Idle i;
    while ((i = pool.poll()) != null) {
      if (System.nanoTime() - i.sinceNanos() < MAX_IDLE_NANOS) {
        return i.connection();
      }
      closeQuietly(i.connection());
    }
    return null;
  }

  @Override
  public String toString() {
    return "SnowflakeWarehouse[" + url + "]";
  }

  // ---- the merge ----

  /** Rows converted to binds (in order, sequence last) and the number of distinct keys. */
  private record Staged(List<Object[]> binds, long distinctKeys) {}

  /** Checks rows against the table and converts every value; nothing is sent yet. */
  private static Staged convert(WarehouseTable table, List<Column> columns, List<WarehouseRow> rows) {
    Set<String> known = new HashSet<>();
    for (Column c : columns) {
      known.add(c.name());
    }
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
    MergeResult result = retrying("merge into " + spec.qualifiedName(), conn -> {
      String stage = SnowflakeDialect.stagingName(spec, STAGING_IDS.incrementAndGet());
      try (Statement st = conn.createStatement()) {
        st.execute(dialect.createStagingTable(stage, columns));
      }
      try {
        insertStaged(conn, stage, columns, staged.binds());
        return inTransaction(conn, spec, () -> {
          long deleted = parentColumn == null ? 0
              : deleteChildrenNotStaged(conn, spec, parentColumn, stage, parents);
          long[] counts = runMerge(conn, dialect.merge(spec, columns, stage));
          return new MergeResult(counts[0], counts[1],
              staged.distinctKeys() - counts[0] - counts[1], deleted);
        });
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly(conn); // before the DROP: DDL would commit an open transaction
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
    try (PreparedStatement ps = conn.prepareStatement(dialect.insertStaging(stage, columns))) {
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

  // ---- JdbcWarehouse template methods ----

  @Override
  SqlDialect dialect() {
    return dialect;
  }

  @Override
  String url() {
    return url;
  }

  @Override
  List<Column> columns(TableSpec spec) {
    return ddl.columns(spec);
  }

  @Override
  @Nullable Connection reuse() {
    return fromShared();
  }

  @Override
  Connection openConnection() {
    try {
      return source.open();
    } catch (SQLException e) {
      // The driver's messages name the account and user at most, never the credential.
      throw new WarehouseException(dialect.kindOf(e), "Cannot connect to " + url, e);
    }
  }

  /** Hands it to the JVM-wide pool ({@link #share}). */
  @Override
  void retire(Connection c) {
    share(c);
  }

  @Override
  void rollbackQuietly(Connection c) {
    try {
      if (!c.getAutoCommit()) {
        c.rollback();
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      LOG.debug("rollback failed", e);
    }
  }

  /** Transient failures (connection, table-lock queue) get {@value #MAX_ATTEMPTS} attempts. */
  @Override
  RetryPolicy retryPolicy() {
    return retryPolicy;
  }

  /** No client lock: Snowflake serializes DML on a table. */
  @Override
  <T> T inTransaction(Connection conn, TableSpec spec, TxWork<T> work) throws SQLException {
    conn.setAutoCommit(false);
    T result = work.run();
    conn.commit();
    conn.setAutoCommit(true);
    return result;
  }

  /** One auto-committed statement: Snowflake's conditional MERGE/UPDATE are atomic. */
  @Override
  <T> T writeOne(String what, TableSpec spec, SqlWork<Connection, T> work) {
    return retrying(what, work);
  }

  /** Snowflake's conditional statements report an update count. */
  @Override
  boolean wrote(PreparedStatement ps) throws SQLException {
    return ps.executeUpdate() > 0;
  }

  @Override
  void bindOther(PreparedStatement ps, int i, Object p) throws SQLException {
    if (p instanceof Integer n) {
      ps.setLong(i, n);
    } else if (p instanceof Float f) {
      ps.setDouble(i, f);
    } else if (p instanceof Instant t) {
      ps.setString(i, SnowflakeDialect.timestampText(t));
    } else {
      throw new IllegalArgumentException("Unsupported parameter type " + p.getClass());
    }
  }

  private static final Set<String> READ_VERBS =
      Set.of("SELECT", "WITH", "VALUES", "DESCRIBE", "DESC", "SHOW", "EXPLAIN", "(");

  @Override
  Set<String> readVerbs() {
    return READ_VERBS;
  }

  /**
   * TIMESTAMP values come back as {@link Instant} (NTZ read as UTC), whole NUMBERs as Long,
   * VARIANT/ARRAY as JSON text.
   */
  @Override
  @Nullable Object readValue(ResultSet rs, int i, ResultSetMetaData md) throws SQLException {
    int sqlType = md.getColumnType(i);
    Object v = rs.getObject(i);
    if (v == null) {
      return null;
    }
    if (v instanceof Timestamp t) {
      // TIMESTAMP_NTZ holds UTC wall-clock time; the driver returns it as local wall-clock.
      return sqlType == Types.TIMESTAMP_WITH_TIMEZONE ? t.toInstant()
          : t.toLocalDateTime().toInstant(ZoneOffset.UTC);
    }
    if (v instanceof BigDecimal d && d.scale() == 0 && d.unscaledValue().bitLength() < 64) {
      return d.longValueExact();
    }
    if (v instanceof java.sql.Date d) {
      return d.toLocalDate();
    }
    return v;
  }

  @Override
  float @Nullable [] readEmbedding(ResultSet rs, int column) throws SQLException {
    return SnowflakeValues.floats(rs.getString(column));
  }

  @Override
  Set<String> countedSchemas() {
    Set<String> schemas = new TreeSet<>();
    for (String t : ddl.tables().keySet()) {
      schemas.add(t.substring(0, t.indexOf('.')));
    }
    return schemas;
  }

  /** Only the schema's own tables: not the per-merge staging tables a session still holds. */
  @Override
  boolean counted(String schema, String table) {
    return ddl.tables().containsKey(schema + "." + table);
  }

  // ---- plumbing ----

  private String requireColumn(TableSpec spec, String column) {
    String col = column.toUpperCase(Locale.ROOT);
    for (Column c : ddl.columns(spec)) {
      if (c.name().equals(col)) {
        return col;
      }
    }
    throw new IllegalArgumentException("table " + spec.qualifiedName() + " has no column " + column);
  }

  private void dropQuietly(Connection conn, String stage) {
    try (Statement st = conn.createStatement()) {
      st.execute(dialect.dropStagingTable(stage));
    } catch (SQLException e) {
      LOG.debug("dropping {} failed (the session drops it anyway)", stage, e);
    }
  }

  private static String redact(String url) {
    int q = url.indexOf('?');
    return q < 0 ? url : url.substring(0, q) + "?…";
  }
}
