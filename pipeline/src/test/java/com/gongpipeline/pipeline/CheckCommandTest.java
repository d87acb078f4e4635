package com.gongpipeline.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import com.gongpipeline.cortex.sim.CortexSimulator;
import com.gongpipeline.cortex.sim.CortexSimulatorConfig;
import com.gongpipeline.gong.sim.GongSimulator;
import com.gongpipeline.gong.sim.SimulatorConfig;
import com.gongpipeline.snowflake.SnowflakeCredentials;
import com.gongpipeline.testing.ScriptedGongServer;
import com.gongpipeline.testing.ScriptedGongServer.Reply;
import com.gongpipeline.warehouse.Warehouse;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code check}: one request per Gong endpoint, the warehouse's schema version and write rights,
 * the embedding dimension; exit 0 only when all pass; a 403 names the missing scope; no secret is
 * printed.
 */
class CheckCommandTest {
  private static final String SECRET = "s3cr3t-value-never-printed";

  @TempDir Path dir;
  @RegisterExtension final ScriptedGongServer scripted = new ScriptedGongServer();
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

  private int check(String... args) {
    return CheckCommand.run(args, new PrintStream(buffer, true, StandardCharsets.UTF_8),
        SnowflakeCredentials.pat(CortexSimulatorConfig.DEMO_PAT, null, null));
  }

  private String output() {
    return buffer.toString(StandardCharsets.UTF_8);
  }

  private Path credentials(String key, String secret) throws Exception {
    Path file = dir.resolve("gong-" + key + ".properties");
    Files.writeString(file, "accessKey=" + key + "\naccessKeySecret=" + secret + "\n");
    return file;
  }

  @Test
  void allPass_oneRequestPerEndpoint_countedInTheLedger() throws Exception {
    Instant now = Instant.now();
    SimulatorConfig config = SimulatorConfig.builder().seed(5).calls(3)
        .callsFrom(now.minus(Duration.ofDays(5))).callsTo(now.minus(Duration.ofHours(2)))
        .requestsPerSecond(50).build();
    String url = "jdbc:duckdb:" + dir.resolve("wh.duckdb");
    try (Warehouse wh = Warehouse.open(url)) {
      wh.applySchema();
    }
    try (GongSimulator gong = GongSimulator.start(config);
        CortexSimulator cortex = CortexSimulator.start(CortexSimulatorConfig.builder().build())) {
      int code = check("--gongBaseUrl=" + gong.baseUrl(),
          "--gongCredentialsFile=" + credentials(config.accessKey(), config.accessKeySecret()),
          "--warehouse=" + url, "--embeddings=cortex", "--cortexUrl=" + cortex.baseUrl());
      assertThat(output(), code, equalTo(0));
      assertThat(output(), containsString("all checks passed"));
      assertThat(output(), containsString("key accepted, "));
      assertThat(output(), containsString("tables at this version's columns"));
      assertThat(output(), containsString("MERGE accepted by every table"));
      assertThat(output(), containsString("e5-base-v2 answers with 768 dimensions"));
      assertThat(output(), not(containsString("FAIL")));
      assertThat(gong.stats().requestsTo("GET /v2/calls"), equalTo(1L));
      assertThat(gong.stats().requestsTo("POST /v2/calls/extensive"), equalTo(1L));
      assertThat(gong.stats().requestsTo("POST /v2/calls/transcript"), equalTo(1L));
      assertThat(gong.stats().totalRequests(), equalTo(3L));
    }
    try (Warehouse wh = Warehouse.open(url)) {
      assertThat(wh.gongRequestsOn(LocalDate.now(ZoneOffset.UTC)), equalTo(3L));
      // the zero-row MERGEs wrote nothing
      assertThat(wh.tableCounts().values().stream().mapToLong(Long::longValue).sum(), equalTo(3L));
    }
  }

