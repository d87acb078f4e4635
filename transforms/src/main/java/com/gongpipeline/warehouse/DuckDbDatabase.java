package com.gongpipeline.warehouse;

import com.gongpipeline.errors.FailureKind;
import com.gongpipeline.errors.PipelineException;
import com.gongpipeline.errors.RetryPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open DuckDB database per URL per JVM, shared by every {@link DuckDbWarehouse} on it.
 *
 * <p>DuckDB lets only one process open a file, but any number of connections inside that process;
 * Beam runs DoFns on many threads, so the first opener creates the instance (a root connection)
 * and everybody gets {@code duplicate()}s of it. The instance is reference-counted and, by default
 * ({@link OpenOptions#keepOpenWhenIdle()} false), closed as soon as the last warehouse on it
 * closes: that releases the file lock, so another process (the {@code search} CLI next to a
 * pipeline that opens per batch) can open the file in between; an in-memory database is then gone.
 * Opening waits for another process's lock up to {@link OpenOptions#lockWait()}. It also remembers
 * whether the DDL has run, caches table columns, and holds the per-table write locks.
 *
 * <p>Idle linger ({@link #linger}): while a job runs, its write batches come one after another, and
 * opening the file per batch (schema check, catalog reads, DuckDB's own start-up and checkpoint on
 * close: 50-200 ms each) dominated a backfill. So a job declares a linger for its file: after the
 * last warehouse closes, the database stays open that long and the next batch joins it; once the
 * job goes idle for the linger (or ends) it closes and releases the file.
 *
 * <p>Taking turns ({@link TurnRequest}): a process of this project that finds the file locked
 * touches {@code <file>.turn} at each retry. The holder looks for a fresh request whenever its
 * last warehouse closes: it then closes at once instead of lingering, and for {@value
 * #YIELD_MILLIS} ms opens nothing more while the request stands, so the waiter (which retries at
 * least once a second) gets the file; the waiter removes the request once it has the file. A
 * request is fresh for {@value TurnRequest#FRESH_MILLIS} ms, so a waiter that gave up or died
 * stops counting at once.
 *
 * <p>Offline hygiene: extension auto-install/auto-load are off, so a query needing a missing
 * extension fails at once instead of reaching for the network.
 */
final class DuckDbDatabase {
  static final String URL_PREFIX = "jdbc:duckdb:";
  /**
   * A DuckDB {@code memory_limit} (e.g. {@code 1GB}) for file databases, read when one is opened;
   * unset: {@value #DEFAULT_MEMORY_LIMIT}; {@value #NO_MEMORY_LIMIT} (or empty): DuckDB's own
   * default (80% of RAM). In-memory databases cannot spill, so always keep DuckDB's default.
   */
  public static final String MEMORY_LIMIT_PROPERTY = "gongpipeline.warehouse.duckdbMemoryLimit";
  /**
   * The shipped cap on a file database's buffer pool. {@code bench --scale=1000,20000} ({@code
   * -Xmx1g}; 0 dead letters): 256MB gave 11.0 / 12.9 calls/s and peak RSS 1,596 / 1,913 MiB,
   * 512MB 11.5 / 13.5 calls/s and 1,617 / 2,110 MiB, since the MERGE finds its keys through the
   * primary key's index instead of scanning the table; the default heap and an uncapped pool
   * reached 4,247 MiB at 1,000 calls. DuckDB counts its indexes in the limit too (the memory
   * records' two took 23-27 MiB at 668,337 rows).
   */
  static final String DEFAULT_MEMORY_LIMIT = "256MB";
  /** The {@link #MEMORY_LIMIT_PROPERTY} value that restores DuckDB's default (80% of RAM). */
  static final String NO_MEMORY_LIMIT = "none";
  private static final Logger LOG = LoggerFactory.getLogger(DuckDbDatabase.class);
  private static final Map<String, DuckDbDatabase> OPEN = new HashMap<>(); // guarded by class
  /** Declared lingers per database key: scopes open and the linger (guarded by class). */
  private static final Map<String, Linger> LINGERS = new HashMap<>();
  /** Until when (nanoTime) this JVM leaves a file to the process that asked for a turn. */
  private static final Map<String, Long> YIELDING = new HashMap<>(); // guarded by class
  static final long YIELD_MILLIS = 2_000;
  private static @Nullable ScheduledExecutorService closer; // guarded by class
  private static long opens; // guarded by class; tests count re-opens

  private final String key;
  private final DuckDBConnection root;
  private final Map<String, List<Column>> columns = new ConcurrentHashMap<>();
  private final Map<String, Lock> writeLocks = new ConcurrentHashMap<>();
  private int refs; // guarded by class
  private boolean keepOpenWhenIdle; // guarded by class
  private boolean schemaApplied; // guarded by this
  private long idleGeneration; // guarded by class: bumped by every acquire and release

  private DuckDbDatabase(String key, DuckDBConnection root) {
    this.key = key;
    this.root = root;
  }

  /**
   * The shared database for this URL, opening it if needed; pair with {@link #release()}.
   *
   * <p>When another process holds the file ({@code Could not set lock on file}), opening is
   * retried with a short backoff (50 ms doubling to 1 s) until {@link OpenOptions#lockWait()} has
   * passed, then fails with a {@link WarehouseException} naming the file and, when DuckDB reports
   * it, the other process's PID. The JVM-wide monitor is held only for each attempt, never while
   * waiting, so other databases open and close meanwhile.
   */
  static DuckDbDatabase acquire(String jdbcUrl, OpenOptions options) {
    String key = normalize(jdbcUrl);
    long start = System.nanoTime();
    long deadline = start + options.lockWait().toNanos();
    RetryPolicy lockWait = RetryPolicy.builder()
        .withMaxAttempts(Integer.MAX_VALUE)
        .withInitialBackoff(Duration.ofMillis(50))
        .withMaxBackoff(Duration.ofSeconds(1))
        // The deadline decides (the classifier); this only bounds the last back-off's overshoot.
        .withMaxTotalWait(options.lockWait().plusSeconds(1))
        .withClassifier(error -> RetryPolicy.Failure.of(
            error instanceof Locked && System.nanoTime() - deadline < 0
                ? FailureKind.RETRYABLE : FailureKind.FATAL_CONFIG))
        .withListener((what, attempt, failure, waitMillis, error) -> {
          if (attempt == 1) {
            LOG.info("DuckDB database {} is locked by another process{}; waiting up to {} ms",
                redact(key), holder(((Locked) error).cause), options.lockWait().toMillis());
          }
        })
        .build();
    try {
      return lockWait.call("open " + redact(key), attempt -> openOrJoin(key, options, attempt, start));
    } catch (PipelineException e) {
      if (e.getCause() instanceof Locked locked) {
        throw lockedError(key, locked.cause, millisSince(start), options);
      }
      throw e;
    }
  }

  /** Another process holds the file: the one failure {@link #acquire} waits out. */
  private static final class Locked extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient SQLException cause;

    Locked(SQLException cause) {
      super(cause.getMessage(), null, false, false);
      this.cause = cause;
    }
  }

  /** One attempt: joins the open database or opens it; the JVM-wide monitor is held only here. */
  private static DuckDbDatabase openOrJoin(String key, OpenOptions options, int attempt,
      long start) throws Locked {
    synchronized (DuckDbDatabase.class) {
      DuckDbDatabase db = OPEN.get(key);
      if (db == null) {
        Long yieldUntil = YIELDING.get(key);
        if (yieldUntil != null) {
          if (System.nanoTime() - yieldUntil < 0 && TurnRequest.pending(key)) {
            throw new Locked(new SQLException("yielding the file to another process that asked "
                + "for a turn (" + TurnRequest.path(key) + ")"));
          }
          YIELDING.remove(key);
        }
        try {
          db = new DuckDbDatabase(key, openRoot(key));
          OPEN.put(key, db);
          opens++;
          TurnRequest.withdraw(key); // we have the file: a turn asked for is served

          // Writers open the file per batch: a plain open is routine (debug); a wait is news.
          if (attempt == 1) {
            LOG.debug("Opened DuckDB database {}", redact(key));
          } else {
            LOG.info("Opened DuckDB database {} after waiting {} ms for another process", redact(key),
                millisSince(start));
          }
        } catch (SQLException e) {
          if (!isLockedByAnotherProcess(e)) {
            throw new WarehouseException(FailureKind.FATAL_CONFIG,
                "Cannot open DuckDB database " + redact(key), e);
          }
          TurnRequest.ask(key);
          throw new Locked(e);
        }
      }
      db.refs++;
      db.idleGeneration++;
      db.keepOpenWhenIdle |= options.keepOpenWhenIdle();
      return db;
    }
  }

  private static DuckDBConnection openRoot(String key) throws SQLException {
    Properties p = new Properties();
    p.setProperty("autoinstall_known_extensions", "false");
    p.setProperty("autoload_known_extensions", "false");
    Connection c = DriverManager.getConnection(key, p);
    String memoryLimit = memoryLimit();
    if (memoryLimit != null && isFile(key)) {
      // DuckDB's buffer pool otherwise caches up to 80% of the machine's RAM, so the process
      // grows with the file; with a limit it evicts (and spills to <file>.tmp) instead. Set after
      // opening, not as a connection property: DuckDB refuses another connection of this process
      // to the file with a different configuration (a plain JDBC connection, e.g. a test's).
      try (Statement st = c.createStatement()) {
        st.execute("SET GLOBAL memory_limit = '" + memoryLimit.replace("'", "''") + "'");
      } catch (SQLException e) {
        c.close();
        throw new SQLException("Invalid -D" + MEMORY_LIMIT_PROPERTY + "=" + memoryLimit
            + " (a DuckDB memory_limit such as 512MB or 2GB, or " + NO_MEMORY_LIMIT + "): "
            + e.getMessage(), e);
      }
    }
    return c.unwrap(DuckDBConnection.class);
  }

  /**
   * The {@code memory_limit} a file database opens with: {@link #MEMORY_LIMIT_PROPERTY}, else
   * {@link #DEFAULT_MEMORY_LIMIT}; null (DuckDB's default) for {@link #NO_MEMORY_LIMIT} or empty.
   */
  static @Nullable String memoryLimit() {
    String v = System.getProperty(MEMORY_LIMIT_PROPERTY, DEFAULT_MEMORY_LIMIT).trim();
    return v.isEmpty() || NO_MEMORY_LIMIT.equalsIgnoreCase(v) ? null : v;
  }

  /** DuckDB's error when another process has the file open (read-write or read-only). */
  static boolean isLockedByAnotherProcess(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && t.getMessage().contains("Could not set lock on file")) {
        return true;
      }
    }
    return false;
  }

  private static WarehouseException lockedError(
      String key, @Nullable SQLException cause, long waitedMillis, OpenOptions options) {
    String file = key.substring(URL_PREFIX.length());
    return new WarehouseException(FailureKind.RETRYABLE, "DuckDB file " + file + " is locked by another process"
        + holder(cause) + "; gave up after waiting " + waitedMillis + " ms (lock wait "
        + options.lockWait().toMillis() + " ms). DuckDB lets one process open a file at a time:"
        + " stop that process, or wait longer (OpenOptions.lockWait or -D"
        + OpenOptions.LOCK_WAIT_PROPERTY + "=<millis>).", cause);
  }

  /** {@code " (PID 123: /usr/bin/java)"} from DuckDB's lock message, or "" if it names none. */
  static String holder(@Nullable SQLException e) {
    String m = e == null || e.getMessage() == null ? "" : e.getMessage();
    Matcher pid = PID.matcher(m);
    if (!pid.find()) {
      return "";
    }
    Matcher program = HELD_IN.matcher(m);
    return " (PID " + pid.group(1) + (program.find() ? ": " + program.group(1) : "") + ")";
  }

  private static final Pattern PID = Pattern.compile("\\(PID (\\d+)\\)");
  private static final Pattern HELD_IN =
      Pattern.compile("held in (.+?) \\(PID");

  private static long millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000L;
  }

  /**
   * Drops one reference. The last one closes the database, which releases the file lock, unless an
   * opener asked to keep it open when idle, or a job declared a {@link #linger} for it and no other
   * process asked for a turn: then it closes after the linger unless acquired again meanwhile.
   */
  void release() {
    synchronized (DuckDbDatabase.class) {
      idleGeneration++;
      if (--refs > 0 || keepOpenWhenIdle) {
        return;
      }
      Linger linger = LINGERS.get(key);
      boolean turnAsked = TurnRequest.pending(key);
      if (linger != null && linger.millis > 0 && !turnAsked) {
        long generation = idleGeneration;
        closer().schedule(() -> closeIfStillIdle(generation), linger.millis,
            TimeUnit.MILLISECONDS);
        return;
      }
      closeNow();
      if (turnAsked) {
        YIELDING.put(key, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(YIELD_MILLIS));
        LOG.info("Released DuckDB database {} for another process that asked for a turn",
            redact(key));
      }
    }
  }

  /** The linger's end: closes unless the database was acquired (or released again) meanwhile. */
  private void closeIfStillIdle(long generation) {
    synchronized (DuckDbDatabase.class) {
      if (OPEN.get(key) == this && refs <= 0 && !keepOpenWhenIdle
          && idleGeneration == generation) {
        closeNow();
      }
    }
  }

  /** Closes the root connection (guarded by class; nobody holds a reference). */
  private void closeNow() {
    OPEN.remove(key);
    try {
      root.close();
      LOG.debug("Closed DuckDB database {}", redact(key));
    } catch (SQLException e) {
      LOG.warn("Closing DuckDB database {} failed", redact(key), e);
    }
  }

  private static ScheduledExecutorService closer() {
    if (closer == null) {
      closer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "duckdb-idle-close");
        t.setDaemon(true);
        return t;
      });
    }
    return closer;
  }

  /**
   * Declares that a job is writing to this database: until the returned scope closes, the database
   * stays open {@code linger} after its last warehouse closes (see the class comment), instead of
   * closing at once. Closing the scope closes the database if nobody uses it. In-memory databases
   * and a zero linger are left alone (a no-op scope). Scopes nest; the last one declared wins.
   */
  static AutoCloseable linger(String jdbcUrl, Duration linger) {
    String key = normalize(jdbcUrl);
    if (linger.isZero() || linger.isNegative() || !isFile(key)) {
      return () -> { };
    }
    synchronized (DuckDbDatabase.class) {
      Linger l = LINGERS.computeIfAbsent(key, k -> new Linger());
      l.scopes++;
      l.millis = linger.toMillis();
    }
    return () -> {
      synchronized (DuckDbDatabase.class) {
        Linger l = LINGERS.get(key);
        if (l != null && --l.scopes <= 0) {
          LINGERS.remove(key);
          DuckDbDatabase db = OPEN.get(key);
          if (db != null && db.refs <= 0 && !db.keepOpenWhenIdle) {
            db.closeNow();
          }
        }
      }
    };
  }

  /** A declared linger: how many scopes declare it, and how long. */
  private static final class Linger {
    int scopes;
    long millis;
  }

  /** How many times this JVM has opened a DuckDB database (re-opens included; tests). */
  static long opens() {
    synchronized (DuckDbDatabase.class) {
      return opens;
    }
  }

  private static boolean isFile(String key) {
    String rest = key.substring(URL_PREFIX.length());
    return !rest.isEmpty() && !rest.startsWith(":memory:") && !rest.contains("?");
  }

  /**
   * Another process's request for the file, as a file beside it ({@code <file>.turn}) whose
   * modification time is refreshed at each of that process's open attempts. Best effort: a
   * directory we cannot write to just means no request is made (the old behaviour: wait for a gap).
   */
  static final class TurnRequest {
    static final long FRESH_MILLIS = 3_000;

    private TurnRequest() {}

    static @Nullable Path path(String key) {
      return isFile(key) ? Path.of(key.substring(URL_PREFIX.length()) + ".turn") : null;
    }

    /** Asks the holder for a turn (creates or touches the request). */
    static void ask(String key) {
      Path p = path(key);
      if (p == null) {
        return;
      }
      try {
        if (!Files.exists(p)) {
          Files.createFile(p);
        }
        Files.setLastModifiedTime(p, java.nio.file.attribute.FileTime.fromMillis(
            System.currentTimeMillis()));
      } catch (IOException | RuntimeException e) {
        LOG.debug("Cannot ask for a turn on {}: {}", p, e.toString());
      }
    }

    /** Whether a process asked for a turn in the last {@link #FRESH_MILLIS}. */
    static boolean pending(String key) {
      Path p = path(key);
      if (p == null) {
        return false;
      }
      try {
        long age = System.currentTimeMillis() - Files.getLastModifiedTime(p).toMillis();
        return age < FRESH_MILLIS;
      } catch (IOException | RuntimeException absent) {
        return false;
      }
    }

    static void withdraw(String key) {
      Path p = path(key);
      if (p == null) {
        return;
      }
      try {
        Files.deleteIfExists(p);
      } catch (IOException | RuntimeException e) {
        LOG.debug("Cannot withdraw the turn request {}: {}", p, e.toString());
      }
    }
  }

  /** Whether this JVM currently has the database behind {@code jdbcUrl} open (tests). */
  static boolean isOpen(String jdbcUrl) {
    synchronized (DuckDbDatabase.class) {
      return OPEN.containsKey(normalize(jdbcUrl));
    }
  }

  /** Closes a database kept open when idle once nobody uses it (tests, shutdown). */
  static void closeIfIdle(String jdbcUrl) {
    synchronized (DuckDbDatabase.class) {
      DuckDbDatabase db = OPEN.get(normalize(jdbcUrl));
      if (db != null && db.refs <= 0) {
        db.keepOpenWhenIdle = false;
        db.closeNow();
      }
    }
  }

  String url() {
    return key;
  }

  /** A new connection to this database (auto-commit on). */
  DuckDBConnection newConnection() throws SQLException {
    synchronized (root) {
      return root.duplicate();
    }
  }

  /**
   * Runs the dialect's DDL scripts once for this open database. Serialised because DuckDB rejects
   * concurrent catalog changes ("Catalog write-write conflict") even with IF NOT EXISTS.
   */
  synchronized void applySchemaOnce(SqlDialect dialect) {
    if (schemaApplied) {
      return;
    }
    try (Connection c = newConnection(); Statement st = c.createStatement()) {
      for (String resource : dialect.schemaScripts()) {
        st.execute(readResource(resource));
      }
    } catch (SQLException e) {
      throw new WarehouseException("Applying the schema to " + redact(key) + " failed", e);
    }
    columns.clear();
    schemaApplied = true;
    LOG.info("Applied {} DDL scripts to {}", dialect.schemaScripts().size(), redact(key));
  }

  /**
   * The lock that writers of one table hold from the start of their write transaction to its
   * commit. DuckDB's snapshot isolation would otherwise let two threads both see a key as new and
   * race to insert it; serialising per table inside the JVM (the only writer, since DuckDB allows
   * one process per file) keeps them from conflicting, while staging still runs in parallel.
   */
  Lock writeLock(String qualifiedTable) {
    return writeLocks.computeIfAbsent(qualifiedTable, t -> new ReentrantLock());
  }

  /** The table's columns in DDL order, read from the catalog once and cached. */
  List<Column> columns(SqlDialect dialect, TableSpec spec, Connection c) throws SQLException {
    List<Column> cached = columns.get(spec.qualifiedName());
    if (cached != null) {
      return cached;
    }
    List<Column> cols = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(dialect.columnsQuery())) {
      ps.setString(1, spec.schema());
      ps.setString(2, spec.table());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          cols.add(new Column(rs.getString(1), rs.getString(2), "YES".equals(rs.getString(3))));
        }
      }
    }
    if (cols.isEmpty()) {
      throw new WarehouseException(FailureKind.FATAL_CONFIG,
          "Table " + spec.qualifiedName() + " does not exist in " + redact(key) + " (applySchema() first?)",
          null);
    }
    List<Column> result = List.copyOf(cols);
    columns.put(spec.qualifiedName(), result);
    return result;
  }

  static String readResource(String resource) {
    ClassLoader cl = DuckDbDatabase.class.getClassLoader();
    try (InputStream in = cl.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("DDL resource missing from the classpath: " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot read DDL resource " + resource, e);
    }
  }

  /**
   * File URLs are keyed by real absolute path (symlinks in the directory resolved), so two
   * spellings of one file share one instance and one set of write locks.
   */
  private static String normalize(String jdbcUrl) {
    String rest = jdbcUrl.substring(URL_PREFIX.length());
    if (rest.isEmpty() || rest.startsWith(":memory:") || rest.contains("?")) {
      return jdbcUrl;
    }
    Path path = Path.of(rest).toAbsolutePath().normalize();
    Path dir = path.getParent();
    if (dir != null && Files.isDirectory(dir)) {
      try {
        path = dir.toRealPath().resolve(path.getFileName());
      } catch (IOException e) {
        LOG.debug("Cannot resolve {}; using it as given", dir, e);
      }
    }
    return URL_PREFIX + path;
  }

  /** A database key (its URL) as logs and messages show it: secrets masked. */
  private static String redact(String key) {
    return com.gongpipeline.errors.SecretRedaction.redact(key);
  }
}
