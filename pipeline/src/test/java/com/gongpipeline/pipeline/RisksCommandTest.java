package com.gongpipeline.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import com.gongpipeline.snowflake.CortexRiskSql;
import com.gongpipeline.snowflake.SnowflakeConnections;
import com.gongpipeline.snowflake.sim.SnowflakeStandIn;
import com.gongpipeline.snowflake.sim.StandInConfig;
import com.gongpipeline.warehouse.AccountReportsFixture;
import com.gongpipeline.warehouse.ReportSql;
import com.gongpipeline.warehouse.SnowflakeWarehouse;
import com.gongpipeline.warehouse.WarehouseRow;
import com.gongpipeline.warehouse.WarehouseTable;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * {@code risks}: the Snowflake path's generated AI_CLASSIFY MERGE ({@link CortexRiskSql}) run by
 * the command through the real snowflake-jdbc driver into the Snowflake stand-in, whose
 * AI_CLASSIFY is a deterministic keyword rule (a stand-in, not Cortex: the labels prove the wiring,
 * not the model). Then the account reports read the classified risks.
 */
class RisksCommandTest {
  private static final String PAT = "pat-risks-0123456789abcdef";

  private static WarehouseRow chunk(String call, int index, String speaker, String affiliation,
      long startMs, String content, double sentiment) {
    return WarehouseRow.of(WarehouseTable.MEMORY_RECORDS)
        .set("MEMORY_ID", "gong:" + call + ":" + index).set("SOURCE_TYPE", "gong")
        .set("SOURCE_ID", call).set("CHUNK_INDEX", index).set("SPEAKER_ID", speaker)
        .set("AFFILIATION", affiliation).set("START_MS", startMs).set("CONTENT", content)
        .set("CONTENT_HASH", Integer.toHexString(content.hashCode()))
        .set("SENTIMENT_SCORE", sentiment).set("JOB_ID", "j")
        .set("LOADED_AT", AccountReportsFixture.AS_OF).build();
  }

