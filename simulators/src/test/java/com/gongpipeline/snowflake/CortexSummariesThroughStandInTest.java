package com.gongpipeline.snowflake;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import com.gongpipeline.enrich.CallSummarizer;
import com.gongpipeline.snowflake.sim.SnowflakeStandIn;
import com.gongpipeline.snowflake.sim.StandInConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code --summaries=cortex}: {@link CortexSqlSummarizer}'s statement ({@code SELECT
 * AI_SUMMARIZE_AGG(v.$1) FROM VALUES (?), … AS v}) through the real snowflake-jdbc driver into the
 * Snowflake stand-in, whose AI_SUMMARIZE_AGG is a stand-in (the inputs joined, cut at 600
 * characters): the generated SQL and its binding run end to end; a real summary needs an account.
 */
class CortexSummariesThroughStandInTest {
  private static final String PAT = "pat-summaries-0123456789abcdef";

  @Test
  void theSummaryStatementRunsOverJdbc() throws Exception {
    try (SnowflakeStandIn standIn = SnowflakeStandIn.start(
        StandInConfig.builder().token(PAT).build());
        CortexSqlSummarizer summarizer = new CortexSqlSummarizer(standIn.jdbcUrl(),
            SnowflakeConnections.fromEnvironment(
                Map.of("SNOWFLAKE_USER", "TEST_USER", "SNOWFLAKE_PAT", PAT)))) {
      String summary = summarizer.summarise(new CallSummarizer.Input(List.of(
          "[00:01] Rita (Internal): Thanks for joining.",
          "[00:05] Lee (External): The price is more than we budgeted."), "h"));
      assertThat(summary, is("[00:01] Rita (Internal): Thanks for joining. "
          + "[00:05] Lee (External): The price is more than we budgeted."));
      assertThat(summarizer.summarise(new CallSummarizer.Input(List.of("x".repeat(700)), "h2"))
          .length(), is(600));
      assertThat(standIn.statements().stream().filter(s -> s.sql().contains("AI_SUMMARIZE_AGG("))
          .count(), is(2L));
    }
  }
}
