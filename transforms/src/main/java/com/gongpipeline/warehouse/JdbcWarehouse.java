package com.gongpipeline.warehouse;

import com.gongpipeline.errors.FailureKind;
import com.gongpipeline.errors.PipelineException;
import com.gongpipeline.errors.RetryPolicy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@link DuckDbWarehouse} and {@link SnowflakeWarehouse} share: the connection pool and its
 * borrow/give-back/close cycle, the retry loop, the read-only {@code query()}, counts, lookups of
 * stored chunks/turns/payload hashes, the job log, the lease statements and parameter binding. The
 * per-database parts (opening and retiring connections, transactions and their locks, retry
 * backoff, value binding and reading, the merge mechanics) are the subclasses' template methods.
 *
 * @param <C> the connection type the subclass works on (DuckDB's merger needs its own)
 */
abstract class JdbcWarehouse<C extends Connection> implements Warehouse {
  static final int ID_BATCH = 1000;

  /** Logs under the concrete class's name, as each class did before sharing this code. */
  private final Logger log = LoggerFactory.getLogger(getClass());

  final Clock clock;
  final Deque<C> idle = new ConcurrentLinkedDeque<>();
  final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicLong retries = new AtomicLong();

  JdbcWarehouse(Clock clock) {
    this.clock = clock;
  }

  // ---- template methods ----

  /** The SQL of this database. */
  abstract SqlDialect dialect();

  /** The (redacted) URL named in messages. */
  abstract String url();

  /** Columns of a table, in order. */
  abstract List<Column> columns(TableSpec spec);

  /** A shared idle connection to reuse before opening one, or null. */
  @Nullable C reuse() {
    return null;
  }

  /** Opens a new connection; a failure is a {@link WarehouseException}. */
  abstract C openConnection();

  /** Takes a healthy connection out of this instance's pool (close it, or pool it elsewhere). */
  abstract void retire(C c);

  /** Runs after {@link #close()} retired the idle connections. */
  void afterClose() {}

  /** Rolls back after a failure, ignoring errors. */
  abstract void rollbackQuietly(C c);

  /**
   * The retry loop of {@link #retrying}: attempts, back-off and waits for this database, with
   * the dialect's classifier ({@link SqlDialect#classify}).
   */
  abstract RetryPolicy retryPolicy();

  /** Runs {@code work} as one transaction on {@code conn} that writes {@code spec}. */
  abstract <T> T inTransaction(C conn, TableSpec spec, TxWork<T> work) throws SQLException;

  /** Runs one conditional write statement on {@code spec} (with retries). */
  abstract <T> T writeOne(String what, TableSpec spec, SqlWork<C, T> work);

  /**
   * Executes a conditional statement that "returns one row when it wrote and none otherwise"
   * ({@link SqlDialect}): true when it wrote.
   */
  abstract boolean wrote(PreparedStatement ps) throws SQLException;

  /** Binds a parameter that is not null, String, Long, Double or Boolean. */
  abstract void bindOther(PreparedStatement ps, int i, Object p) throws SQLException;

  /** First keywords of the statements {@link #query} accepts. */
  abstract Set<String> readVerbs();

  /** Column {@code i} of the current row as {@link #query} returns it. */
  abstract @Nullable Object readValue(ResultSet rs, int i, ResultSetMetaData md)
      throws SQLException;

  /** The stored EMBEDDING in column {@code column} of a stored-chunks row. */
  abstract float @Nullable [] readEmbedding(ResultSet rs, int column) throws SQLException;

  /** Schemas whose tables {@link #tableCounts()} counts. */
  abstract Set<String> countedSchemas();

  /** Whether {@link #tableCounts()} counts this table of a counted schema. */
  boolean counted(String schema, String table) {
    return true;
  }

  // ---- shared Warehouse operations ----

  @Override
  public Optional<Instant> highWaterMark(String syncName) {
    requireText(syncName, "syncName");
    return withConnection(conn -> {
      try (PreparedStatement ps = prepare(conn, dialect().selectHighWaterMark(syncName));
          ResultSet rs = ps.executeQuery()) {
        Long micros = rs.next() ? longOrNull(rs, 1) : null;
        return micros == null ? Optional.empty() : Optional.of(DuckDbValues.fromEpochMicros(micros));
      }
    });
  }

  @Override
  public Optional<Lease> tryAcquireLease(String name, String jobId, Duration ttl) {
    requireText(name, "name");
    requireText(jobId, "jobId");
    long ttlMicros = ttlMicros(ttl);
    return writeOne("acquire lease " + name, TableSpec.SYNC_LEASE, conn -> {
      long now = DuckDbValues.epochMicros(clock.instant());
      long expires = Math.addExact(now, ttlMicros);
      try (PreparedStatement ps = prepare(conn, dialect().acquireLease(name, jobId, now, expires))) {
        return wrote(ps)
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
    return writeOne("renew lease " + name, TableSpec.SYNC_LEASE, conn -> {
      long now = DuckDbValues.epochMicros(clock.instant());
      try (PreparedStatement ps = prepare(conn,
          dialect().renewLease(name, jobId, now, Math.addExact(now, ttlMicros)))) {
        return ps.executeUpdate() > 0;
      }
    });
  }

  @Override
  public void releaseLease(String name, String jobId) {
    requireText(name, "name");
    requireText(jobId, "jobId");
    writeOne("release lease " + name, TableSpec.SYNC_LEASE, conn -> {
      try (PreparedStatement ps = prepare(conn, dialect().releaseLease(name, jobId))) {
        return ps.executeUpdate();
      }
    });
  }

  @Override
  public Map<String, StoredChunk> storedChunks(Collection<String> callIds) {
    return lookupByIds(callIds, dialect()::storedChunks, rs -> {
      StoredChunk c = new StoredChunk(rs.getString(1), rs.getString(2), rs.getString(3),
          rs.getString(4), readEmbedding(rs, 5), doubleOrNull(rs, 6), rs.getString(7));
      return Map.entry(c.memoryId(), c);
    });
  }

  @Override
  public Map<String, StoredTurn> storedTurns(Collection<String> callIds) {
    return lookupByIds(callIds, dialect()::storedTurns, rs -> {
      StoredTurn t = new StoredTurn(rs.getString(1), rs.getString(2), doubleOrNull(rs, 3),
          rs.getString(4));
      return Map.entry(t.transcriptId(), t);
    });
  }

  @Override
  public Map<String, String> payloadHashes(WarehouseTable rawTable, Collection<String> callIds) {
    TableSpec spec = TableSpec.of(rawTable);
    if (!"RAW".equals(rawTable.schema()) || spec.keyColumns().size() != 1
        || !columnNames(columns(spec)).contains("PAYLOAD_HASH")) {
      throw new IllegalArgumentException(
          rawTable.qualifiedName() + " is not a RAW table with a PAYLOAD_HASH");
    }
    return lookupByIds(callIds, batch -> dialect().payloadHashes(spec, batch),
        rs -> Map.entry(rs.getString(1), rs.getString(2)));
  }

  /**
   * Runs the statement in a transaction that is always rolled back, after checking that it starts
   * like a query ({@link #readVerbs()}); values as {@link #readValue} reads them.
   */
  @Override
  public List<Map<String, @Nullable Object>> query(String sql, @Nullable Object... params) {
    String verb = firstKeyword(sql);
    if (!readVerbs().contains(verb)) {
      throw new IllegalArgumentException(
          "query() runs read-only statements (SELECT, WITH, ...), not "
              + (verb.isEmpty() ? "an empty statement" : verb));
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
            row.put(md.getColumnLabel(i), readValue(rs, i, md));
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
    Set<String> schemas = countedSchemas();
    return withConnection(conn -> {
      List<String[]> tables = new ArrayList<>();
      try (PreparedStatement ps = conn.prepareStatement(dialect().tablesQuery(schemas.size()))) {
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
        if (counted(t[0], t[1])) {
          counts.put(t[0] + "." + t[1], count(conn, t[0], t[1]));
        }
      }
      return counts;
    });
  }

  @Override
  public Optional<JobLog> findJob(String jobId) {
    TableSpec spec = TableSpec.JOB_LOGS;
    List<Column> columns = columns(spec);
    return withConnection(conn -> {
      try (PreparedStatement ps = conn.prepareStatement(dialect().selectByKey(spec, columns))) {
        ps.setString(1, jobId);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(JobLogRows.fromResultSet(rs)) : Optional.empty();
        }
      }
    });
  }

  @Override
  public List<SearchHit> search(SearchQuery query) {
    BoundSql sql = dialect().search(query);
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
          ResultSet rs = st.executeQuery(dialect().embeddingModelsQuery())) {
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
    C c;
    while ((c = idle.poll()) != null) {
      retire(c);
    }
    afterClose();
  }

  // ---- plumbing ----

  /** A unit of JDBC work. */
  @FunctionalInterface
  interface SqlWork<C, T> {
    T run(C conn) throws SQLException;
  }

  /** The body of a transaction on an already chosen connection. */
  @FunctionalInterface
  interface TxWork<T> {
    T run() throws SQLException;
  }

  /** Reads one keyed value from the current row of a lookup. */
  @FunctionalInterface
  interface RowEntry<V> {
    Map.Entry<String, V> read(ResultSet rs) throws SQLException;
  }

  /** Runs read-only work on a pooled auto-commit connection (also the tests' back door). */
  <T> T withConnection(SqlWork<C, T> work) {
    C conn = borrow();
    boolean ok = false;
    try {
      T result = work.run(conn);
      ok = true;
      return result;
    } catch (SQLException e) {
      throw new WarehouseException("Query on " + url() + " failed", e);
    } finally {
      giveBack(conn, ok);
    }
  }

  /**
   * Runs {@code work} on a borrowed connection through {@link #retryPolicy()}: a failure the
   * dialect classifies as {@link FailureKind#RETRYABLE} re-runs it on a fresh connection; the
   * last failure becomes a {@link WarehouseException} with its kind (a {@link WarehouseException}
   * or other runtime exception thrown by the work itself propagates as it is). Any failure rolls
   * back and discards the connection.
   */
  <T> T retrying(String what, SqlWork<C, T> work) {
    try {
      return retryPolicy().call(what, attempt -> {
        C conn = borrow();
        boolean ok = false;
        try {
          T result = work.run(conn);
          ok = true;
          return result;
        } catch (SQLException | RuntimeException e) {
          rollbackQuietly(conn);
          throw e;
        } finally {
          giveBack(conn, ok);
        }
      });
    } catch (PipelineException e) {
      if (e instanceof WarehouseException || !(e.getCause() instanceof Exception cause)) {
        throw e;
      }
      if (cause instanceof SQLException sql) {
        throw new WarehouseException(e.kind(),
            what + " failed after " + e.attempts() + " attempt(s)", sql, e.attempts());
      }
      if (cause instanceof RuntimeException r && !(r instanceof PipelineException)) {
        throw r;
      }
      throw e;
    }
  }

  /** The listener of {@link #retryPolicy()}: logs each retry and counts it. */
  RetryPolicy.Listener retryLog(String what) {
    return (op, attempt, failure, waitMillis, error) -> {
      retries.incrementAndGet();
      log.info("{}: {} on attempt {}, retrying in {} ms: {}", op, what, attempt - 1, waitMillis,
          error.getMessage());
    };
  }

  /** Retries run so far by this instance. */
  long retries() {
    return retries.get();
  }

  /** Deletes the rows whose {@code column} is among {@code distinct}, in bound batches, in one transaction. */
  long deleteIn(TableSpec spec, String column, List<String> distinct) {
    return retrying("delete from " + spec.qualifiedName(),
        conn -> inTransaction(conn, spec, () -> {
          long deleted = 0;
          for (int i = 0; i < distinct.size(); i += ID_BATCH) {
            List<String> chunk = distinct.subList(i, Math.min(distinct.size(), i + ID_BATCH));
            try (PreparedStatement ps = prepare(conn, dialect().deleteWhere(spec, column, chunk))) {
              deleted += ps.executeUpdate();
            }
          }
          return deleted;
        }));
  }

  /**
   * Deletes the parents' rows whose keys are not in the staging table, in chunks of {@value
   * #ID_BATCH} bound parent ids; returns how many.
   */
  long deleteChildrenNotStaged(C conn, TableSpec spec, String parentColumn, String stage,
      List<String> parents) throws SQLException {
    long deleted = 0;
    for (int i = 0; i < parents.size(); i += ID_BATCH) {
      List<String> chunk = parents.subList(i, Math.min(parents.size(), i + ID_BATCH));
      try (PreparedStatement ps =
          prepare(conn, dialect().deleteChildrenNotStaged(spec, parentColumn, stage, chunk))) {
        deleted += ps.executeUpdate();
      }
    }
    return deleted;
  }

  /**
   * Runs a lookup over distinct ids in bound batches of {@value #ID_BATCH} and collects its rows
   * into a map: the shared shape of the stored-chunk, stored-turn and payload-hash lookups.
   */
  <V> Map<String, V> lookupByIds(Collection<String> idsIn,
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

  long count(Connection conn, String schema, String table) throws SQLException {
    try (Statement st = conn.createStatement();
        ResultSet rs = st.executeQuery(dialect().countQuery(schema, table))) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Prepares the statement and binds its parameters ({@link #bindOther} for the typed ones). */
  PreparedStatement prepare(Connection conn, BoundSql sql) throws SQLException {
    PreparedStatement ps = conn.prepareStatement(sql.sql());
    try {
      int i = 1;
      for (Object p : sql.params()) {
        if (p == null) {
          ps.setNull(i, Types.VARCHAR);
        } else if (p instanceof String s) {
          ps.setString(i, s);
        } else if (p instanceof Long n) {
          ps.setLong(i, n);
        } else if (p instanceof Double d) {
          ps.setDouble(i, d);
        } else if (p instanceof Boolean b) {
          ps.setBoolean(i, b);
        } else {
          bindOther(ps, i, p);
        }
        i++;
      }
      return ps;
    } catch (SQLException | RuntimeException e) {
      ps.close();
      throw e;
    }
  }

  C borrow() {
    checkOpen();
    C c = idle.poll();
    if (c == null) {
      c = reuse();
    }
    if (c != null) {
      return c;
    }
    return openConnection();
  }

  /** Pools a healthy connection; closes one that failed, or retires it when closed meanwhile. */
  void giveBack(C c, boolean healthy) {
    if (healthy && !closed.get()) {
      idle.push(c);
      if (closed.get() && idle.remove(c)) {
        retire(c); // close() ran concurrently
      }
    } else {
      closeQuietly(c);
    }
  }

  void checkOpen() {
    if (closed.get()) {
      throw new IllegalStateException(this + " is closed");
    }
  }

  void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException e) {
      log.debug("close failed", e);
    }
  }

  // ---- shared static helpers ----

  /** Checks that a row belongs to the table and sets only known columns. */
  static void checkRow(WarehouseTable table, Set<String> known, WarehouseRow row) {
    if (row.table() != table) {
      throw WarehouseException.invalidRow(row + " cannot be merged into " + table.qualifiedName());
    }
    for (String c : row.values().keySet()) {
      if (!known.contains(c)) {
        throw WarehouseException.invalidRow(
            row + ": table " + table.qualifiedName() + " has no column " + c);
      }
    }
  }

  /** Checks that every row's parent column holds one of the parents being replaced. */
  static void checkParents(List<WarehouseRow> rows, String parent, Set<String> parents) {
    for (WarehouseRow row : rows) {
      Object p = row.get(parent);
      if (!(p instanceof String ps) || !parents.contains(ps)) {
        throw WarehouseException.invalidRow(row + ": " + parent + " " + p
            + " is not among the parents being replaced");
      }
    }
  }

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

  static Set<String> columnNames(List<Column> columns) {
    Set<String> names = new LinkedHashSet<>();
    for (Column c : columns) {
      names.add(c.name());
    }
    return names;
  }

  static List<String> distinctIds(Collection<String> ids) {
    LinkedHashSet<String> distinct = new LinkedHashSet<>();
    for (String id : ids) {
      if (id == null) {
        throw new IllegalArgumentException("ids must not contain null");
      }
      distinct.add(id);
    }
    return new ArrayList<>(distinct);
  }

  static void requireText(@Nullable String value, String what) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(what + " is required");
    }
  }

  static long ttlMicros(Duration ttl) {
    if (ttl == null || ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be positive: " + ttl);
    }
    return Math.multiplyExact(ttl.getSeconds(), 1_000_000L) + ttl.getNano() / 1_000L;
  }

  static @Nullable Long longOrNull(ResultSet rs, int column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : v;
  }

  static @Nullable Double doubleOrNull(ResultSet rs, int column) throws SQLException {
    double v = rs.getDouble(column);
    return rs.wasNull() ? null : v;
  }
}
