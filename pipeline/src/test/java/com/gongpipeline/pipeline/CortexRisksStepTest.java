package com.gongpipeline.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.sameInstance;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.gongpipeline.pipeline.options.GongPipelineOptions;
import com.gongpipeline.snowflake.SnowflakeConnections;
import com.gongpipeline.snowflake.sim.SnowflakeStandIn;
import com.gongpipeline.snowflake.sim.StandInConfig;
import com.gongpipeline.warehouse.AccountReportsFixture;
import com.gongpipeline.warehouse.JobLog;
import com.gongpipeline.warehouse.SnowflakeWarehouse;
import com.gongpipeline.warehouse.WarehouseRow;
import com.gongpipeline.warehouse.WarehouseTable;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;

/**
 * {@code --cortexRisks}: after a job's write on the Snowflake/Cortex path, the AI_CLASSIFY MERGE
 * ({@link RisksCommand}'s) runs through the real snowflake-jdbc driver into the Snowflake stand-in
 * (whose AI_CLASSIFY is a keyword rule), capped by {@code --cortexRisksMaxCalls}, and its outcome
 * is a note on the job's ETL_JOB_LOGS row; it is off on any other path or when asked.
 */
class CortexRisksStepTest {
  private static final String PAT = "pat-cortex-risks-step-0123456789";

  static GongPipelineOptions options(String... args) {
    return PipelineOptionsFactory.fromArgs(args).as(GongPipelineOptions.class);
  }

  private static WarehouseRow chunk(String call, int index, String speaker, String affiliation,
      long startMs, String content) {
    return WarehouseRow.of(WarehouseTable.MEMORY_RECORDS)
        .set("MEMORY_ID", "gong:" + call + ":" + index).set("SOURCE_TYPE", "gong")
        .set("SOURCE_ID", call).set("CHUNK_INDEX", index).set("SPEAKER_ID", speaker)
        .set("AFFILIATION", affiliation).set("START_MS", startMs).set("CONTENT", content)
        .set("CONTENT_HASH", Integer.toHexString(content.hashCode())).set("JOB_ID", "j")
        .set("LOADED_AT", AccountReportsFixture.AS_OF).build();
  }

  private static JobRun.Summary succeeded(SnowflakeWarehouse sf, String jobId) {
    Instant t = Instant.parse("2026-06-15T12:00:00Z");
    JobLog log = JobLog.builder(jobId, "backfill", t).runner("DirectRunner")
        .finish(JobLog.Status.SUCCEEDED, t.plusSeconds(60)).callsProcessed(7).build();
    sf.recordJob(log);
    return new JobRun.Summary(log, JobMetrics.of(Map.of()), Duration.ofSeconds(60));
  }

