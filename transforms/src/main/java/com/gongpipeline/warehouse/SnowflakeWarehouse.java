package com.gongpipeline.warehouse;

import com.gongpipeline.snowflake.SnowflakeConnections;
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
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
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
public final class SnowflakeWarehouse implements Warehouse {
  private static final Logger LOG = LoggerFactory.getLogger(SnowflakeWarehouse.class);

  /** Binds per executeBatch: below the driver's stage-binding threshold (65,280). */
  static final int MAX_BINDS_PER_BATCH = 65_000;

  /** Characters of bound text per executeBatch: Snowflake limits a statement to 1 MB. */
  static final int MAX_CHARS_PER_BATCH = 900_000;

  static final int MAX_ATTEMPTS = 3;
  private static final int ID_BATCH = 1000;
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
  private final Clock clock;
  private final Deque<Connection> idle = new ConcurrentLinkedDeque<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicBoolean schemaApplied = new AtomicBoolean();

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
    this.url = redact(jdbcUrl);
    this.source = source;
    this.clock = clock;
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
    return retrying("delete from " + spec.qualifiedName(), conn -> inTransaction(conn, () -> {
      long deleted = 0;
      for (int i = 0; i < distinct.size(); i += ID_BATCH) {
        List<String> chunk = distinct.subList(i, Math.min(distinct.size(), i + ID_BATCH));
        try (PreparedStatement ps = prepare(conn, dialect.deleteWhere(spec, col, chunk))) {
          deleted += ps.executeUpdate();
        }
      }
      return deleted;
    }));
  }

  @Override
  public MergeResult replaceChildren(WarehouseTable table, String parentColumn,
      Collection<String> parentIds, List<WarehouseRow> rows) {
    TableSpec spec = TableSpec.of(table);
    List<Column> columns = ddl.columns(spec);
    String parent = requireColumn(spec, parentColumn);
    Set<String> parents = new LinkedHashSet<>(distinctIds(parentIds));
    Staged staged = convert(table, columns, rows);
    for (WarehouseRow row : rows) {
      Object p = row.get(parent);
      if (!(p instanceof String ps) || !parents.contains(ps)) {
        throw new IllegalArgumentException(row + ": " + parent + " " + p
            + " is not among the parents being replaced");
      }
    }
    if (parents.isEmpty()) {
      return MergeResult.EMPTY;
    }
    return mergeRows(spec, columns, staged, parent, new ArrayList<>(parents));
  }

  @Override
  public Optional<Instant> highWaterMark(String syncName) {
    requireText(syncName, "syncName");
    return withConnection(conn -> {
      try (PreparedStatement ps = prepare(conn, dialect.selectHighWaterMark(syncName));
          ResultSet rs = ps.executeQuery()) {
        Long micros = rs.next() ? longOrNull(rs, 1) : null;
        return micros == null ? Optional.empty() : Optional.of(DuckDbValues.fromEpochMicros(micros));
      }
    });
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
        return ps.executeUpdate() > 0;
      }
    });
  }

  @Override
  public Optional<Lease> tryAcquireLease(String name, String jobId, Duration ttl) {
    requireText(name, "name");
    requireText(jobId, "jobId");
    long ttlMicros = ttlMicros(ttl);
    return retrying("acquire lease " + name, conn -> {
      long now = DuckDbValues.epochMicros(clock.instant());
      long expires = Math.addExact(now, ttlMicros);
      try (PreparedStatement ps = prepare(conn, dialect.acquireLease(name, jobId, now, expires))) {
        return ps.executeUpdate() > 0
            ? Optional.of(new Lease(name, jobId, DuckDbValues.fromEpochMicros(expires)))
            : Optional.<Lease>empty();
      }
    });
  }

  @Override
  public boolean renewLease(String name, String jobId, Duration ttl) {
    requireText(name, "name");
    requireText(jobId, "jobId");
    long ttlMicros = ttlMicros(ttl);
    return retrying("renew lease " + name, conn -> {
      long now = DuckDbValues.epochMicros(clock.instant());
      try (PreparedStatement ps = prepare(conn,
          dialect.renewLease(name, jobId, now, Math.addExact(now, ttlMicros)))) {
        return ps.executeUpdate() > 0;
      }
    });
  }

  @Override
  public void releaseLease(String name, String jobId) {
    requireText(name, "name");
    requireText(jobId, "jobId");
    retrying("release lease " + name, conn -> {
      try (PreparedStatement ps = prepare(conn, dialect.releaseLease(name, jobId))) {
        return ps.executeUpdate();
      }
    });
  }

  @Override
  public Map<String, StoredChunk> storedChunks(Collection<String> callIds) {
    return lookupByIds(callIds, dialect::storedChunks, rs -> {
      StoredChunk c = new StoredChunk(rs.getString(1), rs.getString(2), rs.getString(3),
          rs.getString(4), SnowflakeValues.floats(rs.getString(5)), doubleOrNull(rs, 6),
          rs.getString(7));
      return Map.entry(c.memoryId(), c);
    });
  }

  @Override
  public Map<String, StoredTurn> storedTurns(Collection<String> callIds) {
    return lookupByIds(callIds, dialect::storedTurns, rs -> {
      StoredTurn t = new StoredTurn(rs.getString(1), rs.getString(2), doubleOrNull(rs, 3),
          rs.getString(4));
      return Map.entry(t.transcriptId(), t);
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
  public Map<String, String> payloadHashes(WarehouseTable rawTable, Collection<String> callIds) {
    TableSpec spec = TableSpec.of(rawTable);
    if (!"RAW".equals(rawTable.schema()) || spec.keyColumns().size() != 1
        || ddl.columns(spec).stream().noneMatch(c -> c.name().equals("PAYLOAD_HASH"))) {
      throw new IllegalArgumentException(
          rawTable.qualifiedName() + " is not a RAW table with a PAYLOAD_HASH");
    }
    return lookupByIds(callIds, batch -> dialect.payloadHashes(spec, batch),
        rs -> Map.entry(rs.getString(1), rs.getString(2)));
  }

  /**
   * Runs a read-only statement in a transaction that is always rolled back. TIMESTAMP values come
   * back as {@link Instant} (NTZ read as UTC), whole NUMBERs as Long, VARIANT/ARRAY as JSON text.
   */
  @Override
  public List<Map<String, @Nullable Object>> query(String sql, @Nullable Object... params) {
    String verb = DuckDbWarehouse.firstKeyword(sql);
    if (!READ_VERBS.contains(verb)) {
      throw new IllegalArgumentException(
          "query() runs read-only statements (SELECT, WITH, ...), not "
              + (verb.isEmpty() ? "an empty statement" : verb));
    }
    List<@Nullable Object> bound = params == null ? List.of() : Arrays.asList(params);
    return withConnection(conn -> {
      conn.setAutoCommit(false);
      try (PreparedStatement ps = prepareAny(conn, sql, bound);
          ResultSet rs = ps.executeQuery()) {
        ResultSetMetaData md = rs.getMetaData();
        int n = md.getColumnCount();
        List<Map<String, @Nullable Object>> rows = new ArrayList<>();
        while (rs.next()) {
          Map<String, @Nullable Object> row = new LinkedHashMap<>();
          for (int i = 1; i <= n; i++) {
            row.put(md.getColumnLabel(i), readValue(rs, i, md.getColumnType(i)));
          }
          rows.add(row);
        }
        return rows;
      } finally {
        conn.rollback();
        conn.setAutoCommit(true);
      }
    });
  }

  @Override
  public long count(WarehouseTable table) {
    return withConnection(conn -> count(conn, table.schema(), table.table()));
  }

  @Override
  public Map<String, Long> tableCounts() {
    Set<String> schemas = new TreeSet<>();
    for (String t : ddl.tables().keySet()) {
      schemas.add(t.substring(0, t.indexOf('.')));
    }
    return withConnection(conn -> {
      List<String[]> tables = new ArrayList<>();
      try (PreparedStatement ps = conn.prepareStatement(dialect.tablesQuery(schemas.size()))) {
        int i = 1;
        for (String s : schemas) {
          ps.setString(i++, s);
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            tables.add(new String[] {rs.getString(1), rs.getString(2)});
          }
        }
      }
      Map<String, Long> counts = new TreeMap<>();
      for (String[] t : tables) {
        // Only the schema's own tables: not the per-merge staging tables a session still holds.
        if (ddl.tables().containsKey(t[0] + "." + t[1])) {
          counts.put(t[0] + "." + t[1], count(conn, t[0], t[1]));
        }
      }
      return counts;
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

  @Override
  public Optional<JobLog> findJob(String jobId) {
    TableSpec spec = TableSpec.JOB_LOGS;
    List<Column> columns = ddl.columns(spec);
    return withConnection(conn -> {
      try (PreparedStatement ps = conn.prepareStatement(dialect.selectByKey(spec, columns))) {
        ps.setString(1, jobId);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(JobLogRows.fromResultSet(rs)) : Optional.empty();
        }
      }
    });
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
    BoundSql sql = dialect.search(query);
    return withConnection(conn -> {
      List<SearchHit> hits = new ArrayList<>();
      try (PreparedStatement ps = prepare(conn, sql); ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Long started = longOrNull(rs, 5);
          hits.add(new SearchHit(rs.getDouble(1), rs.getString(2), rs.getString(3),
              rs.getString(4), started == null ? null : DuckDbValues.fromEpochMicros(started),
              rs.getString(6), rs.getString(7), rs.getString(8), longOrNull(rs, 9),
              longOrNull(rs, 10), rs.getString(11)));
        }
      }
      return hits;
    });
  }

  @Override
  public Set<String> embeddingModels() {
    return withConnection(conn -> {
      Set<String> models = new TreeSet<>();
      try (Statement st = conn.createStatement();
          ResultSet rs = st.executeQuery(dialect.embeddingModelsQuery())) {
        while (rs.next()) {
          models.add(rs.getString(1));
        }
      }
      return models;
    });
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

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    Connection c;
    while ((c = idle.poll()) != null) {
      share(c);
    }
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
      if (row.table() != table) {
        throw new IllegalArgumentException(row + " cannot be merged into " + table.qualifiedName());
      }
      for (String c : row.values().keySet()) {
        if (!known.contains(c)) {
          throw new IllegalArgumentException(
              row + ": table " + table.qualifiedName() + " has no column " + c);
        }
      }
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
        return inTransaction(conn, () -> {
          long deleted = 0;
          if (parentColumn != null) {
            for (int i = 0; i < parents.size(); i += ID_BATCH) {
              List<String> chunk = parents.subList(i, Math.min(parents.size(), i + ID_BATCH));
              try (PreparedStatement ps = prepare(conn,
                  dialect.deleteChildrenNotStaged(spec, parentColumn, stage, chunk))) {
                deleted += ps.executeUpdate();
              }
            }
          }
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

  // ---- plumbing ----

  @FunctionalInterface
  private interface RowEntry<V> {
    Map.Entry<String, V> read(ResultSet rs) throws SQLException;
  }

  @FunctionalInterface
  interface SqlWork<T> {
    T run(Connection conn) throws SQLException;
  }

  @FunctionalInterface
  private interface TxWork<T> {
    T run() throws SQLException;
  }

  private <V> Map<String, V> lookupByIds(Collection<String> idsIn,
      Function<List<String>, BoundSql> sql, RowEntry<V> entry) {
    List<String> ids = distinctIds(idsIn);
    Map<String, V> out = new HashMap<>();
    if (ids.isEmpty()) {
      return out;
    }
    return withConnection(conn -> {
      for (int i = 0; i < ids.size(); i += ID_BATCH) {
        List<String> batch = ids.subList(i, Math.min(ids.size(), i + ID_BATCH));
        try (PreparedStatement ps = prepare(conn, sql.apply(batch));
            ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            Map.Entry<String, V> e = entry.read(rs);
            out.put(e.getKey(), e.getValue());
          }
        }
      }
      return out;
    });
  }

  <T> T withConnection(SqlWork<T> work) {
    Connection conn = borrow();
    boolean ok = false;
    try {
      T result = work.run(conn);
      ok = true;
      return result;
    } catch (SQLException e) {
      throw new WarehouseException("Query on " + url + " failed", e);
    } finally {
      giveBack(conn, ok);
    }
  }

  private <T> T retrying(String what, SqlWork<T> work) {
    for (int attempt = 1; ; attempt++) {
      Connection conn = borrow();
      boolean ok = false;
      try {
        T result = work.run(conn);
        ok = true;
        return result;
      } catch (SQLException e) {
        rollbackQuietly(conn);
        if (attempt >= MAX_ATTEMPTS || !dialect.isRetryable(e)) {
          throw new WarehouseException(what + " failed after " + attempt + " attempt(s)", e);
        }
        LOG.info("{}: transient failure on attempt {}, retrying: {}", what, attempt,
            e.getMessage());
        sleep(attempt);
      } catch (RuntimeException e) {
        rollbackQuietly(conn);
        throw e;
      } finally {
        giveBack(conn, ok);
      }
    }
  }

  private static <T> T inTransaction(Connection conn, TxWork<T> work) throws SQLException {
    conn.setAutoCommit(false);
    T result = work.run();
    conn.commit();
    conn.setAutoCommit(true);
    return result;
  }

  private Connection borrow() {
    checkOpen();
    Connection c = idle.poll();
    if (c == null) {
      c = fromShared();
    }
    if (c != null) {
      return c;
    }
    try {
      return source.open();
    } catch (SQLException e) {
      // The driver's messages name the account and user at most, never the credential.
      throw new WarehouseException("Cannot connect to " + url, e);
    }
  }

  private void giveBack(Connection c, boolean healthy) {
    if (healthy && !closed.get()) {
      idle.push(c);
      if (closed.get() && idle.remove(c)) {
        share(c); // close() ran concurrently
      }
    } else {
      closeQuietly(c);
    }
  }

  private void checkOpen() {
    if (closed.get()) {
      throw new IllegalStateException(this + " is closed");
    }
  }

  private String requireColumn(TableSpec spec, String column) {
    String col = column.toUpperCase(Locale.ROOT);
    for (Column c : ddl.columns(spec)) {
      if (c.name().equals(col)) {
        return col;
      }
    }
    throw new IllegalArgumentException("table " + spec.qualifiedName() + " has no column " + column);
  }

  private long count(Connection conn, String schema, String table) throws SQLException {
    try (Statement st = conn.createStatement();
        ResultSet rs = st.executeQuery(dialect.countQuery(schema, table))) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static final Set<String> READ_VERBS =
      Set.of("SELECT", "WITH", "VALUES", "DESCRIBE", "DESC", "SHOW", "EXPLAIN", "(");

  private static @Nullable Object readValue(ResultSet rs, int i, int sqlType) throws SQLException {
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

  private static PreparedStatement prepare(Connection conn, BoundSql sql) throws SQLException {
    return prepareAny(conn, sql.sql(), sql.params());
  }

  private static PreparedStatement prepareAny(Connection conn, String sql,
      List<@Nullable Object> params) throws SQLException {
    PreparedStatement ps = conn.prepareStatement(sql);
    try {
      int i = 1;
      for (Object p : params) {
        if (p == null) {
          ps.setNull(i, Types.VARCHAR);
        } else if (p instanceof String s) {
          ps.setString(i, s);
        } else if (p instanceof Integer n) {
          ps.setLong(i, n);
        } else if (p instanceof Long n) {
          ps.setLong(i, n);
        } else if (p instanceof Double d) {
          ps.setDouble(i, d);
        } else if (p instanceof Float f) {
          ps.setDouble(i, f);
        } else if (p instanceof Boolean b) {
          ps.setBoolean(i, b);
        } else if (p instanceof Instant t) {
          ps.setString(i, SnowflakeDialect.timestampText(t));
        } else {
          throw new IllegalArgumentException("Unsupported parameter type " + p.getClass());
        }
        i++;
      }
      return ps;
    } catch (SQLException | RuntimeException e) {
      ps.close();
      throw e;
    }
  }

  private static @Nullable Long longOrNull(ResultSet rs, int column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : v;
  }

  private static @Nullable Double doubleOrNull(ResultSet rs, int column) throws SQLException {
    double v = rs.getDouble(column);
    return rs.wasNull() ? null : v;
  }

  private static List<String> distinctIds(Collection<String> ids) {
    LinkedHashSet<String> distinct = new LinkedHashSet<>();
    for (String id : ids) {
      if (id == null) {
        throw new IllegalArgumentException("ids must not contain null");
      }
      distinct.add(id);
    }
    return new ArrayList<>(distinct);
  }

  private static void requireText(@Nullable String value, String what) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(what + " is required");
    }
  }

  private static long ttlMicros(Duration ttl) {
    if (ttl == null || ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be positive: " + ttl);
    }
    return Math.multiplyExact(ttl.getSeconds(), 1_000_000L) + ttl.getNano() / 1_000L;
  }

  private void dropQuietly(Connection conn, String stage) {
    try (Statement st = conn.createStatement()) {
      st.execute(dialect.dropStagingTable(stage));
    } catch (SQLException e) {
      LOG.debug("dropping {} failed (the session drops it anyway)", stage, e);
    }
  }

  private static void rollbackQuietly(Connection c) {
    try {
      if (!c.getAutoCommit()) {
        c.rollback();
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      LOG.debug("rollback failed", e);
    }
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException e) {
      LOG.debug("close failed", e);
    }
  }

  private static void sleep(int attempt) {
    try {
      Thread.sleep(Math.min(5_000L, 250L << attempt));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WarehouseException("Interrupted while retrying", e);
    }
  }

  private static String redact(String url) {
    int q = url.indexOf('?');
    return q < 0 ? url : url.substring(0, q) + "?…";
  }
}
