package com.gongpipeline.warehouse;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.gongpipeline.snowflake.SnowflakeConnections;
import com.gongpipeline.snowflake.sim.SnowflakeStandIn;
import com.gongpipeline.snowflake.sim.StandInConfig;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 11 item 8: every Snowflake statement carries a query timeout, which the driver sends as
 * {@code STATEMENT_TIMEOUT_IN_SECONDS} and Snowflake (here the stand-in) enforces with 000630.
 */
class SnowflakeStatementTimeoutTest {
  private static final String PAT = "pat-standin-timeout-0123456789";
  private SnowflakeStandIn standIn;

  @BeforeEach
  void start() throws Exception {
    standIn = SnowflakeStandIn.start(StandInConfig.builder().token(PAT).build());
  }

  @AfterEach
  void stop() {
    standIn.close();
  }

  private static Properties props() {
    return SnowflakeConnections.fromEnvironment(
        Map.of("SNOWFLAKE_USER", "TEST_USER", "SNOWFLAKE_PAT", PAT));
  }

  @Test
  void theUrlParameterRoundTripsAndNeverReachesTheDriver() {
    String url = "jdbc:snowflake://a.snowflakecomputing.com/?db=G&warehouse=W";
    String timed = SnowflakeWarehouse.withStatementTimeout(url, 42);
    assertThat(timed, equalTo(url + "&gongStatementTimeout=42"));
    assertThat(SnowflakeWarehouse.statementTimeoutSeconds(timed), equalTo(42));
    assertThat(SnowflakeWarehouse.withoutStatementTimeout(timed), equalTo(url));
    assertThat(SnowflakeWarehouse.withStatementTimeout(timed, 7),
        equalTo(url + "&gongStatementTimeout=7"));
    assertThat(SnowflakeWarehouse.statementTimeoutSeconds(url),
        equalTo(SnowflakeWarehouse.DEFAULT_STATEMENT_TIMEOUT_SECONDS));
    assertThat(SnowflakeWarehouse.withoutStatementTimeout(
        "jdbc:snowflake://a/?gongStatementTimeout=5&db=G"), equalTo("jdbc:snowflake://a/?db=G"));
  }

  @Test
  void everyWarehouseStatementCarriesTheTimeout() {
    String url = SnowflakeWarehouse.withStatementTimeout(standIn.jdbcUrl(), 17);
    try (SnowflakeWarehouse wh = new SnowflakeWarehouse(url, props())) {
      wh.tableCounts();
    }
    assertThat(standIn.statementTimeouts().isEmpty(), equalTo(false));
    assertThat(standIn.statementTimeouts(), everyItem(equalTo(17)));
  }

  @Test
  void aStatementOverItsTimeoutIsCancelledWith000630() throws Exception {
    String url = SnowflakeWarehouse.withStatementTimeout(standIn.jdbcUrl(), 2);
    SnowflakeWarehouse.ConnectionSource source = SnowflakeWarehouse.withQueryTimeout(
        () -> {
          Properties p = props();
          p.put("IMPLICIT_SERVER_SIDE_QUERY_TIMEOUT", "true");
          return java.sql.DriverManager.getConnection(
              SnowflakeWarehouse.withoutStatementTimeout(url), p);
        }, SnowflakeWarehouse.statementTimeoutSeconds(url));
    try (Connection c = source.open(); Statement st = c.createStatement()) {
      assertThat(st.getQueryTimeout(), equalTo(2));
      standIn.faults().slowStatement(Duration.ofHours(1));
      SQLException e = assertThrows(SQLException.class, () -> st.executeQuery("SELECT 1"));
      assertThat(e.getErrorCode(), equalTo(630));
      assertThat(standIn.statementTimeouts(), hasItem(2));
      assertThat(standIn.statementTimeouts(), not(hasItem(0)));
    }
  }
}
