package com.gongpipeline.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.gongpipeline.enrich.LocalE5Embedder;
import com.gongpipeline.warehouse.JobLog;
import com.gongpipeline.warehouse.Warehouse;
import com.gongpipeline.warehouse.WarehouseRow;
import com.gongpipeline.warehouse.WarehouseTable;
import com.gongpipeline.pipeline.options.GongPipelineOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as users type it: exit codes, messages, search output. */
class GongPipelineCliTest {
  @TempDir Path dir;
  final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
  final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();

  int cli(String... args) {
    return GongPipelineCli.run(args, new PrintStream(outBytes, true, StandardCharsets.UTF_8),
        new PrintStream(errBytes, true, StandardCharsets.UTF_8));
  }

  String out() {
    return outBytes.toString(StandardCharsets.UTF_8);
  }

  String err() {
    return errBytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void unknownCommand_exits2WithUsage() {
    assertThat(cli("frobnicate"), equalTo(2));
    assertThat(err(), containsString("unknown command: frobnicate"));
    assertThat(err(), containsString("backfill"));
  }

  @Test
  void backfillHelp_listsEveryOptionWithDefaults() {
    assertThat(cli("backfill", "--help"), equalTo(0));
    for (String option : List.of("--gongBaseUrl", "--from", "--to", "--warehouse",
        "--chunkMaxTokens", "--chunkOverlapTokens", "--embedBatchSize", "--listWindow",
        "--gongRequestsPerSecond", "--includePrivateCalls", "--gongDailyRequestBudget")) {
      assertThat(out(), containsString(option));
    }
    assertThat(out(), containsString("jdbc:duckdb:./gong.duckdb"));
  }

  @Test
  void backfillWithoutBaseUrl_isAClearError() {
    assertThat(cli("backfill", "--from=2026-01-01", "--warehouse=jdbc:duckdb:" + dir.resolve("a.db")),
        equalTo(2));
    assertThat(err(), containsString("--gongBaseUrl is required"));
  }

  /** Issue 11 item 15: Basic-auth credentials never travel in cleartext off this machine. */
  @Test
  void plainHttpToANonLoopbackGongHost_exits2WithTheReason() throws Exception {
    assertThat(cli("backfill", "--gongBaseUrl=http://us-12345.api.gong.io", "--from=2026-01-01",
        "--to=2026-01-02", "--gongCredentialsFile=" + credentials(),
        "--warehouse=jdbc:duckdb:" + dir.resolve("clear.duckdb")), equalTo(2));
    assertThat(err(), containsString("--gongBaseUrl"));
    assertThat(err(), containsString("would send credentials in cleartext"));
    assertThat(err(), containsString("loopback host (127.0.0.0/8, ::1, localhost)"));
  }

  @Test
  void backfillWithBadDate_namesTheFlag() {
    assertThat(cli("backfill", "--gongBaseUrl=http://127.0.0.1:1", "--from=yesterday"),
        equalTo(2));
    assertThat(err(), containsString("--from=yesterday"));
  }

  /** Issue 14 item 5: --json prints one JSON line on stdout even when the run cannot start. */
  @Test
  void backfillJsonWithBadDate_printsOneJsonLineAndTheErrorOnStderr() throws Exception {
    assertThat(cli("backfill", "--gongBaseUrl=http://127.0.0.1:1", "--from=yesterday", "--json"),
        equalTo(2));
    String[] lines = out().strip().split("\n");
    assertThat(out(), lines.length, equalTo(1));
    JsonNode o = new ObjectMapper().readTree(lines[0]);
    assertThat(o.get("job_type").asText(), equalTo("backfill"));
    assertThat(o.get("status").asText(), equalTo("USAGE"));
    assertThat(o.get("exit_code").asInt(), equalTo(2));
    assertThat(o.get("error").asText(), containsString("--from=yesterday"));
    assertThat(err(), containsString("--from=yesterday"));
  }

  @Test
  void backfillHelp_documentsQuietAndJson() {
    assertThat(cli("backfill", "--help"), equalTo(0));
    assertThat(out(), containsString("--quiet"));
    assertThat(out(), containsString("--json"));
    outBytes.reset();
    assertThat(cli("--help"), equalTo(0));
    assertThat(out(), containsString("--quiet prints only errors"));
  }

  @Test
  void searchOnEmptyWarehouse_saysToRunABackfill() {
    String url = "jdbc:duckdb:" + dir.resolve("empty.duckdb");
    try (Warehouse wh = Warehouse.open(url)) {
      wh.applySchema();
    }
    assertThat(cli("search", "pricing", "--warehouse=" + url), equalTo(2));
    assertThat(err(), containsString("AI_MEMORY is empty"));
  }

  @Test
  void searchJson_ranksTheMatchingChunkFirstAndFiltersBySpeaker() throws Exception {
    String url = "jdbc:duckdb:" + dir.resolve("search.duckdb");
    try (Warehouse wh = Warehouse.open(url); LocalE5Embedder e5 = new LocalE5Embedder()) {
      wh.applySchema();
      List<String> texts = List.of(
          "To be honest, that's higher than we budgeted, the per-seat price is too expensive.",
          "The weather in Denver was lovely this weekend, we went hiking.",
          "We need your SOC 2 report before the security review.");
      List<String> affiliations = List.of("External", "Internal", "External");
      List<float[]> vectors = e5.embedPassages(texts);
      List<WarehouseRow> rows = new ArrayList<>();
      for (int i = 0; i < texts.size(); i++) {
        rows.add(WarehouseRow.of(WarehouseTable.MEMORY_RECORDS)
            .set("MEMORY_ID", "gong:c" + i + ":0").set("SOURCE_TYPE", "gong")
            .set("SOURCE_ID", "c" + i).set("CHUNK_INDEX", 0).set("SPEAKER_NAME", "Speaker " + i)
            .set("AFFILIATION", affiliations.get(i)).set("START_MS", 61_000L + i)
            .set("END_MS", 75_500L).set("CONTENT", texts.get(i)).set("CONTENT_HASH", "h" + i)
            .set("EMBEDDING", vectors.get(i)).set("EMBEDDING_MODEL", e5.modelName())
            .set("EMBEDDING_DIM", 384)
            .set("METADATA", new WarehouseRow.Json("{\"title\":\"Call " + i
                + "\",\"started\":\"2026-03-0" + (i + 1) + "T10:00:00Z\",\"account\":\"Acct" + i
                + "\"}"))
            .set("JOB_ID", "j").set("LOADED_AT", Instant.now()).build());
      }
      wh.merge(WarehouseTable.MEMORY_RECORDS, rows);
    }

    assertThat(cli("search", "pricing objections", "--json", "--k=2", "--warehouse=" + url),
        equalTo(0));
    List<JsonNode> hits = new ArrayList<>();
    for (String line : out().strip().split("\n")) {
      hits.add(new ObjectMapper().readTree(line));
    }
    assertThat(hits, hasSize(2));
    assertThat(hits.get(0).get("call_id").asText(), equalTo("c0"));
    assertThat(hits.get(0).get("title").asText(), equalTo("Call 0"));
    assertThat(hits.get(0).get("account").asText(), equalTo("Acct0"));
    assertThat(hits.get(0).get("start_ms").asLong(), equalTo(61_000L));
    for (String field : List.of("score", "started", "speaker", "affiliation", "end_ms", "text")) {
      assertThat(field, hits.get(0).has(field), equalTo(true));
    }

    outBytes.reset();
    assertThat(cli("search", "nice weekend outdoors", "--speaker=external", "--k=3",
        "--warehouse=" + url), equalTo(0));
    assertThat(out(), not(containsString("Denver")));
    assertThat(out(), containsString("01:01"));
  }

  @Test
  void searchRefusesVectorsOfAnotherModel() {
    String url = "jdbc:duckdb:" + dir.resolve("other.duckdb");
    try (Warehouse wh = Warehouse.open(url)) {
      wh.applySchema();
      wh.merge(WarehouseTable.MEMORY_RECORDS, List.of(WarehouseRow.of(WarehouseTable.MEMORY_RECORDS)
          .set("MEMORY_ID", "gong:x:0").set("SOURCE_TYPE", "gong").set("SOURCE_ID", "x")
          .set("CHUNK_INDEX", 0).set("CONTENT", "t").set("CONTENT_HASH", "h")
          .set("EMBEDDING", new float[768]).set("EMBEDDING_MODEL", "e5-base-v2")
          .set("EMBEDDING_DIM", 768).set("JOB_ID", "j").set("LOADED_AT", Instant.now()).build()));
    }
    assertThat(cli("search", "pricing", "--warehouse=" + url), equalTo(2));
    assertThat(err(), containsString("never compared"));
  }

  @Test
  void everyCommandsHelp_documentsTheExitCodes() {
    for (String command : List.of("backfill", "incremental", "stream", "search", "demo",
        "simulate", "bench")) {
      outBytes.reset();
      assertThat(command, cli(command, "--help"), equalTo(0));
      for (ExitCode code : ExitCode.values()) {
        assertThat(command, out(), containsString(code.code() + "  " + code.meaning()));
      }
    }
    outBytes.reset();
    assertThat(cli("--help"), equalTo(0));
    assertThat(out(), containsString("4  paused on the Gong daily request budget"));
  }

  @Test
  void exitCodes_areTheDocumentedValues() {
    assertThat(List.of(ExitCode.values()).stream().map(ExitCode::code).toList(),
        equalTo(List.of(0, 1, 2, 3, 4)));
  }

  @Test
  void incrementalWhileAnotherRunHoldsTheLease_exits3() throws Exception {
    String url = "jdbc:duckdb:" + dir.resolve("lease.duckdb");
    try (Warehouse wh = Warehouse.open(url)) {
      wh.applySchema();
      wh.tryAcquireLease("gong_calls", "other-job", Duration.ofHours(1));
    }
    assertThat(cli("incremental", "--gongBaseUrl=http://127.0.0.1:1", "--from=2026-01-01",
        "--gongCredentialsFile=" + credentials(), "--warehouse=" + url), equalTo(3));
    assertThat(err(), containsString("not started"));
    assertThat(err(), containsString("other-job"));
  }

  /** Issue 10: a failed Flink job used to exit 3, which the systemd unit counts as success. */
  @Test
  void aFailedRun_exits1NotTheLeaseCode() throws Exception {
    assertThat(ExitCode.forFailure(new IllegalStateException("the FlinkRunner job ended FAILED")),
        equalTo(ExitCode.FAILED));
    assertThat(GongPipelineCli.exitCode(JobLog.Status.FAILED), equalTo(ExitCode.FAILED));
    assertThat(GongPipelineCli.exitCode(JobLog.Status.SUCCEEDED), equalTo(ExitCode.SUCCEEDED));
    // A run that fails for real (the warehouse cannot be opened) exits 1.
    java.nio.file.Files.writeString(dir.resolve("not-a-dir"), "x");
    assertThat(cli("backfill", "--gongBaseUrl=http://127.0.0.1:1", "--from=2026-01-01",
        "--to=2026-01-02", "--gongCredentialsFile=" + credentials(),
        "--warehouse=jdbc:duckdb:" + dir.resolve("not-a-dir/x.duckdb")), equalTo(1));
    assertThat(err(), containsString("failed"));
  }

  /** Issue 11 item 16: a secret in the --warehouse URL shows in no output of a failed run. */
  @Test
  void aWarehouseUrlsSecretsAreRedactedInOutputErrorsAndTheJobLog() throws Exception {
    java.nio.file.Files.writeString(dir.resolve("not-a-dir"), "x");
    String url = "jdbc:duckdb:" + dir.resolve("not-a-dir/x.duckdb") + ";Password=SECRET123";
    assertThat(cli("backfill", "--gongBaseUrl=http://127.0.0.1:1", "--from=2026-01-01",
        "--to=2026-01-02", "--gongCredentialsFile=" + credentials(), "--warehouse=" + url),
        equalTo(1));
    assertThat(out() + err(), not(containsString("SECRET123")));
    assertThat(out(), containsString(";Password=***"));
    GongPipelineOptions o = org.apache.beam.sdk.options.PipelineOptionsFactory
        .fromArgs("--warehouse=jdbc:snowflake://a.snowflakecomputing.com/?user=u&token=SECRET123")
        .as(GongPipelineOptions.class);
    assertThat(JobRun.optionsMap(o).get("warehouse"),
        equalTo("jdbc:snowflake://a.snowflakecomputing.com/?user=u&token=***"));
  }

  private Path credentials() throws Exception {
    Path file = dir.resolve("gong.properties");
    java.nio.file.Files.writeString(file, "accessKey=k\naccessKeySecret=s\n");
    return file;
  }

  @Test
  void mmss_formatsOffsets() {
    assertThat(SearchCommand.mmss(61_000), equalTo("01:01"));
    assertThat(SearchCommand.mmss(3_725_000), equalTo("62:05"));
  }
}
