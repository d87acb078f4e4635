package com.gongpipeline.snowflake;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.gongpipeline.errors.FailureKind;
import com.gongpipeline.golden.GoldenSql;
import com.gongpipeline.model.Sentence;
import com.gongpipeline.model.TranscriptTurn;
import com.gongpipeline.enrich.CallSummarizer;
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
import org.junit.jupiter.api.Test;

/** The Snowflake path's summary: one AI_SUMMARIZE_AGG statement per call over its redacted turns. */
class CortexSqlSummarizerTest {
  private final List<String> statements = new ArrayList<>();
  private final Map<Integer, String> binds = new TreeMap<>();
  private final List<SQLException> failures = new ArrayList<>();
  private final List<Long> sleeps = new ArrayList<>();

  private CortexSqlSummarizer summarizer() {
    return new CortexSqlSummarizer(this::connection, sleeps::add);
  }

  private Connection connection() {
    return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {Connection.class}, (p, m, a) -> switch (m.getName()) {
          case "prepareStatement" -> statement((String) a[0]);
          default -> null;
        });
  }

  private PreparedStatement statement(String sql) {
    statements.add(sql);
    return (PreparedStatement) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {PreparedStatement.class}, (p, m, a) -> switch (m.getName()) {
          case "setString" -> {
            binds.put((Integer) a[0], (String) a[1]);
            yield null;
          }
          case "executeQuery" -> {
            if (!failures.isEmpty()) {
              throw failures.remove(0);
            }
            yield result("The buyer asked about pricing; the seller will send a proposal.");
          }
          default -> null;
        });
  }

  private ResultSet result(String summary) {
    boolean[] read = {false};
    return (ResultSet) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {ResultSet.class}, (p, m, a) -> switch (m.getName()) {
          case "next" -> {
            boolean first = !read[0];
            read[0] = true;
            yield first;
          }
          case "getString" -> summary;
          default -> null;
        });
  }

  private static List<TranscriptTurn> turns() {
    return List.of(
        new TranscriptTurn("c", 0, "s1", "Dana", "Internal", null,
            List.of(new Sentence(0, 2000, "Thanks for joining."))),
        new TranscriptTurn("c", 1, "s2", "Lee", "External", null, List.of()),
        new TranscriptTurn("c", 2, "s2", "Lee", "External", null,
            List.of(new Sentence(65_000, 70_000, "The price is too high, my card is [CARD]."))));
  }

  @Test
  void theStatementMatchesItsGoldenFile() {
    new GoldenSql("snowflake").check("cortex_summarize_agg_3",
        GoldenSql.render(CortexSqlSummarizer.sql(3), List.of()));
  }

  @Test
  void oneStatementPerCall_bindingTimedSpeakerLines_inCallOrder() {
    CortexSqlSummarizer s = summarizer();
    CallSummarizer.Input in = s.input(turns());
    assertThat(in.texts(), is(List.of("[00:00] Dana (Internal): Thanks for joining.",
        "[01:05] Lee (External): The price is too high, my card is [CARD].")));
    assertThat(s.summarise(in),
        is("The buyer asked about pricing; the seller will send a proposal."));
    assertThat(statements, is(List.of(CortexSqlSummarizer.sql(2))));
    assertThat(binds.get(2), is(in.texts().get(1)));
    assertThat(s.method(), is("cortex-ai-summarize-agg"));
    assertThat(s.input(turns()).hash(), is(in.hash()));
  }

  @Test
  void transientFailuresAreRetried_permanentOnesSurfaceWithoutTheText() {
    failures.add(new SQLTransientConnectionException("connection reset", "08006"));
    CortexSqlSummarizer s = summarizer();
    assertThat(s.summarise(s.input(turns())),
        containsString("pricing"));
    assertThat(sleeps.size(), is(1));

    failures.add(new SQLException("SQL compilation error: Unknown function AI_SUMMARIZE_AGG",
        "42601", 2141));
    CortexSqlSentimentScorer.CortexSqlException e = assertThrows(
        CortexSqlSentimentScorer.CortexSqlException.class,
        () -> s.summarise(s.input(turns())));
    assertThat(e.kind(), is(FailureKind.PERMANENT));
    assertThat(e.getMessage(), containsString("a call of 2 turns after 1 attempt(s) (permanent)"));
    assertThat(e.getMessage(), not(containsString("price is too high")));
  }
}
