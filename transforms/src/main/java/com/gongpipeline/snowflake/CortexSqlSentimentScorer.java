package com.gongpipeline.snowflake;

import com.gongpipeline.enrich.SentimentScorer;
import com.gongpipeline.enrich.SentimentScorerFactory;
import com.gongpipeline.errors.FailureKind;
import com.gongpipeline.errors.PipelineException;
import com.gongpipeline.errors.RetryPolicy;
import com.gongpipeline.metrics.MetricNames;
import com.gongpipeline.metrics.MirroredDistribution;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.StringJoiner;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.util.Sleeper;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code SNOWFLAKE.CORTEX.SENTIMENT} over JDBC ({@code --sentiment=cortex}): ONE statement per
 * batch of texts,
 *
 * <pre>{@code
 * SELECT v.$1, SNOWFLAKE.CORTEX.SENTIMENT(v.$2) FROM VALUES (?, ?), (?, ?), ... AS v
 * }</pre>
 *
 * binding (index, text) pairs and mapping the scores back by index. Blank or null texts score NaN
 * without being sent. Batches larger than {@value #MAX_TEXTS_PER_STATEMENT} texts or {@value
 * #MAX_CHARS_PER_STATEMENT} characters are split (Snowflake limits a statement, binds included,
 * to 1 MB).
 *
 * <p>Every statement goes through the one {@link RetryPolicy}: transient failures (connection
 * errors, lock queue overflow, Cortex throttling) are {@link FailureKind#RETRYABLE} and retried up
 * to {@value #MAX_ATTEMPTS} attempts with its capped back-off, on a fresh connection; any other
 * SQL failure is {@link FailureKind#PERMANENT}. Either way the batch that could not be scored is
 * thrown as a {@link CortexSqlException} (a {@link PipelineException} of that kind) for the
 * calling DoFn to dead-letter. Messages name the batch size and the driver's error, never the
 * texts or credentials.
 *
 * <p>Beam metrics ({@link MetricNames}, namespace {@code cortex}): {@code sentiment_requests},
 * {@code sentiment_texts}, {@code sentiment_retries}, {@code sentiment_failures} and the batch
 * time {@code sentiment_ms} with its {@code _sum}/{@code _count}/{@code _max} mirrors (so it
 * exports on Flink too). Thread-safe: one connection per scorer, used by one caller at a
 * time. Open in {@code @Setup}, close in {@code @Teardown}.
 */
public final class CortexSqlSentimentScorer implements SentimentScorer {
  private static final Logger LOG = LoggerFactory.getLogger(CortexSqlSentimentScorer.class);

  public static final String MODEL_NAME = "snowflake-cortex-sentiment";
  static final int MAX_TEXTS_PER_STATEMENT = 200;
  static final int MAX_CHARS_PER_STATEMENT = 500_000;
  static final int MAX_ATTEMPTS = 5;

  /** Opens a JDBC connection (the driver in production, a fake in tests). */
  @FunctionalInterface
  interface ConnectionSource {
    Connection open() throws SQLException;
  }

  /**
   * A batch that could not be scored: {@link FailureKind#PERMANENT} for an error that is not
   * transient, {@link FailureKind#RETRYABLE} for transient errors on every attempt.
   */
  public static final class CortexSqlException extends PipelineException {
    private static final long serialVersionUID = 1L;

    CortexSqlException(FailureKind kind, String message, Throwable cause, int attempts) {
      super(kind, message, cause, attempts, null);
    }
  }

  /** A {@link CortexSqlException}'s own kind; anything else (a bad answer) is not retried. */
  private static final RetryPolicy.Classifier CLASSIFIER = error ->
      RetryPolicy.Failure.of(error instanceof CortexSqlException e ? e.kind()
          : FailureKind.PERMANENT);

  private final Counter requests = MetricNames.CORTEX_SENTIMENT_REQUESTS.counter();
  private final Counter texts = MetricNames.CORTEX_SENTIMENT_TEXTS.counter();
  private final Counter retries = MetricNames.CORTEX_SENTIMENT_RETRIES.counter();
  private final Counter failures = MetricNames.CORTEX_SENTIMENT_FAILURES.counter();
  private final MirroredDistribution millis =
      MirroredDistribution.of(MetricNames.CORTEX_SENTIMENT_MS);

  private final ConnectionSource source;
  private final RetryPolicy retryPolicy;
  /** Every SENTIMENT statement's query timeout (the URL's, else the warehouse default). */
  private int statementTimeoutSeconds =
      SnowflakeStatementTimeout.DEFAULT_SECONDS;
  private @Nullable Connection connection;

  /**
   * Scores over Snowflake at {@code jdbcUrl} with these connection properties (see {@link
   * SnowflakeConnections#fromEnvironment()}); connects on first use.
   */
  public CortexSqlSentimentScorer(String jdbcUrl, Properties properties) {
    this(copyOf(jdbcUrl, properties), Sleeper.DEFAULT);
    this.statementTimeoutSeconds =
        SnowflakeStatementTimeout.seconds(jdbcUrl);
  }

  /**
   * A factory for {@code CortexEnrichmentProvider} and friends: only the URL travels in the
   * pipeline graph; the credentials are read from the worker's {@code SNOWFLAKE_*} environment
   * when the scorer is built.
   */
  public static SentimentScorerFactory factory(String jdbcUrl) {
    if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:snowflake:")) {
      throw new IllegalArgumentException("--sentiment=cortex needs a Snowflake warehouse"
          + " (--warehouse=jdbc:snowflake://<account>.snowflakecomputing.com/)");
    }
    return () -> new CortexSqlSentimentScorer(jdbcUrl, SnowflakeConnections.fromEnvironment());
  }

  CortexSqlSentimentScorer(ConnectionSource source, Sleeper sleeper) {
    this.source = source;
    this.retryPolicy = RetryPolicy.builder()
        .withMaxAttempts(MAX_ATTEMPTS)
        .withInitialBackoff(Duration.ofMillis(500))
        .withMaxBackoff(Duration.ofSeconds(30))
        .withClassifier(CLASSIFIER)
        .withListener((what, attempt, failure, waitMillis, error) -> {
          retries.inc();
          LOG.info("Cortex SENTIMENT attempt {} failed transiently ({}); retrying in {} ms",
              attempt - 1, error.getMessage(), waitMillis);
        })
        .withSleeper(sleeper)
        .build();
  }

  private static ConnectionSource copyOf(String jdbcUrl, Properties properties) {
    if (!jdbcUrl.startsWith("jdbc:snowflake:")) {
      throw new IllegalArgumentException("Cortex needs a jdbc:snowflake: URL");
    }
    Properties copy = new Properties();
    copy.putAll(properties);
    // Snowflake cancels a statement at its query timeout (set on every statement below).
    copy.putIfAbsent("IMPLICIT_SERVER_SIDE_QUERY_TIMEOUT", "true");
    String driverUrl = SnowflakeStatementTimeout.without(jdbcUrl);
    return () -> DriverManager.getConnection(
        com.gongpipeline.security.WarehouseUrls.resolve(driverUrl), copy);
  }

  @Override
  public String modelName() {
    return MODEL_NAME;
  }

  /** The statement for {@code n} (index, text) pairs. */
  static String sql(int n) {
    StringJoiner values = new StringJoiner(", ");
    for (int i = 0; i < n; i++) {
      values.add("(?, ?)");
    }
    return "SELECT v.$1, SNOWFLAKE.CORTEX.SENTIMENT(v.$2) FROM VALUES " + values + " AS v";
  }

  @Override
  public synchronized double[] score(List<String> input) {
    double[] out = new double[input.size()];
    java.util.Arrays.fill(out, Double.NaN); // the contract: nothing to score is NaN, not 0
    List<Integer> pending = new ArrayList<>();
    long chars = 0;
    for (int i = 0; i < input.size(); i++) {
      String t = input.get(i);
      if (t == null || t.isBlank()) {
        continue; // stays NaN
      }
      if (!pending.isEmpty() && (pending.size() == MAX_TEXTS_PER_STATEMENT
          || chars + t.length() > MAX_CHARS_PER_STATEMENT)) {
        scoreBatch(input, pending, out);
        pending = new ArrayList<>();
        chars = 0;
      }
      pending.add(i);
      chars += t.length();
    }
    if (!pending.isEmpty()) {
      scoreBatch(input, pending, out);
    }
    return out;
  }

  private void scoreBatch(List<String> input, List<Integer> indexes, double[] out) {
    long t0 = System.currentTimeMillis();
    try {
      retryPolicy.run("Cortex SENTIMENT", attempt -> {
        requests.inc();
        try {
          runStatement(input, indexes, out);
        } catch (SQLException e) {
          closeConnection();
          boolean transientError = isTransient(e);
          throw new CortexSqlException(
              transientError ? FailureKind.RETRYABLE : FailureKind.PERMANENT,
              "Cortex SENTIMENT failed for a batch of " + indexes.size() + " texts after "
                  + attempt + " attempt(s) (" + (transientError ? "transient" : "permanent")
                  + "): " + describe(e), e, attempt);
        }
        return null;
      });
    } catch (CortexSqlException e) {
      failures.inc();
      millis.update(System.currentTimeMillis() - t0);
      throw e;
    }
    texts.inc(indexes.size());
    millis.update(System.currentTimeMillis() - t0);
  }

  private void runStatement(List<String> input, List<Integer> indexes, double[] out)
      throws SQLException {
    Connection c = connection();
    try (PreparedStatement ps = c.prepareStatement(sql(indexes.size()))) {
      ps.setQueryTimeout(statementTimeoutSeconds);
      int p = 1;
      for (int k = 0; k < indexes.size(); k++) {
        ps.setLong(p++, k);
        ps.setString(p++, input.get(indexes.get(k)));
      }
      boolean[] seen = new boolean[indexes.size()];
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          int k = (int) rs.getLong(1);
          double score = rs.getDouble(2);
          if (k < 0 || k >= seen.length) {
            throw new IllegalStateException("Cortex returned an unknown index " + k);
          }
          seen[k] = true;
          out[indexes.get(k)] = rs.wasNull() ? Double.NaN : score;
        }
      }
      for (int k = 0; k < seen.length; k++) {
        if (!seen[k]) {
          throw new IllegalStateException(
              "Cortex returned no score for text " + k + " of " + seen.length);
        }
      }
    }
  }

  /**
   * Connection failures ({@code 08xxx}), error 625 (too many statements waiting for a lock) and
   * Cortex throttling or unavailability (HTTP 429/503 surfaced in the message).
   */
  static boolean isTransient(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s) {
        String state = s.getSQLState();
        if ((state != null && state.startsWith("08")) || s.getErrorCode() == 625) {
          return true;
        }
      }
      String m = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
      if (m.contains("429") || m.contains("too many requests") || m.contains("rate limit")
          || m.contains("throttl") || m.contains("503") || m.contains("temporarily unavailable")
          || m.contains("service unavailable")) {
        return true;
      }
    }
    return false;
  }

  private static String describe(SQLException e) {
    return "SQLState " + e.getSQLState() + ", code " + e.getErrorCode() + ": " + e.getMessage();
  }

  private Connection connection() throws SQLException {
    if (connection == null) {
      connection = source.open();
    }
    return connection;
  }

  private void closeConnection() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException e) {
        LOG.debug("close failed", e);
      }
      connection = null;
    }
  }

  @Override
  public synchronized void close() {
    closeConnection();
  }
}