  @Test
  void classifiesChangedCallsInBoundedStatements_thenNothing_andTheReportsSayCortex()
      throws Exception {
    try (SnowflakeStandIn standIn = SnowflakeStandIn.start(
        StandInConfig.builder().token(PAT).build())) {
      Properties props = SnowflakeConnections.fromEnvironment(
          Map.of("SNOWFLAKE_USER", "TEST_USER", "SNOWFLAKE_PAT", PAT));
      try (SnowflakeWarehouse sf = new SnowflakeWarehouse(standIn.jdbcUrl(), props)) {
        sf.applySchema();
        AccountReportsFixture.load(sf);
        // a2 and g1 (never classified: their report risks are Gong's trackers) get customer chunks
        sf.merge(WarehouseTable.MEMORY_RECORDS, List.of(
            chunk("a2", 0, "s1", "Internal", 0, "Some teams compare us with Quillstack.", 0.1),
            chunk("a2", 1, "s2", "External", 60_000, AccountReportsFixture.PRICING_TURN, -0.2),
            chunk("a2", 2, "s2", "External", 125_000, "This is not working for us.", -0.6),
            chunk("g1", 0, "s2", "External", 5_000,
                "Do you support SSO with our identity provider?", 0.0)));
      }
      try (Connection c = DriverManager.getConnection(standIn.jdbcUrl(), props);
          Statement st = c.createStatement()) {
        st.execute("UPDATE STG_TRANSFORMED.STG_GONG_CALLS SET CALL_LANGUAGE = 'eng'"
            + " WHERE CALL_ID IN ('a2', 'g1')");
      }

      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int classified = RisksCommand.run(new String[] {"--warehouse=" + standIn.jdbcUrl(),
          "--maxCalls=1"}, new PrintStream(out, true, StandardCharsets.UTF_8), props);
      String text = out.toString(StandardCharsets.UTF_8);
      assertThat(text, classified, is(2));
      assertThat(text, containsString("statement 1: 1 call classified"));
      assertThat(text, containsString("statement 3: 0 calls classified"));
      assertThat(text, containsString("risks: 2 calls classified (cortex-ai-classify) in 3"
          + " statements; none left"));
      assertThat(standIn.statements().stream().filter(s -> s.sql().contains("AI_CLASSIFY("))
          .count(), is(3L));

      try (SnowflakeWarehouse sf = new SnowflakeWarehouse(standIn.jdbcUrl(), props)) {
        List<String> stored = new ArrayList<>();
        for (Map<String, Object> r : sf.query("SELECT CALL_ID, RISK_METHOD, f.value:category::STRING"
            + " AS CATEGORY, f.value:memory_id::STRING AS MEMORY_ID FROM"
            + " STG_TRANSFORMED.STG_GONG_CALLS c, LATERAL FLATTEN(input => c.RISK_INDICATORS) f"
            + " ORDER BY CALL_ID, MEMORY_ID")) {
          stored.add(r.get("CALL_ID") + " " + r.get("RISK_METHOD") + " " + r.get("CATEGORY") + " "
              + r.get("MEMORY_ID"));
        }
        // the rep's chunk is never sent; o1 and i1 were classified by e5 and have no chunks here
        assertThat(stored, contains("a2 cortex-ai-classify pricing gong:a2:1",
            "g1 cortex-ai-classify security_legal gong:g1:0",
            "o1 e5-zero-shot-v1 security_legal o1:c1", "o1 e5-zero-shot-v1 timeline o1:c2"));

        // aspect sentiment per classified category from AI_SENTIMENT's labels (the stand-in's
        // thresholded offline score), mapped to -1 / 0 / 1: one AI_SENTIMENT call per risky chunk
        for (String[] call : new String[][] {{"a2", "pricing"}, {"g1", "security_legal"}}) {
          Map<String, Object> r = sf.query("SELECT ASPECT_SENTIMENT::STRING AS A FROM"
              + " STG_TRANSFORMED.STG_GONG_CALLS WHERE CALL_ID = '" + call[0] + "'").get(0);
          com.fasterxml.jackson.databind.JsonNode aspects = new com.fasterxml.jackson.databind
              .ObjectMapper().readTree(String.valueOf(r.get("A")));
          assertThat(aspects.toString(), aspects.size(), is(1));
          double v = aspects.path(call[1]).asDouble(Double.NaN);
          assertThat(aspects.toString(), v == -1 || v == 0 || v == 1, is(true));
        }
        assertThat(standIn.statements().stream().filter(s -> s.sql().contains("AI_SENTIMENT("))
            .count(), is(3L));

        // the brief's pricing risk now comes from Cortex (one chunk), no longer the 2 tracker hits
        List<String> risks = new ArrayList<>();
        for (Map<String, Object> r : sf.query(ReportSql.render("snowflake", "pre_meeting_brief",
            AccountReportsFixture.params("Acme", 90)))) {
          Map<String, Object> l = new java.util.HashMap<>();
          r.forEach((k, v) -> l.put(k.toLowerCase(Locale.ROOT), v));
          if ("risk".equals(l.get("section"))) {
            risks.add(l.get("item") + " " + ((Number) l.get("value")).longValue() + " "
                + l.get("at") + " " + l.get("detail"));
          }
        }
        assertThat(risks, contains("objection 1 02:05 segment-sentiment",
            "pricing 1 01:00 " + CortexRiskSql.METHOD));
      }

      // unchanged chunks: nothing is sent to AI_CLASSIFY again
      out.reset();
      assertThat(RisksCommand.run(new String[] {"--warehouse=" + standIn.jdbcUrl()},
          new PrintStream(out, true, StandardCharsets.UTF_8), props), is(0));
      assertThat(out.toString(StandardCharsets.UTF_8), containsString("in 1 statement; none left"));
    }
  }

  @Test
  void aDuckDbWarehouseIsAUsageError() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = GongPipelineCli.run(new String[] {"risks", "--warehouse=jdbc:duckdb:x.duckdb"},
        new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true,
            StandardCharsets.UTF_8));
    assertThat(code, equalTo(2));
    assertThat(err.toString(StandardCharsets.UTF_8), containsString("AI_CLASSIFY runs in"
        + " Snowflake"));
  }
}
