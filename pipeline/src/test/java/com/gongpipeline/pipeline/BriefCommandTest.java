package com.gongpipeline.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import com.gongpipeline.parse.JsonSupport;
import com.gongpipeline.warehouse.AccountReportsFixture;
import com.gongpipeline.warehouse.Warehouse;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code brief} over {@link AccountReportsFixture} in a DuckDB file: the pre_meeting_brief report
 * printed with citations, PII redacted, the account matched ignoring case, unknown accounts a usage
 * error (exit 2) naming the nearest accounts.
 */
class BriefCommandTest {
  @TempDir Path dir;
  private String warehouse;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void load() {
    warehouse = "jdbc:duckdb:" + dir.resolve("brief.duckdb");
    try (Warehouse wh = Warehouse.open(warehouse)) {
      wh.applySchema();
      AccountReportsFixture.load(wh);
    }
  }

  private int cli(String... args) {
    List<String> all = new ArrayList<>(List.of("brief", "--warehouse=" + warehouse,
        "--asOf=" + AccountReportsFixture.AS_OF));
    all.addAll(List.of(args));
    return GongPipelineCli.run(all.toArray(new String[0]),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void printsTheBriefWithCitations_andRedactsPii() {
    assertThat(err.toString(StandardCharsets.UTF_8), cli("--account=aCmE"), equalTo(0));
    String text = out();
    assertThat(text, containsString("Brief: Acme, calls of the 90 days before 2026-06-15"));
    assertThat(text, containsString("Acme call a2  [call a2]  sentiment -0.35"));
    assertThat(text, containsString("     Acme pushed back on price."));
    // next steps with speaker @ mm:ss and the call they come from
    assertThat(text, containsString("  - I'll send the revised proposal by Friday.\n"
        + "      Rita Rep @ 12:34, \"Acme call a2\" 2026-06-05 [call a2]"));
    assertThat(text, containsString("  pricing (2 mentions)\n  - \""
        + AccountReportsFixture.PRICING_TURN + "\"\n      Lee O'Brien @ 01:00, \"Acme call a2\""
        + " 2026-06-05 [call a2] via gong-trackers\n")); // a2 was never classified
    // the customer's phone number is redacted, as search's chunks are
    assertThat(text, containsString("I am frustrated, call me at [PHONE].\""));
    assertThat(text, not(containsString("7946")));
    assertThat(text, containsString("  External: Lee O'Brien, CFO (2 calls, last 2026-06-05)"));
    assertThat(text, not(containsString("@example.com")));
    assertThat(text, containsString("  week of 2026-06-01  -0.35  (1 call)"));
    assertThat(text, not(containsString("a3"))); // the deleted call
  }

  /** Olympus's call was classified: its risks, which no tracker saw, cite the classifier. */
  @Test
  void classifiedRisksAreCitedWithTheirMethod_andUnconfirmedTrackerHitsAreNot() {
    assertThat(err.toString(StandardCharsets.UTF_8), cli("--account=olympus"), equalTo(0));
    String text = out();
    assertThat(text, containsString("  security_legal (1 mention)\n  - \""
        + AccountReportsFixture.SECURITY_TURN + "\"\n      Olga Olympus @ 00:10, \"Olympus call o1\""
        + " 2026-05-26 [call o1] via " + AccountReportsFixture.METHOD + "\n"));
    assertThat(text, containsString("  timeline (1 mention)\n"));
    assertThat(text, not(containsString("pricing"))); // a Pricing tracker hit the classifier denied
  }

  @Test
  void jsonIsOneDocument() throws Exception {
    assertThat(cli("--account=Acme", "--json"), equalTo(0));
    String[] lines = out().strip().split("\n");
    assertThat(lines.length, is(1));
    JsonNode b = JsonSupport.parse(lines[0]);
    assertThat(b.get("account").asText(), is("Acme"));
    List<String> ids = new ArrayList<>();
    b.get("calls").forEach(c -> ids.add(c.get("call_id").asText()));
    assertThat(ids, contains("a2", "a1"));
    assertThat(b.get("next_steps").size(), is(2));
    assertThat(b.get("next_steps").get(1).get("at").asText(), is("01:01"));
    List<String> risks = new ArrayList<>();
    b.get("risks").forEach(r -> risks.add(r.get("category").asText() + " "
        + r.get("mentions").asLong()));
    assertThat(risks, contains("objection 1", "pricing 2"));
    assertThat(b.get("people").get(0).get("name").asText(), is("Lee O'Brien"));
  }

  @Test
  void unknownAccountIsAUsageErrorNamingTheNearest() {
    assertThat(cli("--account=Acmee"), equalTo(2));
    String e = err.toString(StandardCharsets.UTF_8);
    assertThat(e, containsString("unknown account \"Acmee\"; nearest: Acme, "));
    assertThat(cli("--account=glob"), equalTo(2));
    assertThat(err.toString(StandardCharsets.UTF_8), containsString("nearest: Globex, "));
  }

  @Test
  void badUsageExitsTwo_andAnEmptyWindowSaysSo() {
    assertThat(cli(), equalTo(2));
    assertThat(err.toString(StandardCharsets.UTF_8), containsString("usage: brief --account=NAME"));
    assertThat(cli("--account=Acme", "--days=0"), equalTo(2));
    assertThat(cli("--account=initech"), equalTo(0)); // its one call is 100 days old
    assertThat(out(), containsString("No calls with this account in that window"));
  }

  /**
   * Over Snowflake (the real driver into the stand-in): the Snowflake report, upper-case column
   * labels and all, gives the same brief as DuckDB.
   */
  @Test
  void snowflakeWarehouseGivesTheSameBrief() throws Exception {
    String pat = "pat-brief-0123456789abcdef";
    try (com.gongpipeline.snowflake.sim.SnowflakeStandIn standIn =
        com.gongpipeline.snowflake.sim.SnowflakeStandIn.start(
            com.gongpipeline.snowflake.sim.StandInConfig.builder().token(pat).build())) {
      java.util.Properties props = com.gongpipeline.snowflake.SnowflakeConnections.fromEnvironment(
          java.util.Map.of("SNOWFLAKE_USER", "TEST_USER", "SNOWFLAKE_PAT", pat));
      try (Warehouse sf = new com.gongpipeline.warehouse.SnowflakeWarehouse(standIn.jdbcUrl(),
          props)) {
        sf.applySchema();
        AccountReportsFixture.load(sf);
      }
      List<String> args = List.of("--account=acme", "--asOf=" + AccountReportsFixture.AS_OF,
          "--json");
      List<String> onSnowflake = new ArrayList<>(args);
      onSnowflake.add("--warehouse=" + standIn.jdbcUrl());
      JsonNode snowflake = BriefCommand.run(onSnowflake.toArray(new String[0]),
          new PrintStream(new ByteArrayOutputStream()),
          url -> new com.gongpipeline.warehouse.SnowflakeWarehouse(url, props));
      List<String> onDuckDb = new ArrayList<>(args);
      onDuckDb.add("--warehouse=" + warehouse);
      JsonNode duck = BriefCommand.run(onDuckDb.toArray(new String[0]),
          new PrintStream(new ByteArrayOutputStream()));
      assertThat(snowflake.get("risks").size(), is(2));
      assertThat(snowflake, equalTo(duck));
      // the report reads the shared risk view (sql 150), whose FLATTEN the stand-in translates
      assertThat(standIn.statements().stream().anyMatch(st -> st.sql().contains(
          "FROM STG_TRANSFORMED.CALL_RISK_SIGNALS")), is(true));
    }
  }

  @Test
  void nearestPrefersNamesContainingTheInput() {
    assertThat(BriefCommand.nearest("olymp", List.of("Acme", "Olympus Labs", "Olympia", "Oly"),
        2), contains("Oly", "Olympia"));
    assertThat(BriefCommand.distance("kitten", "sitting"), is(3));
  }
}
