package com.gongpipeline.warehouse;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A smoke test of the Snowflake report queries' logic (sql/snowflake/reports/): each is run on
 * DuckDB after a handful of exact, report-specific rewrites of Snowflake-only functions, over one
 * hand-made call whose answers are known. It proves the joins, columns and arithmetic; it does not
 * prove Snowflake accepts the original text (that needs an account).
 */
class SnowflakeReportsSmokeTest {
  private static final Instant STARTED = Instant.now().minus(1, ChronoUnit.DAYS)
      .truncatedTo(ChronoUnit.SECONDS);
  private DuckDbWarehouse wh;

  @BeforeEach
  void oneCall() {
    wh = new DuckDbWarehouse(TestRows.memoryUrl());
    wh.applySchema();
    wh.merge(WarehouseTable.STG_CALLS, List.of(WarehouseRow.of(WarehouseTable.STG_CALLS)
        .set("CALL_ID", "c1").set("CALL_TITLE", "Renewal").set("CALL_SCOPE", "External")
        .set("CALL_DATETIME_UTC", STARTED).set("ACCOUNT_NAME", "Acme").set("PRIMARY_USER_ID", "u1")
        .set("SENTIMENT_SCORE", -0.2).set("JOB_ID", "j").set("LOADED_AT", STARTED).build()));
    wh.merge(WarehouseTable.STG_PARTICIPANTS, List.of(
        party("p1", "s1", "u1", "Internal"), party("p2", "s2", null, "External")));
    wh.merge(WarehouseTable.STG_USERS, List.of(WarehouseRow.of(WarehouseTable.STG_USERS)
        .set("USER_ID", "u1").set("FIRST_NAME", "Rita").set("LAST_NAME", "Rep")
        .set("JOB_ID", "j").set("LOADED_AT", STARTED).build()));
    wh.merge(WarehouseTable.STG_TOPICS, List.of(TestRows.topic("c1", "Pricing", 30, "j")));
    wh.merge(WarehouseTable.STG_TRANSCRIPTS, List.of(
        turn(0, "s1", "Internal", 0, 20_000, "Hello, thanks for joining", 0.5),
        turn(1, "s2", "External", 20_000, 30_000, "Great to be here", 0.6),
        turn(2, "s1", "Internal", 30_000, 60_000, "Let me walk through the plan", 0.2),
        turn(3, "s2", "External", 60_000, 90_000, "The price is too expensive and I am worried",
            -0.6),
        turn(4, "s2", "External", 95_000, 100_000, "This will not work for us", -0.8)));
  }

  @AfterEach
  void close() {
    wh.close();
  }

  @Test
  void talkRatioByRep() {
    List<Map<String, Object>> rows = run("coaching_talk_ratio_by_rep");
    assertThat(rows.size(), is(1));
    assertThat(rows.get(0).get("rep"), is("Rita Rep"));
    assertThat(number(rows.get(0).get("avg_talk_ratio")), is(0.53)); // 50 s of 95 s
  }

  @Test
  void objectionsAndPricing() {
    List<Map<String, Object>> rows = run("coaching_objections_and_pricing");
    assertThat(rows.size(), is(1));
    assertThat(rows.get(0).get("ACCOUNT_NAME"), is("Acme"));
    assertThat(number(rows.get(0).get("pricing_mentions")), is(1.0));
    assertThat(number(rows.get(0).get("objection_mentions")), is(1.0));
    assertThat(number(rows.get(0).get("calls_with_pricing_topic")), is(1.0));
    assertThat(rows.get(0).get("sharpest_objection"),
        is("The price is too expensive and I am worried"));
  }

  @Test
  void negativeLateSentiment() {
    List<Map<String, Object>> rows = run("coaching_negative_late_sentiment");
    assertThat(rows.size(), is(1));
    assertThat(rows.get(0).get("CALL_ID"), is("c1"));
    assertThat(number(rows.get(0).get("early_sentiment")), is(-0.3));
    assertThat(number(rows.get(0).get("late_sentiment")), is(-0.8));
  }

  @Test
  void sentimentByAccount() {
    List<Map<String, Object>> rows = run("sentiment_by_account");
    assertThat(rows.size(), is(1));
    assertThat(rows.get(0).get("account"), is("Acme"));
    assertThat(number(rows.get(0).get("avg_call_sentiment")), is(-0.2));
  }

  private List<Map<String, Object>> run(String report) {
    String sql = DdlTables.resource("sql/snowflake/reports/" + report + ".sql")
        .replace("IFF(", "if(")
        .replace("COUNT_IF(", "count_if(")
        .replace("REGEXP_LIKE(", "regexp_full_match(")
        .replace("DATEADD(day, -90, CURRENT_TIMESTAMP()::TIMESTAMP_NTZ)",
            "(CAST(current_timestamp AS TIMESTAMP) - INTERVAL 90 DAY)")
        .strip();
    if (sql.endsWith(";")) {
      sql = sql.substring(0, sql.length() - 1);
    }
    return wh.query(sql);
  }

  private static double number(Object v) {
    return v instanceof BigDecimal d ? d.doubleValue() : ((Number) v).doubleValue();
  }

  private static WarehouseRow party(String id, String speaker, String user, String affiliation) {
    return WarehouseRow.of(WarehouseTable.STG_PARTICIPANTS).set("CALL_ID", "c1")
        .set("PARTICIPANT_ID", id).set("SPEAKER_ID", speaker).set("USER_ID", user)
        .set("PARTICIPANT_NAME", id).set("AFFILIATION", affiliation).set("JOB_ID", "j")
        .set("LOADED_AT", STARTED).build();
  }

  private static WarehouseRow turn(int i, String speaker, String affiliation, long start, long end,
      String text, double sentiment) {
    return WarehouseRow.of(WarehouseTable.STG_TRANSCRIPTS).set("TRANSCRIPT_ID", "c1:" + i)
        .set("CALL_ID", "c1").set("TURN_INDEX", i).set("SPEAKER_ID", speaker)
        .set("AFFILIATION", affiliation).set("START_MS", start).set("END_MS", end)
        .set("TRANSCRIPT_TEXT", text).set("SEGMENT_SENTIMENT", sentiment)
        .set("JOB_ID", "j").set("LOADED_AT", STARTED).build();
  }
}
