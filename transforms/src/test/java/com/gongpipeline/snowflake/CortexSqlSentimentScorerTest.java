package com.gongpipeline.snowflake;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;


import com.gongpipeline.enrich.SentimentScorerFactory;
import com.gongpipeline.errors.FailureKind;
import com.gongpipeline.golden.GoldenSql;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.runners.core.metrics.MetricsContainerImpl;
import org.apache.beam.sdk.metrics.MetricName;
import org.apache.beam.sdk.metrics.MetricsEnvironment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CortexSqlSentimentScorerTest {
  private static final String PRIVATE_TEXT = "my card is 4111 1111 1111 1111";

  /** A fake Cortex: score = (number of '!' minus number of '?') / 10, rows in reverse order. */
  private final List<String> statements = new ArrayList<>();
  private final List<Long> sleeps = new ArrayList<>();
  private final List<SQLException> failures = new ArrayList<>();
  private int connections;
  private MetricsContainerImpl metrics;
  private AutoCloseable metricsScope;

  @BeforeEach
  void metrics() {
    metrics = new MetricsContainerImpl("enrich");
    metricsScope = MetricsEnvironment.scopedMetricsContainer(metrics);
  }

  @AfterEach
  void closeMetrics() throws Exception {
    metricsScope.close();
  }

  @Test
  void theStatementMatchesItsGoldenFile() {
    new GoldenSql("snowflake").check("cortex_sentiment_3",
        GoldenSql.render(CortexSqlSentimentScorer.sql(3), List.of()));
  }

  @Test
  void oneStatementPerBatchWithScoresMappedBackByIndexAndBlanksNeverSent() {
    CortexSqlSentimentScorer scorer = scorer();
    double[] s = scorer.score(List.of("great!!", " ", "hmm?", "fine", ""));
    assertThat(s[0], is(0.2));
    assertThat(s[1], is(Double.NaN)); // blank: nothing to score, stored as NULL
    assertThat(s[2], is(-0.1));
    assertThat(s[3], is(0.0));
    assertThat(s[4], is(Double.NaN));
    assertThat(statements, is(List.of(CortexSqlSentimentScorer.sql(3))));
    assertThat(scorer.modelName(), is("snowflake-cortex-sentiment"));
    assertThat(counter("sentiment_requests"), is(1L));
    assertThat(counter("sentiment_texts"), is(3L));
    assertThat(counter("sentiment_ms_count"), is(1L));
  }

  @Test
  void largeInputsAreSplitIntoBoundedStatements() {
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 450; i++) {
      texts.add("text " + i + "!");
    }
    double[] s = scorer().score(texts);
    assertThat(s.length, is(450));
    assertThat(s[449], is(0.1));
    assertThat(statements.size(), is(3));
    assertThat(counter("sentiment_texts"), is(450L));
  }

  @Test
  void transientErrorsAreRetriedWithBackoffOnAFreshConnection() {
    failures.add(new SQLTransientConnectionException("connection reset", "08006"));
    failures.add(new SQLException("Request failed: 429 Too Many Requests", "XX000", 100_357));
    double[] s = scorer().score(List.of("ok!"));
    assertThat(s[0], is(0.1));
    assertThat(sleeps.size(), is(2));
    // RetryPolicy's FluentBackoff: 500 ms, then ×1.5, each with ±50 % jitter (at most 1125 ms)
    assertThat(sleeps.get(1), lessThanOrEqualTo(1_125L));
    assertThat(connections, is(3));
    assertThat(counter("sentiment_retries"), is(2L));
    assertThat(counter("sentiment_failures"), is(0L));
  }

  @Test
  void permanentErrorsSurfaceAtOnceWithoutTheTexts() {
    failures.add(new SQLException("SQL compilation error: Unknown function SENTIMENT", "42601", 2141));
    CortexSqlSentimentScorer.CortexSqlException e = assertThrows(
        CortexSqlSentimentScorer.CortexSqlException.class,
        () -> scorer().score(List.of(PRIVATE_TEXT)));
    assertThat(e.getMessage(), containsString("batch of 1 texts after 1 attempt(s) (permanent)"));
    assertThat(e.kind(), is(FailureKind.PERMANENT));
    assertThat(e.getMessage(), not(containsString("4111")));
    assertThat(sleeps.size(), is(0));
    assertThat(counter("sentiment_failures"), is(1L));
  }

  @Test
  void transientErrorsOnEveryAttemptEndInAnException() {
    for (int i = 0; i < CortexSqlSentimentScorer.MAX_ATTEMPTS; i++) {
      failures.add(new SQLTransientConnectionException("reset", "08006"));
    }
    CortexSqlSentimentScorer.CortexSqlException e = assertThrows(
        CortexSqlSentimentScorer.CortexSqlException.class, () -> scorer().score(List.of("x")));
    assertThat(e.kind(), is(FailureKind.RETRYABLE));
    assertThat(e.attempts(), is(CortexSqlSentimentScorer.MAX_ATTEMPTS));
    assertThat(sleeps.size(), is(CortexSqlSentimentScorer.MAX_ATTEMPTS - 1));
  }

  @Test
  void theFactoryNeedsASnowflakeUrlAndSerializesWithoutSecrets() throws Exception {
    assertThrows(IllegalArgumentException.class,
        () -> CortexSqlSentimentScorer.factory("jdbc:duckdb:./gong.duckdb"));
    SentimentScorerFactory f =
        CortexSqlSentimentScorer.factory("jdbc:snowflake://acct.snowflakecomputing.com/");
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
      out.writeObject(f); // only the URL is captured: no Properties, no secret
    }
    String graph = bytes.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
    assertThat(graph, containsString("jdbc:snowflake://acct.snowflakecomputing.com/"));
    assertThat(graph.contains("java.util.Properties"), is(false));
  }

  private long counter(String name) {
    return metrics.getCounter(MetricName.named("cortex", name)).getCumulative();
  }

  private CortexSqlSentimentScorer scorer() {
    return new CortexSqlSentimentScorer(this::connection, sleeps::add);
  }

  private Connection connection() {
    connections++;
    return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {Connection.class}, (p, m, a) -> switch (m.getName()) {
          case "prepareStatement" -> statement((String) a[0]);
          case "close" -> null;
          default -> throw new UnsupportedOperationException(m.getName());
        });
  }

  private PreparedStatement statement(String sql) {
    Map<Integer, Object> binds = new TreeMap<>();
    return (PreparedStatement) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {PreparedStatement.class}, (p, m, a) -> switch (m.getName()) {
          case "setLong", "setString" -> {
            binds.put((Integer) a[0], a[1]);
            yield null;
          }
          case "executeQuery" -> {
            if (!failures.isEmpty()) {
              throw failures.remove(0);
            }
            statements.add(sql);
            List<double[]> rows = new ArrayList<>();
            for (int i = binds.size() - 1; i > 0; i -= 2) {
              String text = (String) binds.get(i + 1);
              double score = (text.chars().filter(ch -> ch == '!').count()
                  - text.chars().filter(ch -> ch == '?').count()) / 10.0;
              rows.add(new double[] {(Long) binds.get(i), score});
            }
            yield results(rows);
          }
          case "setQueryTimeout" -> null; // every SENTIMENT statement has one
          case "close" -> null;
          default -> throw new UnsupportedOperationException(m.getName());
        });
  }

  private ResultSet results(List<double[]> rows) {
    int[] at = {-1};
    return (ResultSet) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {ResultSet.class}, (p, m, a) -> switch (m.getName()) {
          case "next" -> ++at[0] < rows.size();
          case "getLong" -> (long) rows.get(at[0])[0];
          case "getDouble" -> rows.get(at[0])[1];
          case "wasNull" -> false;
          case "close" -> null;
          default -> throw new UnsupportedOperationException(m.getName());
        });
  }
}