  @Test
  void aMissingTranscriptScope_isNamed_andTheExitCodeIs1() throws Exception {
    scripted.enqueue("/v2/calls", Reply.ok("{\"requestId\":\"r1\",\"records\":{\"totalRecords\":1,"
        + "\"currentPageSize\":1,\"currentPageNumber\":0},\"calls\":[{\"id\":\"7001\","
        + "\"started\":\"2026-11-30T10:00:00Z\"}]}"));
    scripted.enqueue("/v2/calls/extensive", Reply.ok("{\"requestId\":\"r2\",\"records\":"
        + "{\"totalRecords\":1,\"currentPageSize\":1,\"currentPageNumber\":0},\"calls\":"
        + "[{\"metaData\":{\"id\":\"7001\"}}]}"));
    scripted.enqueue("/v2/calls/transcript", Reply.json(403,
        "{\"requestId\":\"r3\",\"errors\":[\"Access denied\"]}"));
    int code = check("--gongBaseUrl=" + scripted.baseUrl(),
        "--gongCredentialsFile=" + credentials("key-1", SECRET),
        "--warehouse=jdbc:duckdb:" + dir.resolve("fresh.duckdb"),
        "--embeddings=cortex", "--cortexUrl=http://127.0.0.1:1");
    assertThat(code, equalTo(1));
    assertThat(output(), containsString("ok    gong call details"));
    assertThat(output(), containsString("FAIL  gong transcripts"));
    assertThat(output(), containsString("HTTP 403"));
    assertThat(output(), containsString("lacks scope api:calls:read:transcript"));
    // the fresh DuckDB file is not created by check, and says who will create it
    assertThat(output(), containsString("does not exist yet"));
    assertThat(Files.exists(dir.resolve("fresh.duckdb")), equalTo(false));
    // the Cortex endpoint that does not answer is its own failure line
    assertThat(output(), containsString("FAIL  embeddings"));
    assertThat(output(), not(containsString(SECRET)));
    assertThat(scripted.requests("/v2/calls/transcript").size(), equalTo(1));
  }

  @Test
  void aWrongSecret_fails401WithAHint_neverPrintingTheSecret() throws Exception {
    Instant now = Instant.now();
    SimulatorConfig config = SimulatorConfig.builder().seed(5).calls(2)
        .callsFrom(now.minus(Duration.ofDays(3))).callsTo(now.minus(Duration.ofHours(2))).build();
    try (GongSimulator gong = GongSimulator.start(config)) {
      int code = check("--gongBaseUrl=" + gong.baseUrl(),
          "--gongCredentialsFile=" + credentials(config.accessKey(), SECRET),
          "--warehouse=jdbc:duckdb:" + dir.resolve("x.duckdb"), "--embeddings=cortex",
          "--cortexUrl=http://127.0.0.1:1");
      assertThat(code, equalTo(1));
      assertThat(output(), containsString("FAIL  gong calls"));
      assertThat(output(), containsString("HTTP 401"));
      assertThat(output(), containsString("GONG_ACCESS_KEY"));
      assertThat(output(), not(containsString(SECRET)));
      // one refused request, not one per endpoint
      assertThat(gong.stats().totalRequests(), equalTo(1L));
    }
  }

  @Test
  void aWarehouseBehindThisVersion_namesTheMissingColumn() throws Exception {
    String url = "jdbc:duckdb:" + dir.resolve("old.duckdb");
    try (Warehouse wh = Warehouse.open(url)) {
      wh.applySchema();
    }
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(url);
        java.sql.Statement st = c.createStatement()) {
      st.execute("ALTER TABLE STG_TRANSFORMED.STG_GONG_CALLS DROP COLUMN SENTIMENT_SCORE");
    }
    int code = check("--warehouse=" + url, "--embeddings=cortex",
        "--cortexUrl=http://127.0.0.1:1");
    assertThat(code, equalTo(1));
    assertThat(output(), containsString("FAIL  gong"));
    assertThat(output(), containsString("ok    warehouse "));
    assertThat(output(), containsString("FAIL  warehouse schema"));
    assertThat(output(), containsString("STG_TRANSFORMED.STG_GONG_CALLS [SENTIMENT_SCORE]"));
  }
}
