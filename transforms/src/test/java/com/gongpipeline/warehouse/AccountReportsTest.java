package com.gongpipeline.warehouse;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The account reports of issue 12 section 4 (sql/duckdb/reports: account_insights,
 * stalled_deals, pre_meeting_brief) on DuckDB over {@link AccountReportsFixture}, with their
 * parameters written in by {@link ReportSql}. The Snowflake files answer the same through the
 * stand-in (simulators: AccountReportsOnStandInTest).
 */
class AccountReportsTest {
  private DuckDbWarehouse wh;

  @BeforeEach
  void load() {
    wh = TestRows.openWithSchema();
    AccountReportsFixture.load(wh);
  }

  @AfterEach
  void close() {
    wh.close();
  }

  private List<Map<String, Object>> run(String report, Map<String, String> params) {
    return wh.query(ReportSql.render("duckdb", report, params));
  }

  @Test
  void preMeetingBrief_matchesTheAccountCaseInsensitively_andCitesCustomerRisks() {
    AccountReportsFixture.checkBrief(run("pre_meeting_brief",
        AccountReportsFixture.params("ACME", 90)));
  }

  @Test
  void preMeetingBrief_classifiedRisksWithoutTrackers_citeTheClassifiersTurns() {
    AccountReportsFixture.checkBriefOlympus(run("pre_meeting_brief",
        AccountReportsFixture.params("olympus", 90)));
  }

  @Test
  void riskSignalsView_classifierWhereItRan_trackersOnlyForUnclassifiedCalls() {
    List<Map<String, Object>> rows = wh.query("SELECT CALL_ID || ' ' || CATEGORY || ' ' || SOURCE"
        + " || ' ' || METHOD || ' ' || COALESCE(CAST(TURN_START_MS AS VARCHAR), '-') AS s"
        + " FROM STG_TRANSFORMED.CALL_RISK_SIGNALS ORDER BY s");
    assertThat(rows.stream().map(r -> r.get("s")).toList(), contains(
        "a2 objection sentiment segment-sentiment 125000",
        "a2 pricing trackers gong-trackers 60000",
        "a2 pricing trackers gong-trackers 60000",
        "g1 security_legal trackers gong-trackers 5000",
        "i1 objection sentiment segment-sentiment 0",
        "o1 security_legal risk_indicators " + AccountReportsFixture.METHOD + " 10000",
        "o1 timeline risk_indicators " + AccountReportsFixture.METHOD + " 30000"));
  }

  @Test
  void preMeetingBrief_unknownAccountOrEmptyWindow_isEmpty() {
    assertThat(run("pre_meeting_brief", AccountReportsFixture.params("Umbrella", 90)), empty());
    // Initech's only call is 100 days old
    assertThat(run("pre_meeting_brief", AccountReportsFixture.params("initech", 90)), empty());
    assertThat(run("pre_meeting_brief", AccountReportsFixture.params("initech", 120)),
        not(empty()));
  }

  @Test
  void stalledDeals_noCallForNDays_asOfADate_withTheLastCallsRisksAndNextSteps() {
    Map<String, String> p = AccountReportsFixture.params(null, 0);
    p.put("stalled_days", ReportSql.integer(30));
    AccountReportsFixture.checkStalled30(run("stalled_deals", p));
    p.put("stalled_days", ReportSql.integer(5));
    AccountReportsFixture.checkStalled5(run("stalled_deals", p));
  }

  @Test
  void accountInsights_topicsRisksNextStepsAndSentimentTrend() {
    AccountReportsFixture.checkInsights(run("account_insights",
        AccountReportsFixture.params(null, 180)));
    List<Map<String, Object>> globex = run("account_insights",
        AccountReportsFixture.params("globex", 180));
    assertThat(globex.stream().allMatch(r -> "Globex".equals(r.get("account"))), is(true));
    assertThat(globex.isEmpty(), is(false));
  }

  @Test
  void render_writesLiteralsAndRefusesBackslashes() {
    String sql = ReportSql.render("snowflake", "pre_meeting_brief",
        AccountReportsFixture.params("O'Brien & Co", 30));
    assertThat(sql, containsString("LOWER(('O''Brien & Co'))"));
    assertThat(sql, not(containsString("$")));
    assertThat(sql, not(containsString("SET ")));
    assertThat(ReportSql.render("duckdb", "pre_meeting_brief", Map.of()),
        containsString("getvariable('account')"));
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> ReportSql.text("a\\b"));
  }
}
