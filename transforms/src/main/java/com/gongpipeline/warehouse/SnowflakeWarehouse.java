package com.gongpipeline.warehouse;

import com.gongpipeline.errors.RetryPolicy;
import com.gongpipeline.snowflake.SnowflakeConnections;
import com.gongpipeline.snowflake.SnowflakeStatementTimeout;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * {@link Warehouse} on Snowflake over the JDBC driver (snowflake-jdbc 3.23.1), with every
 * statement produced by {@link SnowflakeDialect} and merges staged by {@link SnowflakeRowWriter}.
 *
 * <p>Concurrency: Snowflake runs DML on one table one statement at a time and each statement sees
 * the latest committed rows, so concurrent merges of the same new key cannot both insert, and the
 * conditional MERGE/UPDATE statements of marks and leases are atomic without a client lock.
 *
 * <p>Column lists come from the DDL in {@code sql/snowflake/} ({@link SnowflakeSchema}), not from
 * the catalog. Connections are pooled per instance and, on {@link #close()}, handed to a small
 * JVM-wide pool per URL and properties ({@link ConnectionProvider}), because the pipeline opens a
 * warehouse per batch and a Snowflake login is expensive; a failed connection is closed, never
 * pooled. Transient failures are retried {@value #MAX_ATTEMPTS} times through the {@link
 * RetryPolicy}. The credentials are in the {@link Properties} ({@link SnowflakeConnections}) and
 * never logged.
 *
 * <p>Every statement has a query timeout ({@link java.sql.Statement#setQueryTimeout}): {@value
 * #DEFAULT_STATEMENT_TIMEOUT_SECONDS} s, or the URL's {@value #STATEMENT_TIMEOUT_PARAMETER}
 * parameter (set by {@code --snowflakeStatementTimeout}; removed before the URL reaches the
 * driver). The driver sends it as the statement's {@code STATEMENT_TIMEOUT_IN_SECONDS}
 * ({@code IMPLICIT_SERVER_SIDE_QUERY_TIMEOUT=true}), so Snowflake itself cancels the statement
 * (error 000630) rather than a client timer; a statement stuck on a lock or a slow warehouse no
 * longer holds a DoFn (and a Flink checkpoint) for ever.
 */
public final class SnowflakeWarehouse extends JdbcWarehouse<Connection> {
  /** Binds per executeBatch: below the driver's stage-binding threshold (65,280). */
  static final int MAX_BINDS_PER_BATCH = SnowflakeRowWriter.MAX_BINDS_PER_BATCH;

  /** Characters of bound text per executeBatch: Snowflake limits a statement to 1 MB. */
  static final int MAX_CHARS_PER_BATCH = SnowflakeRowWriter.MAX_CHARS_PER_BATCH;

  static final int MAX_ATTEMPTS = 3;

  /** The URL parameter carrying {@code --snowflakeStatementTimeout} (seconds). */
  public static final String STATEMENT_TIMEOUT_PARAMETER = SnowflakeStatementTimeout.PARAMETER;

  /** Default statement timeout ({@link SnowflakeStatementTimeout#DEFAULT_SECONDS}). */
  public static final int DEFAULT_STATEMENT_TIMEOUT_SECONDS =
      SnowflakeStatementTimeout.DEFAULT_SECONDS;

  /** Opens a JDBC connection (the driver in production, a fake in tests). */
  @FunctionalInterface
  interface ConnectionSource {
    Connection open() throws SQLException;
  }

  private final String url;
  private final SnowflakeSchema schema;

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
    this(redact(jdbcUrl), connections(redact(jdbcUrl),
        withQueryTimeout(source, statementTimeoutSeconds(jdbcUrl)), sharedKey), clock);
  }

  /** See {@link SnowflakeStatementTimeout#seconds}. */
  public static int statementTimeoutSeconds(String jdbcUrl) {
    return SnowflakeStatementTimeout.seconds(jdbcUrl);
  }

  /** See {@link SnowflakeStatementTimeout#with}. */
  public static String withStatementTimeout(String jdbcUrl, int seconds) {
    return SnowflakeStatementTimeout.with(jdbcUrl, seconds);
  }

  /** See {@link SnowflakeStatementTimeout#without}. */
  public static String withoutStatementTimeout(String jdbcUrl) {
    return SnowflakeStatementTimeout.without(jdbcUrl);
  }

  /**
   * Connections whose every statement gets {@code seconds} as its query timeout: the JDBC
   * connection is wrapped (a dynamic proxy), so no statement anywhere can be created without it.
   */
  static ConnectionSource withQueryTimeout(ConnectionSource source, int seconds) {
    return () -> {
      Connection real = source.open();
      return (Connection) java.lang.reflect.Proxy.newProxyInstance(
          SnowflakeWarehouse.class.getClassLoader(), new Class<?>[] {Connection.class},
          (proxy, method, args) -> {
            Object result;
            try {
              result = method.invoke(real, args);
            } catch (java.lang.reflect.InvocationTargetException e) {
              throw e.getCause();
            }
            if (result instanceof java.sql.Statement st && (method.getName().equals(
                "createStatement") || method.getName().startsWith("prepare"))) {
              st.setQueryTimeout(seconds);
            }
            return result;
          });
    };
  }

  private SnowflakeWarehouse(String url, ConnectionProvider<Connection> conns, Clock clock) {
    this(url, conns, new SnowflakeSchema(conns), clock);
  }

  private SnowflakeWarehouse(String url, ConnectionProvider<Connection> conns,
      SnowflakeSchema schema, Clock clock) {
    super(conns, schema,
        new SnowflakeRowWriter(conns, schema, (SnowflakeDialect) conns.dialect()),
        schema.embeddingDimension(), clock);
    this.url = url;
    this.schema = schema;
  }

  private static ConnectionProvider<Connection> connections(String url, ConnectionSource source,
      @Nullable String sharedKey) {
    RetryPolicy.Builder retries = RetryPolicy.builder()
        .withMaxAttempts(MAX_ATTEMPTS)
        .withInitialBackoff(Duration.ofMillis(500))
        .withMaxBackoff(Duration.ofSeconds(5));
    return new ConnectionProvider<>(url, new SnowflakeDialect(), source::open, sharedKey,
        retries, "transient failure");
  }

  private static ConnectionSource driverSource(String jdbcUrl, Properties properties) {
    if (!jdbcUrl.startsWith("jdbc:snowflake:")) {
      throw new IllegalArgumentException("Not a Snowflake URL: " + redact(jdbcUrl));
    }
    Properties copy = new Properties();
    copy.putAll(properties);
    // setQueryTimeout becomes the statement's STATEMENT_TIMEOUT_IN_SECONDS, enforced by Snowflake.
    copy.putIfAbsent("IMPLICIT_SERVER_SIDE_QUERY_TIMEOUT", "true");
    String driverUrl = withoutStatementTimeout(jdbcUrl);
    return () -> DriverManager.getConnection(driverUrl, copy);
  }

  /** The statements of a script: comments removed, split at {@code ;}, blanks dropped. */
  static List<String> statements(String script) {
    return SnowflakeSchema.statements(script);
  }

  /** The dimension of AI_MEMORY.MEMORY_RECORDS.EMBEDDING as the DDL declares it. */
  int embeddingDimension() {
    return schema.embeddingDimension();
  }

  /** See {@link SnowflakeRowWriter#batchSizes}. */
  static List<Integer> batchSizes(List<Object[]> rows, int bindsPerRow) {
    return SnowflakeRowWriter.batchSizes(rows, bindsPerRow);
  }

  @Override
  public String toString() {
    return "SnowflakeWarehouse[" + url + "]";
  }

  private static String redact(String url) {
    return com.gongpipeline.errors.SecretRedaction.redact(url);
  }
}
