package com.gongpipeline.warehouse;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import com.gongpipeline.snowflake.SnowflakeConnections;
import com.gongpipeline.snowflake.sim.SnowflakeStandIn;
import com.gongpipeline.snowflake.sim.StandInConfig;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Snowflake account reports (sql/snowflake/reports: account_insights, stalled_deals,
 * pre_meeting_brief) through the real snowflake-jdbc driver into {@link SnowflakeStandIn}, over
 * {@link AccountReportsFixture} loaded by {@link SnowflakeWarehouse}'s own MERGE: they give the
 * fixture's known answers, and the same rows as the DuckDB files on the same data.
 */
class AccountReportsOnStandInTest {
  private static final String PAT = "pat-account-reports-0123456789";
  private static SnowflakeStandIn standIn;
  private static SnowflakeWarehouse snow;
  private static DuckDbWarehouse duck;

  @BeforeAll
  static void load() throws Exception {
    standIn = SnowflakeStandIn.start(StandInConfig.builder().token(PAT).build());
    snow = new SnowflakeWarehouse(standIn.jdbcUrl(), SnowflakeConnections.fromEnvironment(
        Map.of("SNOWFLAKE_USER", "TEST_USER", "SNOWFLAKE_PAT", PAT)));
    snow.applySchema();
    AccountReportsFixture.load(snow);
    duck = TestRows.openWithSchema();
    AccountReportsFixture.load(duck);
  }

  @AfterAll
  static void stop() {
    snow.close();
    duck.close();
    standIn.close();
  }

  /** Runs the report in both dialects, checks Snowflake's answer and that DuckDB's is the same. */
  private static void both(String report, Map<String, String> params,
      Consumer<List<Map<String, Object>>> check) {
    List<Map<String, Object>> s = normalise(snow.query(ReportSql.render("snowflake", report,
        params)));
    List<Map<String, Object>> d = normalise(duck.query(ReportSql.render("duckdb", report,
        params)));
    check.accept(s);
    assertThat(report, s, is(d));
  }

  /** Lower-case labels (Snowflake upper-cases unquoted ones), numbers and times as text. */
  static List<Map<String, Object>> normalise(List<Map<String, Object>> rows) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Map<String, Object> r : rows) {
      Map<String, Object> n = new LinkedHashMap<>();
      r.forEach((k, v) -> n.put(k.toLowerCase(Locale.ROOT), value(v)));
      out.add(n);
    }
    return out;
  }

  private static Object value(Object v) {
    if (v instanceof Number x && !(v instanceof Double)) {
      return new BigDecimal(x.toString()).doubleValue();
    }
    if (v instanceof Timestamp t) {
      return t.toLocalDateTime().toString();
    }
    if (v instanceof java.sql.Date d) {
      return d.toLocalDate().toString();
    }
    if (v instanceof LocalDateTime || v instanceof LocalDate || v instanceof java.time.Instant) {
      return v.toString();
    }
    return v;
  }

  @Test
  void preMeetingBrief() {
    both("pre_meeting_brief", AccountReportsFixture.params("ACME", 90),
        AccountReportsFixture::checkBrief);
  }

  /** Olympus's call was classified: its risks come from RISK_INDICATORS via the sql 150 view. */
  @Test
  void preMeetingBriefFromClassifiedRisks() {
    both("pre_meeting_brief", AccountReportsFixture.params("Olympus", 90),
        AccountReportsFixture::checkBriefOlympus);
  }

  @Test
  void stalledDeals() {
    Map<String, String> p = AccountReportsFixture.params(null, 0);
    p.put("stalled_days", ReportSql.integer(30));
    both("stalled_deals", p, AccountReportsFixture::checkStalled30);
    p.put("stalled_days", ReportSql.integer(5));
    both("stalled_deals", p, AccountReportsFixture::checkStalled5);
  }

  @Test
  void accountInsights() {
    both("account_insights", AccountReportsFixture.params("", 180),
        AccountReportsFixture::checkInsights);
  }
}
