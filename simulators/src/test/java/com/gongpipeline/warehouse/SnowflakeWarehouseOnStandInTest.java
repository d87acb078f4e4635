package com.gongpipeline.warehouse;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

import com.gongpipeline.enrich.VaderSentimentScorer;
import com.gongpipeline.snowflake.CortexSqlSentimentScorer;
import com.gongpipeline.snowflake.SnowflakeConnections;
import com.gongpipeline.snowflake.sim.RecordedStatement;
import com.gongpipeline.snowflake.sim.SnowflakeStandIn;
import com.gongpipeline.snowflake.sim.StandInConfig;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link SnowflakeWarehouse} and {@link CortexSqlSentimentScorer} through the real snowflake-jdbc
 * driver, over HTTP, into the local {@link SnowflakeStandIn} (which runs the statements on DuckDB):
 * the same logical scenario the DuckDB warehouse passes, on the Snowflake dialect's own SQL.
 */
class SnowflakeWarehouseOnStandInTest {
  private static final String PAT = "pat-standin-scenario-0123456789";
  private SnowflakeStandIn standIn;

  @BeforeEach
  void start() throws Exception {
    standIn = SnowflakeStandIn.start(StandInConfig.builder().token(PAT).build());
  }

  @AfterEach
  void stop() {
    standIn.close();
  }

  /** Connection properties exactly as the pipeline builds them from its environment. */
  private static Properties props() {
    return SnowflakeConnections.fromEnvironment(
        Map.of("SNOWFLAKE_USER", "TEST_USER", "SNOWFLAKE_PAT", PAT));
  }

  @Test
  void theSharedWarehouseScenarioPassesOnTheStandIn() {
    try (SnowflakeWarehouse wh = new SnowflakeWarehouse(standIn.jdbcUrl(), props())) {
      new WarehouseScenario(wh, "standin", 768, "e5-base-v2").runAll();
    }
    assertThat(standIn.stats().unknownPaths(), empty());
    List<String> sql = standIn.statements().stream().map(RecordedStatement::sql).toList();
    assertThat(sql.stream().filter(s -> s.startsWith("MERGE")).count(), greaterThan(5L));
    assertThat(sql, hasItem(startsWith("CREATE TEMPORARY TABLE")));
  }

  @Test
  void cortexSqlSentimentMatchesTheStandInsScorer() {
    List<String> texts = List.of("We love it, great value!", "This is a terrible, broken mess.",
        "", "Neutral words about a meeting on Tuesday.");
    double[] expected = new VaderSentimentScorer().score(texts);
    try (CortexSqlSentimentScorer s = new CortexSqlSentimentScorer(standIn.jdbcUrl(), props())) {
      double[] got = s.score(texts);
      // "" has nothing to read: both score it NaN (stored as NULL), never 0.
      assertThat(Double.isNaN(expected[2]) && Double.isNaN(got[2]), org.hamcrest.Matchers.is(true));
      for (int i = 0; i < texts.size(); i++) {
        if (i != 2) {
          assertThat(got[i], closeTo(expected[i], 1e-9));
        }
      }
    }
  }
}