  @Test
  void afterTheWriteClassifiesTheChangedCallsCappedAndNotesItOnTheJob() throws Exception {
    try (SnowflakeStandIn standIn = SnowflakeStandIn.start(
        StandInConfig.builder().token(PAT).build())) {
      Properties props = SnowflakeConnections.fromEnvironment(
          Map.of("SNOWFLAKE_USER", "TEST_USER", "SNOWFLAKE_PAT", PAT));
      String url = standIn.jdbcUrl();
      JobRun.Summary first;
      JobRun.Summary second;
      try (SnowflakeWarehouse sf = new SnowflakeWarehouse(url, props)) {
        sf.applySchema();
        AccountReportsFixture.load(sf);
        // a2 and g1 are English calls with customer chunks Cortex never classified
        sf.merge(WarehouseTable.MEMORY_RECORDS, List.of(
            chunk("a2", 0, "s1", "Internal", 0, "Some teams compare us with Quillstack."),
            chunk("a2", 1, "s2", "External", 60_000, AccountReportsFixture.PRICING_TURN),
            chunk("g1", 0, "s2", "External", 5_000,
                "Do you support SSO with our identity provider?")));
        first = succeeded(sf, "backfill-1");
        second = succeeded(sf, "backfill-2");
      }
      try (Connection c = DriverManager.getConnection(url, props);
          Statement st = c.createStatement()) {
        st.execute("UPDATE STG_TRANSFORMED.STG_GONG_CALLS SET CALL_LANGUAGE = 'eng'"
            + " WHERE CALL_ID IN ('a2', 'g1')");
      }

      // 1. capped at one call: one is classified, the note says more may be waiting
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      JobRun.Summary noted = CortexRisksStep.afterWrite(first, options("--warehouse=" + url,
          "--embeddings=cortex", "--cortexRisksMaxCalls=1"),
          new PrintStream(out, true, StandardCharsets.UTF_8), props);
      String note = "cortex risks: 1 call classified (cortex-ai-classify) in 1 statement; more"
          + " calls may be waiting: the next run or `risks` classifies them"
          + " (--cortexRisksMaxCalls=1)";
      assertThat(noted.log().errorMessage(), equalTo(note));
      assertThat(noted.log().status(), equalTo(JobLog.Status.SUCCEEDED));
      assertThat(noted.log().callsProcessed(), equalTo(7L));
      assertThat(out.toString(StandardCharsets.UTF_8), containsString(
          "statement 1: 1 call classified with AI_CLASSIFY"));
      List<String> stored = new ArrayList<>();
      try (SnowflakeWarehouse sf = new SnowflakeWarehouse(url, props)) {
        assertThat(sf.findJob("backfill-1").orElseThrow().errorMessage(), equalTo(note));
        for (Map<String, Object> r : sf.query("SELECT CALL_ID FROM STG_TRANSFORMED.STG_GONG_CALLS"
            + " WHERE RISK_METHOD = 'cortex-ai-classify' ORDER BY CALL_ID")) {
          stored.add(String.valueOf(r.get("CALL_ID")));
        }
      }
      assertThat(stored, equalTo(List.of("a2")));

      // 2. the next job (default cap) classifies what was left, and nothing is left
      out.reset();
      noted = CortexRisksStep.afterWrite(second, options("--warehouse=" + url,
          "--embeddings=cortex"), new PrintStream(out, true, StandardCharsets.UTF_8), props);
      assertThat(noted.log().errorMessage(), equalTo("cortex risks: 1 call classified"
          + " (cortex-ai-classify) in 1 statement; none left"));
      try (SnowflakeWarehouse sf = new SnowflakeWarehouse(url, props)) {
        assertThat(sf.query("SELECT COUNT(*) AS N FROM STG_TRANSFORMED.STG_GONG_CALLS WHERE"
            + " RISK_METHOD = 'cortex-ai-classify'").get(0).get("N").toString(), equalTo("2"));
      }

      // 3. off, local embeddings or a DuckDB warehouse: nothing sent, the summary untouched
      long classifyStatements = standIn.statements().stream()
          .filter(s -> s.sql().contains("AI_CLASSIFY(")).count();
      assertThat(classifyStatements, is(2L));
      for (GongPipelineOptions o : List.of(
          options("--warehouse=" + url, "--embeddings=cortex", "--cortexRisks=off"),
          options("--warehouse=" + url, "--embeddings=local"),
          options("--warehouse=jdbc:duckdb:x.duckdb", "--embeddings=cortex"))) {
        assertThat(CortexRisksStep.afterWrite(second, o, new PrintStream(
            new ByteArrayOutputStream()), props), sameInstance(second));
      }
      assertThat(standIn.statements().stream().filter(s -> s.sql().contains("AI_CLASSIFY("))
          .count(), is(classifyStatements));

      // 4. a failing MERGE: the job keeps its status, the note says so and what to run
      try (Connection c = DriverManager.getConnection(url, props);
          Statement st = c.createStatement()) {
        st.execute("UPDATE STG_TRANSFORMED.STG_GONG_CALLS SET RISK_METHOD = NULL");
        st.execute("ALTER TABLE AI_MEMORY.MEMORY_RECORDS RENAME TO MEMORY_RECORDS_GONE");
      }
      noted = CortexRisksStep.afterWrite(second, options("--warehouse=" + url,
          "--embeddings=cortex"), new PrintStream(new ByteArrayOutputStream()), props);
      assertThat(noted.log().status(), equalTo(JobLog.Status.SUCCEEDED));
      assertThat(noted.log().errorMessage(), startsWith("cortex risks FAILED ("));
      assertThat(noted.log().errorMessage(), containsString("run `risks --warehouse=...`"));
      assertThat(noted.log().errorMessage(), org.hamcrest.Matchers.not(containsString(PAT)));
    }
  }

  @Test
  void anUnknownModeOrCapIsAUsageError() {
    assertThrows(IllegalArgumentException.class, () -> CortexRisksStep.enabled(
        options("--cortexRisks=always")));
    assertThrows(IllegalArgumentException.class, () -> CortexRisksStep.enabled(
        options("--cortexRisksMaxCalls=0")));
    assertThat(CortexRisksStep.enabled(options("--warehouse=jdbc:snowflake://x/",
        "--embeddings=cortex")), is(true));
    assertThat(CortexRisksStep.enabled(options()), is(false));
  }
}
