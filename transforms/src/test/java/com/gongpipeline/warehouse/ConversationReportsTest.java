package com.gongpipeline.warehouse;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
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
 * The issue 12 reports over Gong's analysis columns (sql/duckdb/reports and, after the smoke
 * test's rewrite of DATEADD, sql/snowflake/reports) on DuckDB, over three hand-made calls whose
 * answers are known: a recent and an older Acme call, and a deleted Globex call that never counts.
 */
class ConversationReportsTest {
  private static final Instant RECENT = Instant.now().minus(2, ChronoUnit.DAYS)
      .truncatedTo(ChronoUnit.SECONDS);
  private static final Instant OLDER = RECENT.minus(10, ChronoUnit.DAYS);
  private DuckDbWarehouse wh;

  @BeforeEach
  void calls() {
    wh = new DuckDbWarehouse(TestRows.memoryUrl());
    wh.applySchema();
    wh.merge(WarehouseTable.STG_CALLS, List.of(
        call("c1", RECENT, "Acme", 0.7, 120.0, 5, 2,
            "[{\"text\":\"I'll send the proposal by Friday.\",\"speaker_id\":\"s1\","
                + "\"speaker_name\":\"Rita Rep\",\"start_ms\":754000,\"end_ms\":757000},"
                + "{\"text\":\"We'll loop in legal.\",\"speaker_id\":\"s2\","
                + "\"speaker_name\":\"Lee O'Brien\",\"start_ms\":61000,\"end_ms\":62000}]", false),
        call("c2", OLDER, "Acme", 0.5, 60.0, 3, 4, "[]", false),
        call("c3", RECENT, "Globex", 0.9, 600.0, 1, 0,
            "[{\"text\":\"gone\",\"speaker_name\":\"x\",\"start_ms\":1}]", true)));
    wh.merge(WarehouseTable.STG_TRACKERS, List.of(
        tracker("c1", "Competitors", 3, "[{\"phrase\":\"Quillstack\",\"count\":2},"
            + "{\"phrase\":\"Vantora\",\"count\":1}]"),
        tracker("c1", "Pricing", 4, "[{\"phrase\":\"price\",\"count\":4}]"),
        tracker("c2", "Competitors", 1, "[{\"phrase\":\"Quillstack\",\"count\":1}]"),
        tracker("c3", "Competitors", 9, "[{\"phrase\":\"Nimbalyst\",\"count\":9}]")));
  }

  @AfterEach
  void close() {
    wh.close();
  }

  private static WarehouseRow call(String id, Instant started, String account, double ratio,
      double monologue, int asked, int customer, String nextSteps, boolean deleted) {
    return WarehouseRow.of(WarehouseTable.STG_CALLS).set("CALL_ID", id)
        .set("CALL_TITLE", account + " call " + id).set("CALL_SCOPE", "External")
        .set("CALL_DATETIME_UTC", started).set("ACCOUNT_NAME", account)
        .set("PRIMARY_USER_ID", "u1").set("PRIMARY_USER_NAME", "Rita Rep")
        .set("TALK_RATIO", ratio).set("LONGEST_MONOLOGUE_SECONDS", monologue)
        .set("QUESTIONS_COMPANY", asked).set("QUESTIONS_NON_COMPANY", customer)
        .set("NEXT_STEPS", new WarehouseRow.Json(nextSteps)).set("IS_DELETED", deleted)
        .set("JOB_ID", "j").set("LOADED_AT", started).build();
  }

  private static WarehouseRow tracker(String call, String name, int count, String phrases) {
    return WarehouseRow.of(WarehouseTable.STG_TRACKERS).set("CALL_ID", call)
        .set("TRACKER_ID", name.toLowerCase()).set("TRACKER_NAME", name)
        .set("TRACKER_TYPE", "KEYWORD").set("MENTION_COUNT", count)
        .set("PHRASES", new WarehouseRow.Json(phrases)).set("JOB_ID", "j")
        .set("LOADED_AT", RECENT).build();
  }

  private List<Map<String, Object>> run(String dialect, String report) {
    String sql = DdlTables.resource("sql/" + dialect + "/reports/" + report + ".sql")
        .replace("DATEADD(day, -90, CURRENT_TIMESTAMP()::TIMESTAMP_NTZ)",
            "(CAST(current_timestamp AS TIMESTAMP) - INTERVAL 90 DAY)")
        .strip();
    return wh.query(sql.endsWith(";") ? sql.substring(0, sql.length() - 1) : sql);
  }

  private static double number(Object v) {
    return v instanceof BigDecimal d ? d.doubleValue() : ((Number) v).doubleValue();
  }

  @Test
  void coachingCard_averagesGongsStatsPerRep_withoutDeletedCalls() {
    for (String dialect : List.of("duckdb", "snowflake")) {
      List<Map<String, Object>> rows = run(dialect, "coaching_card_by_rep");
      assertThat(dialect, rows.size(), is(1));
      Map<String, Object> rita = rows.get(0);
      assertThat(rita.get("rep"), is("Rita Rep"));
      assertThat(number(rita.get("calls")), is(2.0));
      assertThat(number(rita.get("avg_talk_ratio")), is(0.6));
      assertThat(number(rita.get("calls_talking_over_65pct")), is(1.0));
      assertThat(number(rita.get("max_longest_monologue_s")), is(120.0));
      assertThat(number(rita.get("avg_questions_asked")), is(4.0));
      assertThat(number(rita.get("avg_customer_questions")), is(3.0));
    }
  }

  @Test
  void competitorMentions_byMonth_fromCompetitorTrackersOnly() {
    List<Map<String, Object>> duck = run("duckdb", "competitor_mentions_by_period");
    long quill = duck.stream().filter(r -> "Quillstack".equals(r.get("competitor")))
        .mapToLong(r -> (long) number(r.get("mentions"))).sum();
    assertThat(quill, is(3L));
    assertThat(duck.stream().map(r -> (String) r.get("competitor")).distinct().sorted().toList(),
        contains("Quillstack", "Vantora")); // no Nimbalyst (deleted call), no "price"
    List<Map<String, Object>> snow = run("snowflake", "competitor_mentions_by_period");
    assertThat(snow.stream().mapToLong(r -> (long) number(r.get("mentions"))).sum(), is(4L));
    assertThat(snow.stream().allMatch(r -> "Competitors".equals(r.get("tracker"))), is(true));
  }

  @Test
  void nextSteps_perAccount_withSpeakerAndTime() {
    List<Map<String, Object>> duck = run("duckdb", "next_steps_by_account");
    assertThat(duck.stream().map(r -> r.get("next_step")).toList(),
        contains("We'll loop in legal.", "I'll send the proposal by Friday."));
    assertThat(duck.get(1).get("at"), is("12:34"));
    assertThat(duck.get(0).get("speaker"), is("Lee O'Brien"));
    assertThat(duck.get(0).get("account"), is("Acme"));
    List<Map<String, Object>> snow = run("snowflake", "next_steps_by_account");
    assertThat(snow.size(), is(1)); // c2's list is empty, c3 is deleted
    assertThat(snow.get(0).get("call_id"), is("c1"));
    assertThat(String.valueOf(snow.get(0).get("next_steps")), containsString("loop in legal"));
  }
}
