package com.gongpipeline.snowflake;

import com.gongpipeline.enrich.CallSummarizer;
import com.gongpipeline.errors.FailureKind;
import com.gongpipeline.errors.RetryPolicy;
import com.gongpipeline.model.TranscriptTurn;
import com.gongpipeline.parse.JsonSupport;
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
import org.apache.beam.sdk.util.Sleeper;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Snowflake path's summary ({@value #METHOD}): ONE statement per call,
 *
 * <pre>{@code
 * SELECT AI_SUMMARIZE_AGG(v.$1) FROM VALUES (?), (?), ... AS v
 * }</pre>
 *
 * binding the call's PII-redacted turns as {@code [mm:ss] Speaker (Affiliation): text}, in call
 * order ({@code AI_SUMMARIZE_AGG} is an aggregate that handles inputs larger than the model's
 * context; the time stamps keep the order readable to it). A call longer than {@value
 * #MAX_CHARS_PER_STATEMENT} characters of turns is summarised from its first turns up to that
 * bound (Snowflake limits a statement, binds included, to 1 MB); the input hash covers exactly
 * what was sent.
 *
 * <p>Failures as in {@link CortexSqlSentimentScorer}: transient ones (connection, lock queue,
 * Cortex throttling) are retried by the one {@link RetryPolicy} on a fresh connection, anything
 * else is PERMANENT; both end in a {@link CortexSqlSentimentScorer.CortexSqlException} naming the
 * number of turns, never their text. Open in {@code @Setup}, close in {@code @Teardown}.
 */
public final class CortexSqlSummarizer implements CallSummarizer {
  private static final Logger LOG = LoggerFactory.getLogger(CortexSqlSummarizer.class);
  public static final String METHOD = "cortex-ai-summarize-agg";
  static final int MAX_CHARS_PER_STATEMENT = 500_000;
  static final int MAX_ATTEMPTS = 5;

  private final CortexSqlSentimentScorer.ConnectionSource source;
  private final RetryPolicy retryPolicy;
  private int statementTimeoutSeconds = SnowflakeStatementTimeout.DEFAULT_SECONDS;
  private @Nullable Connection connection;

  /** Summarises over Snowflake at {@code jdbcUrl}; connects on first use. */
  public CortexSqlSummarizer(String jdbcUrl, Properties properties) {
    this(connectionSource(jdbcUrl, properties), Sleeper.DEFAULT);
    this.statementTimeoutSeconds = SnowflakeStatementTimeout.seconds(jdbcUrl);
  }

  CortexSqlSummarizer(CortexSqlSentimentScorer.ConnectionSource source, Sleeper sleeper) {
    this.source = source;
    this.retryPolicy = RetryPolicy.builder()
        .withMaxAttempts(MAX_ATTEMPTS)
        .withInitialBackoff(Duration.ofMillis(500))
        .withMaxBackoff(Duration.ofSeconds(30))
        .withClassifier(error -> RetryPolicy.Failure.of(
            error instanceof CortexSqlSentimentScorer.CortexSqlException e ? e.kind()
                : FailureKind.PERMANENT))
        .withListener((what, attempt, failure, waitMillis, error) -> LOG.info(
            "Cortex AI_SUMMARIZE_AGG attempt {} failed transiently ({}); retrying in {} ms",
            attempt - 1, error.getMessage(), waitMillis))
        .withSleeper(sleeper)
        .build();
  }

  /**
   * A factory for the pipeline graph: only the URL travels; credentials come from the worker's
   * {@code SNOWFLAKE_*} environment.
   */
  public static CallSummarizer.Factory factory(String jdbcUrl) {
    if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:snowflake:")) {
      throw new IllegalArgumentException("Cortex summaries need a Snowflake warehouse"
          + " (--warehouse=jdbc:snowflake://<account>.snowflakecomputing.com/)");
    }
    return () -> new CortexSqlSummarizer(jdbcUrl, SnowflakeConnections.fromEnvironment());
  }

  private static CortexSqlSentimentScorer.ConnectionSource connectionSource(String jdbcUrl,
      Properties properties) {
    Properties copy = new Properties();
    copy.putAll(properties);
    copy.putIfAbsent("IMPLICIT_SERVER_SIDE_QUERY_TIMEOUT", "true");
    String driverUrl = SnowflakeStatementTimeout.without(jdbcUrl);
    return () -> DriverManager.getConnection(
        com.gongpipeline.security.WarehouseUrls.resolve(driverUrl), copy);
  }

  /** The statement for {@code n} turns. */
  static String sql(int n) {
    StringJoiner values = new StringJoiner(", ");
    for (int i = 0; i < n; i++) {
      values.add("(?)");
    }
    return "SELECT AI_SUMMARIZE_AGG(v.$1) FROM VALUES " + values + " AS v";
  }

  @Override
  public String method() {
    return METHOD;
  }

  @Override
  public Input input(List<TranscriptTurn> redactedTurns) {
    List<String> texts = new ArrayList<>();
    long chars = 0;
    for (TranscriptTurn t : redactedTurns) {
      String text = t.text().strip();
      if (text.isEmpty()) {
        continue;
      }
      long s = t.startMs() / 1000;
      String line = String.format(Locale.ROOT, "[%02d:%02d] %s (%s): %s", s / 60, s % 60,
          t.speakerName(), t.affiliation(), text);
      if (chars + line.length() > MAX_CHARS_PER_STATEMENT) {
        break;
      }
      texts.add(line);
      chars += line.length();
    }
    return new Input(List.copyOf(texts),
        JsonSupport.sha256(METHOD + "\n" + String.join("\n", texts)));
  }

  @Override
  public synchronized @Nullable String summarise(Input input) {
    if (input.isEmpty()) {
      return null;
    }
    return retryPolicy.call("Cortex AI_SUMMARIZE_AGG", attempt -> {
      try {
        return runStatement(input.texts());
      } catch (SQLException e) {
        closeConnection();
        boolean transientError = CortexSqlSentimentScorer.isTransient(e);
        throw new CortexSqlSentimentScorer.CortexSqlException(
            transientError ? FailureKind.RETRYABLE : FailureKind.PERMANENT,
            "Cortex AI_SUMMARIZE_AGG failed for a call of " + input.texts().size()
                + " turns after " + attempt + " attempt(s) ("
                + (transientError ? "transient" : "permanent") + "): SQLState "
                + e.getSQLState() + ", code " + e.getErrorCode() + ": " + e.getMessage(),
            e, attempt);
      }
    });
  }

  private @Nullable String runStatement(List<String> texts) throws SQLException {
    if (connection == null) {
      connection = source.open();
    }
    try (PreparedStatement ps = connection.prepareStatement(sql(texts.size()))) {
      ps.setQueryTimeout(statementTimeoutSeconds);
      for (int i = 0; i < texts.size(); i++) {
        ps.setString(i + 1, texts.get(i));
      }
      try (ResultSet rs = ps.executeQuery()) {
        String summary = rs.next() ? rs.getString(1) : null;
        return summary == null || summary.isBlank() ? null : summary.strip();
      }
    }
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
