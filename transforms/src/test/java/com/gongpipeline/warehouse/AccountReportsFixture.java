package com.gongpipeline.warehouse;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import java.math.BigDecimal;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Hand-made calls whose account reports (account_insights, stalled_deals, pre_meeting_brief) are
 * known, written into any warehouse: the DuckDB test and the Snowflake stand-in test load the same
 * rows and expect the same answers. As of {@link #AS_OF}:
 *
 * <ul>
 *   <li>Acme (HubSpot deal d-acme): a1 40 days before, a2 10 days before (two next steps, Gong's
 *       brief, a pricing mention and a sharp objection by the customer Lee O'Brien, a competitor
 *       named by the rep, which is no customer risk), a3 5 days before but deleted in Gong, a4 one
 *       day after {@code AS_OF} (not yet happened as of then);
 *   <li>Globex (Salesforce opportunity o-globex): g1 45 days before, the customer asks about SSO
 *       (security_legal); stalled at 30 days;
 *   <li>Initech: i1 100 days before at stage Closed Won: never stalled, outside a 90-day brief;
 *       classified with no risk (RISK_INDICATORS []), so its pricing tracker hit is no risk;
 *   <li>Olympus (HubSpot deal d-olympus): o1 20 days before, classified (RISK_INDICATORS by
 *       {@value #METHOD}): security_legal and timeline said by the customer Olga, and no tracker
 *       for them; a Pricing tracker hit by Olga that the classifier did not confirm.
 * </ul>
 *
 * <p>Acme's and Globex's calls were never classified (RISK_INDICATORS NULL): their risks come from
 * Gong's trackers ({@code gong-trackers}).
 */
public final class AccountReportsFixture {
  public static final Instant AS_OF = Instant.parse("2026-06-15T12:00:00Z");
  public static final String LEE = "Lee O'Brien";
  public static final String RITA = "Rita Rep";
  public static final String PRICING_TURN = "Honestly the price is more than we budgeted.";
  public static final String OBJECTION_TURN =
      "This is not working for us and I am frustrated, call me at +44 20 7946 0958.";
  public static final String OLGA = "Olga Olympus";
  public static final String METHOD = "e5-zero-shot-v1";
  public static final String SECURITY_TURN =
      "Our legal team has to sign off the data processing agreement before anything else.";
  public static final String TIMELINE_TURN = "Realistically we cannot start before next quarter.";

  private AccountReportsFixture() {}

  static Instant daysBefore(long days) {
    return AS_OF.minus(Duration.ofDays(days));
  }

  /** Writes the calls, parties, turns, topics, trackers and occurrences. */
  public static void load(Warehouse wh) {
    List<WarehouseRow> calls = new ArrayList<>();
    calls.add(call("a1", daysBefore(40), "Acme", "d-acme", null, "presentationscheduled", 0.4,
        "Intro call.", null, false));
    calls.add(call("a2", daysBefore(10), "Acme", "d-acme", null, "decisionmakerboughtin", -0.35,
        "Acme pushed back on price.",
        "[{\"text\":\"I'll send the revised proposal by Friday.\",\"speaker_id\":\"s1\","
            + "\"speaker_name\":\"Rita Rep\",\"start_ms\":754000,\"end_ms\":757000},"
            + "{\"text\":\"We'll loop in legal.\",\"speaker_id\":\"s2\","
            + "\"speaker_name\":\"Lee O'Brien\",\"start_ms\":61000,\"end_ms\":62000}]", false));
    calls.add(call("a3", daysBefore(5), "Acme", "d-acme", null, "contractsent", 0.9,
        "gone", "[{\"text\":\"gone\",\"speaker_name\":\"x\",\"start_ms\":1}]", true));
    calls.add(call("a4", AS_OF.plus(Duration.ofDays(1)), "Acme", "d-acme", null, "contractsent",
        0.9, "later", null, false));
    calls.add(call("g1", daysBefore(45), "Globex", null, "o-globex", "Negotiation/Review", 0.1,
        "Security review.", "[]", false));
    calls.add(call("i1", daysBefore(100), "Initech", null, "o-initech", "Closed Won", 0.5,
        "Signed.", null, false, "[]"));
    calls.add(call("o1", daysBefore(20), "Olympus", "d-olympus", null, "qualifiedtobuy", -0.1,
        "Olympus security review.", null, false,
        "[{\"category\":\"security_legal\",\"score\":0.91,\"memory_id\":\"o1:c1\","
            + "\"speaker_id\":\"s2\",\"start_ms\":12000},"
            + "{\"category\":\"timeline\",\"score\":0.87,\"memory_id\":\"o1:c2\","
            + "\"speaker_id\":\"s2\",\"start_ms\":30000}]"));
    wh.merge(WarehouseTable.STG_CALLS, calls);

    List<WarehouseRow> parties = new ArrayList<>();
    for (String c : List.of("a1", "a2", "a3", "a4", "g1", "i1", "o1")) {
      parties.add(party(c, "p1", "s1", RITA, "Account Executive", "Internal"));
      parties.add(party(c, "p2", "s2", c.startsWith("a") ? LEE
          : c.startsWith("o") ? OLGA : "Gwen Globex", "CFO", "External"));
    }
    wh.merge(WarehouseTable.STG_PARTICIPANTS, parties);

    wh.merge(WarehouseTable.STG_TRANSCRIPTS, List.of(
        turn("a1", 0, "s1", RITA, "Internal", 0, 30_000, "Welcome, thanks for joining.", 0.5),
        turn("a1", 1, "s2", LEE, "External", 30_000, 50_000, "Glad to be here.", 0.4),
        turn("a2", 0, "s1", RITA, "Internal", 0, 60_000,
            "Some teams compare us with Quillstack.", 0.1),
        turn("a2", 1, "s2", LEE, "External", 60_000, 70_000, PRICING_TURN, -0.2),
        turn("a2", 2, "s2", LEE, "External", 125_000, 140_000, OBJECTION_TURN, -0.6),
        turn("a3", 0, "s2", LEE, "External", 0, 10_000, "Deleted call: pricing is awful.", -0.9),
        turn("g1", 0, "s2", "Gwen Globex", "External", 5_000, 20_000,
            "Do you support SSO with our identity provider?", 0.0),
        turn("i1", 0, "s2", "Initech Ian", "External", 0, 10_000, "The price is awful.", -0.8),
        turn("o1", 0, "s1", RITA, "Internal", 0, 10_000, "Thanks for making the time.", 0.4),
        turn("o1", 1, "s2", OLGA, "External", 10_000, 30_000, SECURITY_TURN, -0.1),
        turn("o1", 2, "s2", OLGA, "External", 30_000, 45_000, TIMELINE_TURN, -0.2)));

    wh.merge(WarehouseTable.STG_TOPICS, List.of(topic("a1", "Introduction", 300),
        topic("a2", "Pricing", 600), topic("a2", "Next Steps", 120), topic("g1", "Security", 400)));

    wh.merge(WarehouseTable.STG_TRACKER_OCCURRENCES, List.of(
        occurrence("a2", "competitors", "Competitors", "s1", 20_000),   // the rep: no risk
        occurrence("a2", "pricing", "Pricing", "s2", 61_500),
        occurrence("a2", "pricing", "Pricing", "s2", 64_000),           // same turn: one citation
        occurrence("a3", "pricing", "Pricing", "s2", 1_000),            // deleted call
        occurrence("g1", "security", "Security", "s2", 9_000),
        occurrence("i1", "pricing", "Pricing", "s2", 1_000),            // classified: no risk
        occurrence("o1", "pricing", "Pricing", "s2", 31_000)));         // classified: no pricing
  }

  private static WarehouseRow call(String id, Instant started, String account, String hubspotDeal,
      String opportunity, String stage, double sentiment, String brief, String nextSteps,
      boolean deleted) {
    return call(id, started, account, hubspotDeal, opportunity, stage, sentiment, brief, nextSteps,
        deleted, null);
  }

  /** {@code riskIndicators} null: never classified; otherwise classified by {@link #METHOD}. */
  private static WarehouseRow call(String id, Instant started, String account, String hubspotDeal,
      String opportunity, String stage, double sentiment, String brief, String nextSteps,
      boolean deleted, String riskIndicators) {
    WarehouseRow.Builder b = WarehouseRow.of(WarehouseTable.STG_CALLS).set("CALL_ID", id)
        .set("CALL_TITLE", account + " call " + id).set("CALL_SCOPE", "External")
        .set("CALL_DATETIME_UTC", started).set("ACCOUNT_NAME", account)
        .set("HUBSPOT_DEAL_ID", hubspotDeal).set("SALESFORCE_OPPORTUNITY_ID", opportunity)
        .set("OPPORTUNITY_STAGE", stage).set("OPPORTUNITY_AMOUNT", 48_000.0)
        .set("PRIMARY_USER_ID", "u1").set("PRIMARY_USER_NAME", RITA)
        .set("SENTIMENT_SCORE", sentiment).set("CALL_BRIEF", brief)
        .set("KEY_POINTS", new WarehouseRow.Json("[\"" + brief + "\"]"))
        .set("CALL_OUTCOME", nextSteps == null ? "Conversation" : "Next steps set")
        .set("IS_DELETED", deleted).set("JOB_ID", "j").set("LOADED_AT", started);
    if (nextSteps != null) {
      b.set("NEXT_STEPS", new WarehouseRow.Json(nextSteps));
    }
    if (riskIndicators != null) {
      b.set("RISK_INDICATORS", new WarehouseRow.Json(riskIndicators)).set("RISK_METHOD", METHOD);
    }
    return b.build();
  }

  private static WarehouseRow party(String call, String id, String speaker, String name,
      String title, String affiliation) {
    return WarehouseRow.of(WarehouseTable.STG_PARTICIPANTS).set("CALL_ID", call)
        .set("PARTICIPANT_ID", id).set("SPEAKER_ID", speaker).set("PARTICIPANT_NAME", name)
        .set("TITLE", title).set("AFFILIATION", affiliation)
        .set("EMAIL_ADDRESS", name.toLowerCase().replaceAll("[^a-z]", "") + "@example.com")
        .set("JOB_ID", "j").set("LOADED_AT", AS_OF).build();
  }

  private static WarehouseRow turn(String call, int i, String speaker, String name,
      String affiliation, long start, long end, String text, double sentiment) {
    return WarehouseRow.of(WarehouseTable.STG_TRANSCRIPTS).set("TRANSCRIPT_ID", call + ":" + i)
        .set("CALL_ID", call).set("TURN_INDEX", i).set("SPEAKER_ID", speaker)
        .set("SPEAKER_NAME", name).set("AFFILIATION", affiliation).set("START_MS", start)
        .set("END_MS", end).set("TRANSCRIPT_TEXT", text).set("SEGMENT_SENTIMENT", sentiment)
        .set("JOB_ID", "j").set("LOADED_AT", AS_OF).build();
  }

  private static WarehouseRow topic(String call, String name, double seconds) {
    return WarehouseRow.of(WarehouseTable.STG_TOPICS).set("CALL_ID", call)
        .set("TOPIC_NAME", name).set("DURATION_SECONDS", seconds).set("JOB_ID", "j")
        .set("LOADED_AT", AS_OF).build();
  }

  private static WarehouseRow occurrence(String call, String trackerId, String tracker,
      String speaker, long ms) {
    return WarehouseRow.of(WarehouseTable.STG_TRACKER_OCCURRENCES).set("CALL_ID", call)
        .set("OCCURRENCE_ID", trackerId + ":" + ms + ":" + speaker).set("TRACKER_ID", trackerId)
        .set("TRACKER_NAME", tracker).set("SPEAKER_ID", speaker).set("START_MS", ms)
        .set("JOB_ID", "j").set("LOADED_AT", AS_OF).build();
  }

  // ---- what the reports must answer on these rows (both dialects) ----

  /** The report's parameters as both dialects take them. */
  public static Map<String, String> params(String account, int days) {
    Map<String, String> p = new java.util.LinkedHashMap<>();
    p.put("as_of", ReportSql.timestamp(AS_OF));
    if (account != null) {
      p.put("account", ReportSql.text(account));
    }
    if (days > 0) {
      p.put("days", ReportSql.integer(days));
    }
    return p;
  }

  static double number(Object v) {
    return v instanceof BigDecimal d ? d.doubleValue() : ((Number) v).doubleValue();
  }

  static List<Map<String, Object>> section(List<Map<String, Object>> rows, String section) {
    return rows.stream().filter(r -> section.equals(r.get("section"))).toList();
  }

  static String day(Object v) {
    return String.valueOf(v).substring(0, 10);
  }

  /** pre_meeting_brief for "ACME", 90 days. */
  public static void checkBrief(List<Map<String, Object>> rows) {
    assertThat(rows.stream().map(r -> (String) r.get("section")).distinct().toList(),
        contains("call", "next_step", "risk", "person", "sentiment"));
    assertThat(rows.stream().allMatch(r -> "Acme".equals(r.get("account"))), is(true));
    List<Map<String, Object>> calls = section(rows, "call");
    // a3 is deleted, a4 is after as_of: only a2 (newest first) and a1
    assertThat(calls.stream().map(r -> r.get("call_id")).toList(), contains("a2", "a1"));
    assertThat(calls.get(0).get("text"), is("Acme pushed back on price."));
    assertThat(number(calls.get(0).get("value")), is(-0.35));
    assertThat(day(calls.get(0).get("call_at")), is(daysBefore(10).toString().substring(0, 10)));
    List<Map<String, Object>> steps = section(rows, "next_step");
    assertThat(steps.size(), is(1));
    assertThat(steps.get(0).get("call_id"), is("a2"));
    assertThat(number(steps.get(0).get("value")), is(2.0));
    assertThat((String) steps.get(0).get("detail"), containsString("revised proposal"));
    List<Map<String, Object>> risks = section(rows, "risk");
    // the rep's competitor mention is no customer risk; two pricing mentions in one turn cite it once
    assertThat(risks.stream().map(r -> r.get("item")).toList(), contains("objection", "pricing"));
    assertThat(risks.get(0).get("speaker"), is(LEE));
    assertThat(risks.get(0).get("at"), is("02:05"));
    assertThat(risks.get(0).get("text"), is(OBJECTION_TURN));
    assertThat(risks.get(1).get("at"), is("01:00"));
    assertThat(risks.get(1).get("text"), is(PRICING_TURN));
    assertThat(number(risks.get(1).get("value")), is(2.0));
    assertThat(risks.get(1).get("call_title"), is("Acme call a2"));
    // a2 was never classified: its pricing risk is Gong's tracker, and the report says so
    assertThat(risks.stream().map(r -> r.get("detail")).toList(),
        contains("segment-sentiment", "gong-trackers"));
    List<Map<String, Object>> people = section(rows, "person");
    assertThat(people.stream().map(r -> r.get("speaker") + "|" + r.get("item") + "|"
        + r.get("detail") + "|" + (long) number(r.get("value"))).toList(),
        contains(LEE + "|External|CFO|2", RITA + "|Internal|Account Executive|2"));
    List<Map<String, Object>> trend = section(rows, "sentiment");
    assertThat(trend.stream().map(r -> day(r.get("period")) + " " + number(r.get("value")))
        .toList(), contains(week(daysBefore(40)) + " 0.4", week(daysBefore(10)) + " -0.35"));
    assertThat(rows.stream().noneMatch(r -> String.valueOf(r).contains("@example.com")), is(true));
  }

  /**
   * pre_meeting_brief for "olympus", 90 days: o1's classified risks (security_legal, timeline),
   * which no tracker saw, cite Olga's turns and say they come from the classifier; the Pricing
   * tracker hit in a classified call is no risk.
   */
  public static void checkBriefOlympus(List<Map<String, Object>> rows) {
    List<Map<String, Object>> risks = section(rows, "risk");
    assertThat(risks.stream().map(r -> r.get("item") + " " + (long) number(r.get("value")) + " "
        + r.get("call_id") + " " + r.get("speaker") + " @ " + r.get("at") + " " + r.get("detail"))
        .toList(), contains("security_legal 1 o1 " + OLGA + " @ 00:10 " + METHOD,
            "timeline 1 o1 " + OLGA + " @ 00:30 " + METHOD));
    assertThat(risks.get(0).get("text"), is(SECURITY_TURN));
    assertThat(risks.get(1).get("text"), is(TIMELINE_TURN));
  }

  static String week(Instant t) {
    return LocalDate.ofInstant(t, ZoneOffset.UTC)
        .with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).toString();
  }

  static String month(Instant t) {
    return LocalDate.ofInstant(t, ZoneOffset.UTC).withDayOfMonth(1).toString();
  }

  /** stalled_deals at 30 days: Globex only (Acme spoke 10 days ago, Initech is closed). */
  public static void checkStalled30(List<Map<String, Object>> rows) {
    assertThat(rows.size(), is(1));
    Map<String, Object> g = rows.get(0);
    assertThat(g.get("account"), is("Globex"));
    assertThat(g.get("deal_id"), is("o-globex"));
    assertThat(number(g.get("days_silent")), is(45.0));
    assertThat(g.get("last_call_id"), is("g1"));
    assertThat(number(g.get("security_legal_mentions")), is(1.0));
    assertThat(number(g.get("pricing_mentions")), is(0.0));
    assertThat(g.get("risk_source"), is("gong-trackers")); // g1 was never classified
    assertThat(number(g.get("objections")), is(0.0));
    assertThat(g.get("sharpest_objection"), nullValue());
    assertThat(number(g.get("next_step_count")), is(0.0));
  }

  /**
   * stalled_deals at 5 days: Globex, Olympus, then Acme (a deleted call 5 days ago does not
   * count); Olympus's risks are its classified ones.
   */
  public static void checkStalled5(List<Map<String, Object>> rows) {
    assertThat(rows.stream().map(r -> r.get("account")).toList(),
        contains("Globex", "Olympus", "Acme"));
    Map<String, Object> o = rows.get(1);
    assertThat(o.get("deal_id"), is("d-olympus"));
    assertThat(number(o.get("days_silent")), is(20.0));
    assertThat(o.get("risk_source"), is(METHOD));
    assertThat(number(o.get("security_legal_mentions")), is(1.0));
    assertThat(number(o.get("timeline_mentions")), is(1.0));
    assertThat(number(o.get("pricing_mentions")), is(0.0)); // the tracker hit is not a risk here
    assertThat(number(o.get("objections")), is(0.0));
    Map<String, Object> a = rows.get(2);
    assertThat(a.get("deal_id"), is("d-acme"));
    assertThat(number(a.get("days_silent")), is(10.0));
    assertThat(number(a.get("calls")), is(2.0));
    assertThat(a.get("last_call_id"), is("a2"));
    assertThat(a.get("last_call_outcome"), is("Next steps set"));
    assertThat(number(a.get("pricing_mentions")), is(2.0));
    assertThat(number(a.get("competitor_mentions")), is(0.0));
    assertThat(number(a.get("objections")), is(1.0));
    assertThat(a.get("risk_source"), is("gong-trackers"));
    assertThat(a.get("sharpest_objection"), is(LEE + " @ 02:05 \"" + OBJECTION_TURN + "\""));
    assertThat(number(a.get("next_step_count")), is(2.0));
    assertThat((String) a.get("next_steps"), containsString("loop in legal"));
  }

  /** account_insights over 180 days, every account. */
  public static void checkInsights(List<Map<String, Object>> rows) {
    assertThat(rows.stream().map(r -> (String) r.get("account")).distinct().toList(),
        contains("Acme", "Globex", "Initech", "Olympus"));
    Predicate<Map<String, Object>> acme = r -> "Acme".equals(r.get("account"));
    List<Map<String, Object>> a = rows.stream().filter(acme).toList();
    Map<String, Object> overview = section(a, "overview").get(0);
    assertThat(number(overview.get("calls")), is(2.0));
    assertThat(number(overview.get("value")), is(0.025));
    assertThat(section(a, "topic").stream().map(r -> r.get("item") + " " + number(r.get("value")))
        .toList(), contains("Pricing 10.0", "Introduction 5.0", "Next Steps 2.0"));
    assertThat(section(a, "risk").stream().map(r -> r.get("item") + " "
        + (long) number(r.get("value")) + " " + r.get("call_id") + " " + r.get("detail")).toList(),
        contains("pricing 2 a2 gong-trackers", "objection 1 a2 segment-sentiment"));
    assertThat(section(a, "next_step").stream().map(r -> r.get("call_id") + " "
        + (long) number(r.get("value"))).toList(), contains("a2 2"));
    assertThat(section(a, "sentiment_month").stream().map(r -> day(r.get("period")) + " "
        + number(r.get("value"))).toList(),
        contains(month(daysBefore(40)) + " 0.4", month(daysBefore(10)) + " -0.35"));
    assertThat(section(a, "sentiment_week").size(), is(2));
    assertThat(rows.stream().filter(r -> "Globex".equals(r.get("account"))
        && "risk".equals(r.get("section"))).map(r -> r.get("item")).toList(),
        contains("security_legal"));
    // i1 was classified with no risk ([]): its Pricing tracker hit is no risk; its objection is
    assertThat(rows.stream().filter(r -> "Initech".equals(r.get("account"))
        && "risk".equals(r.get("section"))).map(r -> r.get("item")).toList(),
        contains("objection"));
    // o1's classified risks, which no tracker saw, with their method
    assertThat(rows.stream().filter(r -> "Olympus".equals(r.get("account"))
        && "risk".equals(r.get("section"))).map(r -> r.get("item") + " "
        + (long) number(r.get("value")) + " " + r.get("call_id") + " " + r.get("detail")).toList(),
        contains("security_legal 1 o1 " + METHOD, "timeline 1 o1 " + METHOD));
  }
}
