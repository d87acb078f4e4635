package com.gongpipeline.warehouse;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
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
public final class DuckDbWarehouse implements Warehouse {
  private static final Logger LOG = LoggerFactory.getLogger(DuckDbWarehouse.class);
  static final int MAX_ATTEMPTS = 10;
  private static final int ID_BATCH = 1000;

  private final SqlDialect dialect = new DuckDbDialect();
  private final DuckDbMerger merger = new DuckDbMerger(dialect);
  private final DuckDbDatabase db;
  private final Deque<DuckDBConnection> idle = new ConcurrentLinkedDeque<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicLong retries = new AtomicLong();
  private final Clock clock;

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
    this.clock = clock;
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
    return retrying("delete from " + spec.qualifiedName(),
        conn -> inTransaction(conn, spec, () -> {
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
    List<String> parentList = new ArrayList<>(parents);
    long t0 = System.nanoTime();
    MergeResult result = retrying("replace children in " + spec.qualifiedName(), conn -> {
      String stage = merger.stage(conn, spec, columns, values, names);
      return inTransaction(conn, spec, () -> {
        long deleted = 0;
        for (int i = 0; i < parentList.size(); i += ID_BATCH) {
          List<String> chunk = parentList.subList(i, Math.min(parentList.size(), i + ID_BATCH));
          try (PreparedStatement ps =
              prepare(conn, dialect.deleteChildrenNotStaged(spec, parent, stage, chunk))) {
            deleted += ps.executeUpdate();
          }
        }
        MergeResult merged = merger.mergeStaged(conn, spec, columns, stage, values, names);
        return new MergeResult(merged.inserted(), merged.updated(), merged.unchanged(), deleted);
      });
    });
    LOG.debug("Replaced children of {} parents in {} in {} ms: {}", parents.size(),
        spec.qualifiedName(), (System.nanoTime() - t0) / 1_000_000, result);
    return result;
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
    long markMicros = DuckDbValues.epochMicros(mark);
    TableSpec spec = TableSpec.SYNC_STATE;
    return retrying("advance high-water mark " + syncName, conn -> inTransaction(conn, spec, () -> {
      BoundSql sql = dialect.advanceHighWaterMark(
          syncName, markMicros, DuckDbValues.epochMicros(clock.instant()), jobId);
      try (PreparedStatement ps = prepare(conn, sql); ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }));
  }

  @Override
  public Optional<Lease> tryAcquireLease(String name, String jobId, Duration ttl) {
    requireText(name, "name");
    requireText(jobId, "jobId");
    long ttlMicros = ttlMicros(ttl);
    TableSpec spec = TableSpec.SYNC_LEASE;
    return retrying("acquire lease " + name, conn -> inTransaction(conn, spec, () -> {
      long now = DuckDbValues.epochMicros(clock.instant());
      long expires = Math.addExact(now, ttlMicros);
      try (PreparedStatement ps = prepare(conn, dialect.acquireLease(name, jobId, now, expires));
          ResultSet rs = ps.executeQuery()) {
        return rs.next()
            ? Optional.of(new Lease(name, jobId, DuckDbValues.fromEpochMicros(expires)))
            : Optional.<Lease>empty();
      }
    }));
  }

  @Override
  public boolean renewLease(String name, String jobId, Duration ttl) {
    requireText(name, "name");
    requireText(jobId, "jobId");
    long ttlMicros = ttlMicros(ttl);
    TableSpec spec = TableSpec.SYNC_LEASE;
    return retrying("renew lease " + name, conn -> inTransaction(conn, spec, () -> {
      long now = DuckDbValues.epochMicros(clock.instant());
      try (PreparedStatement ps = prepare(conn,
          dialect.renewLease(name, jobId, now, Math.addExact(now, ttlMicros)))) {
        return ps.executeUpdate() > 0;
      }
    }));
  }

  @Override
  public void releaseLease(String name, String jobId) {
    requireText(name, "name");
    requireText(jobId, "jobId");
    TableSpec spec = TableSpec.SYNC_LEASE;
    retrying("release lease " + name, conn -> inTransaction(conn, spec, () -> {
      try (PreparedStatement ps = prepare(conn, dialect.releaseLease(name, jobId))) {
        return ps.executeUpdate();
      }
    }));
  }

  @Override
  public Map<String, StoredChunk> storedChunks(Collection<String> callIds) {
    return lookupByIds(callIds, dialect::storedChunks, rs -> {
      double sentiment = rs.getDouble(6);
      Double score = rs.wasNull() ? null : sentiment;
      StoredChunk c = new StoredChunk(rs.getString(1), rs.getString(2), rs.getString(3),
          rs.getString(4), floats(rs.getArray(5)), score, rs.getString(7));
      return Map.entry(c.memoryId(), c);
    });
  }

  @Override
  public Map<String, StoredTurn> storedTurns(Collection<String> callIds) {
    return lookupByIds(callIds, dialect::storedTurns, rs -> {
      double sentiment = rs.getDouble(3);
      Double score = rs.wasNull() ? null : sentiment;
      StoredTurn t = new StoredTurn(rs.getString(1), rs.getString(2), score, rs.getString(4));
      return Map.entry(t.transcriptId(), t);
    });
  }

  /** Reads one keyed value from the current row of a lookup. */
  @FunctionalInterface
  private interface RowEntry<V> {
    Map.Entry<String, V> read(ResultSet rs) throws SQLException;
  }

  /**
   * Runs a lookup over distinct ids in bound batches of {@value #ID_BATCH} and collects its rows
   * into a map: the shared shape of the stored-chunk, stored-turn and payload-hash lookups.
   */
  private <V> Map<String, V> lookupByIds(Collection<String> idsIn,
      java.util.function.Function<List<String>, BoundSql> sql, RowEntry<V> entry) {
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
    return retrying("delete stale rows from " + spec.qualifiedName(),
        conn -> inTransaction(conn, spec, () -> {
          try (PreparedStatement ps = prepare(conn,
              dialect.deleteStaleChildren(spec, parent, parentId, key, keep))) {
            return (long) ps.executeUpdate();
          }
        }));
  }

  @Override
  public Map<String, String> payloadHashes(WarehouseTable rawTable, Collection<String> callIds) {
    TableSpec spec = TableSpec.of(rawTable);
    if (!"RAW".equals(rawTable.schema()) || spec.keyColumns().size() != 1
        || !columnNames(columns(spec)).contains("PAYLOAD_HASH")) {
      throw new IllegalArgumentException(
          rawTable.qualifiedName() + " is not a RAW table with a PAYLOAD_HASH");
    }
    return lookupByIds(callIds, batch -> dialect.payloadHashes(spec, batch),
        rs -> Map.entry(rs.getString(1), rs.getString(2)));
  }

  /**
   * Runs the statement in a transaction that is always rolled back, after checking that it starts
   * like a query; TIMESTAMP values come back as {@link Instant} (UTC), TIMESTAMPTZ as Instant,
   * FLOAT[] as {@code float[]}, other lists as {@code List}, JSON as its text.
   */
  @Override
  public List<Map<String, @Nullable Object>> query(String sql, @Nullable Object... params) {
    String verb = firstKeyword(sql);
    if (!READ_VERBS.contains(verb)) {
      throw new IllegalArgumentException(
          "query() runs read-only statements (SELECT, WITH, ...), not " + (verb.isEmpty()
              ? "an empty statement" : verb));
    }
    List<@Nullable Object> bound = params == null ? List.of() : Arrays.asList(params);
    return withConnection(conn -> {
      conn.setAutoCommit(false);
      try (PreparedStatement ps = prepare(conn, new BoundSql(sql, bound));
          ResultSet rs = ps.executeQuery()) {
        ResultSetMetaData md = rs.getMetaData();
        int n = md.getColumnCount();
        List<Map<String, @Nullable Object>> rows = new ArrayList<>();
        while (rs.next()) {
          Map<String, @Nullable Object> row = new LinkedHashMap<>();
          for (int i = 1; i <= n; i++) {
            row.put(md.getColumnLabel(i), readValue(rs, i, md.getColumnTypeName(i)));
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
    for (WarehouseTable t : WarehouseTable.values()) {
      schemas.add(t.schema());
    }
    schemas.add(TableSpec.JOB_LOGS.schema());
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
        counts.put(t[0] + "." + t[1], count(conn, t[0], t[1]));
      }
      return counts;
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
  public Optional<JobLog> findJob(String jobId) {
    TableSpec spec = TableSpec.JOB_LOGS;
    List<Column> columns = columns(spec);
    return withConnection(conn -> {
      try (PreparedStatement ps = conn.prepareStatement(dialect.selectByKey(spec, columns))) {
        ps.setString(1, jobId);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(JobLogRows.fromResultSet(rs)) : Optional.empty();
        }
      }
    });
  }

  @Override
  public List<SearchHit> search(SearchQuery query) {
    BoundSql sql = dialect.search(query);
    return withConnection(conn -> {
      List<SearchHit> hits = new ArrayList<>();
      try (PreparedStatement ps = prepare(conn, sql); ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Long started = longOrNull(rs, 5);
          hits.add(new SearchHit(
              rs.getDouble(1),
              rs.getString(2),
              rs.getString(3),
              rs.getString(4),
              started == null ? null : DuckDbValues.fromEpochMicros(started),
              rs.getString(6),
              rs.getString(7),
              rs.getString(8),
              longOrNull(rs, 9),
              longOrNull(rs, 10),
              rs.getString(11)));
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

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    DuckDBConnection c;
    while ((c = idle.poll()) != null) {
      closeQuietly(c);
    }
    db.release();
  }

  @Override
  public String toString() {
    return "DuckDbWarehouse[" + db.url() + "]";
  }

  /** Runs read-only work on a pooled auto-commit connection (also the tests' back door). */
  <T> T withConnection(SqlWork<T> work) {
    DuckDBConnection conn = borrow();
    boolean ok = false;
    try {
      T result = work.run(conn);
      ok = true;
      return result;
    } catch (SQLException e) {
      throw new WarehouseException("Query on " + db.url() + " failed", e);
    } finally {
      giveBack(conn, ok);
    }
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

  /**
   * Runs {@code work} in one transaction on {@code conn}, holding the table's write lock from
   * before the transaction starts (so its snapshot includes every earlier writer's commit) until
   * after it commits.
   */
  private <T> T inTransaction(DuckDBConnection conn, TableSpec spec, TxWork<T> work)
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

  /**
   * Runs {@code work} on a borrowed connection, re-running it on a fresh connection when DuckDB
   * reports a write conflict (possible despite the write locks, e.g. against a writer outside this
   * JVM's locks). Any failure rolls back and discards the connection.
   */
  private <T> T retrying(String what, SqlWork<T> work) {
    for (int attempt = 1; ; attempt++) {
      DuckDBConnection conn = borrow();
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
        LOG.info("{}: write conflict on attempt {}, retrying: {}", what, attempt, e.getMessage());
        retries.incrementAndGet();
        backoff(attempt);
      } catch (RuntimeException e) {
        rollbackQuietly(conn);
        throw e;
      } finally {
        giveBack(conn, ok);
      }
    }
  }

  /** Write conflicts retried so far by this instance. */
  long retries() {
    return retries.get();
  }

  private List<Column> columns(TableSpec spec) {
    return withConnection(conn -> db.columns(dialect, spec, conn));
  }

  /** Checks that rows belong to the table and set only its columns; collects values and names. */
  private static void checkRows(WarehouseTable table, Set<String> known, List<WarehouseRow> rows,
      List<Map<String, @Nullable Object>> values, List<String> names) {
    for (WarehouseRow row : rows) {
      if (row.table() != table) {
        throw new IllegalArgumentException(row + " cannot be merged into " + table.qualifiedName());
      }
      for (String c : row.values().keySet()) {
        if (!known.contains(c)) {
          throw new IllegalArgumentException(
              row + ": table " + table.qualifiedName() + " has no column " + c);
        }
      }
      values.add(row.values());
      names.add(row.toString());
    }
  }

  private static final Set<String> READ_VERBS = Set.of("SELECT", "WITH", "FROM", "VALUES", "TABLE",
      "DESCRIBE", "SHOW", "SUMMARIZE", "EXPLAIN", "PIVOT", "UNPIVOT", "(");

  /** The statement's first keyword, upper-cased, after leading blanks and comments. */
  static String firstKeyword(String sql) {
    int i = 0;
    int n = sql.length();
    while (i < n) {
      char c = sql.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (sql.startsWith("--", i)) {
        int nl = sql.indexOf('\n', i);
        i = nl < 0 ? n : nl + 1;
      } else if (sql.startsWith("/*", i)) {
        int end = sql.indexOf("*/", i + 2);
        i = end < 0 ? n : end + 2;
      } else {
        break;
      }
    }
    if (i < n && sql.charAt(i) == '(') {
      return "(";
    }
    int j = i;
    while (j < n && Character.isLetter(sql.charAt(j))) {
      j++;
    }
    return sql.substring(i, j).toUpperCase(Locale.ROOT);
  }

  private static @Nullable Object readValue(ResultSet rs, int i, String type) throws SQLException {
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

  private static Set<String> columnNames(List<Column> columns) {
    Set<String> names = new LinkedHashSet<>();
    for (Column c : columns) {
      names.add(c.name());
    }
    return names;
  }

  private long count(Connection conn, String schema, String table) throws SQLException {
    try (Statement st = conn.createStatement();
        ResultSet rs = st.executeQuery(dialect.countQuery(schema, table))) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static PreparedStatement prepare(Connection conn, BoundSql sql) throws SQLException {
    PreparedStatement ps = conn.prepareStatement(sql.sql());
    try {
      int i = 1;
      for (Object p : sql.params()) {
        if (p == null) {
          ps.setNull(i, java.sql.Types.VARCHAR);
        } else if (p instanceof String s) {
          ps.setString(i, s);
        } else if (p instanceof Integer n) {
          ps.setInt(i, n);
        } else if (p instanceof Long n) {
          ps.setLong(i, n);
        } else if (p instanceof Double d) {
          ps.setDouble(i, d);
        } else if (p instanceof Float f) {
          ps.setFloat(i, f);
        } else if (p instanceof Boolean b) {
          ps.setBoolean(i, b);
        } else if (p instanceof Instant t) {
          ps.setObject(i, LocalDateTime.ofInstant(t, ZoneOffset.UTC)); // a UTC TIMESTAMP
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

  private DuckDBConnection borrow() {
    checkOpen();
    DuckDBConnection c = idle.poll();
    if (c != null) {
      return c;
    }
    try {
      return db.newConnection();
    } catch (SQLException e) {
      throw new WarehouseException("Cannot open a connection to " + db.url(), e);
    }
  }

  /** Pools a healthy connection; closes one that failed (DuckDB's JDBC state after a failed commit is unreliable) or when closed. */
  private void giveBack(DuckDBConnection c, boolean healthy) {
    if (healthy && !closed.get()) {
      idle.push(c);
      if (closed.get() && idle.remove(c)) {
        closeQuietly(c); // close() ran concurrently
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

  private static void backoff(int attempt) {
    long ceiling = Math.min(1000L, 10L << Math.min(attempt, 6));
    try {
      Thread.sleep(ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WarehouseException("Interrupted while retrying a write", e);
    }
  }

  private static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException e) {
      LOG.debug("rollback failed (transaction already ended)", e);
    }
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException e) {
      LOG.debug("close failed", e);
    }
  }

  /** A unit of JDBC work. */
  @FunctionalInterface
  interface SqlWork<T> {
    T run(DuckDBConnection conn) throws SQLException;
  }

  /** The body of a transaction on an already chosen connection. */
  @FunctionalInterface
  private interface TxWork<T> {
    T run() throws SQLException;
  }
}
