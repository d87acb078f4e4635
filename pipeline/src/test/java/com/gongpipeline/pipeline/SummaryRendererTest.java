package com.gongpipeline.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.gongpipeline.warehouse.JobLog;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The one summary of demo / backfill / incremental / stream, for people and for cron. */
class SummaryRendererTest {
  static final Instant START = Instant.parse("2026-12-03T07:00:00Z");

  static JobRun.Summary summary(JobLog.Status status, String error, Map<String, Long> counters) {
    Map<String, Long> tables = new TreeMap<>(Map.of("AI_MEMORY.MEMORY_RECORDS", 400L,
        "STG_TRANSFORMED.STG_GONG_CALLS", 30L, "OPS_MONITORING.ETL_JOB_LOGS", 3L));
    JobLog log = JobLog.builder("backfill-x", "backfill", START).runner("DirectRunner")
        .window(START.minus(Duration.ofDays(30)), START)
        .finish(status, START.plusSeconds(40)).durationMs(40_000L)
        .callsProcessed(30).chunksProcessed(400).apiRequests(90).apiRetries(3).apiRateLimited(1)
        .deadLetters(2).tableCounts(tables)
        .rowsWritten(Map.of("AI_MEMORY.MEMORY_RECORDS", 400L)).errorMessage(error).build();
    return new JobRun.Summary(log, JobMetrics.of(counters), Duration.ofSeconds(40));
  }

  static String human(JobRun.Summary s) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    SummaryRenderer.printHuman(s, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void human_statusThroughputApiDeadLettersAndTables_noMapRendering() {
    String text = human(summary(JobLog.Status.SUCCEEDED, null,
        Map.of("pipeline:pii_redactions", 5L)));
    assertThat(text, containsString(
        "Job backfill-x SUCCEEDED: 30 calls, 400 chunks in 40.0 s, 2 dead letters, exit 0"));
    assertThat(text, containsString("throughput:   0.75 calls/s, 10.0 chunks/s"));
    assertThat(text, containsString("Gong API:     90 requests (3000 per 1000 calls), 3 retries, "
        + "1 rate-limited (429)"));
    assertThat(text, containsString("dead letters: 2, PII redactions: 5"));
    assertThat(text, containsString("merged by this run"));
    assertThat(text.matches("(?s).*AI_MEMORY.MEMORY_RECORDS +400 +400\\n.*"), equalTo(true));
    // A table this run merged nothing into shows 0 merged (the runner reported metrics).
    assertThat(text.matches("(?s).*STG_TRANSFORMED.STG_GONG_CALLS +30 +0\\n.*"), equalTo(true));
    // The job log is written by the launcher, not merged by the pipeline: no figure, not 0.
    assertThat(text.matches("(?s).*OPS_MONITORING.ETL_JOB_LOGS +3\\n.*"), equalTo(true));
    assertThat(text, not(containsString("{")));
    assertThat(text, not(containsString("=")));
  }

  @Test
  void human_pausedOnQuota_showsWhatIsLeftAndExit4() {
    String text = human(summary(JobLog.Status.PAUSED_QUOTA, "paused on the Gong daily request "
        + "budget: 2 sub-window(s) not listed", Map.of()));
    assertThat(text, containsString("PAUSED_QUOTA: 30 calls"));
    assertThat(text, containsString("exit 4"));
    assertThat(text, containsString("note:         paused on the Gong daily request budget"));
  }

  @Test
  void human_withoutRunnerMetrics_doesNotClaimZeroMerged() {
    JobRun.Summary s = summary(JobLog.Status.SUCCEEDED, null, Map.of());
    JobLog detached = s.log().toBuilder().rowsWritten(Map.of()).build();
    String text = human(new JobRun.Summary(detached, s.metrics(), s.elapsed()));
    assertThat(text, not(containsString("merged by this run")));
    assertThat(text.matches("(?s).*STG_TRANSFORMED.STG_GONG_CALLS +30\\n.*"), equalTo(true));
  }

  @Test
  void json_isOneLineWithTheDocumentedFields() throws Exception {
    String line = SummaryRenderer.json(summary(JobLog.Status.SUCCEEDED, null, Map.of()));
    assertThat(line.contains("\n"), equalTo(false));
    JsonNode o = new ObjectMapper().readTree(line);
    assertThat(o.get("job_id").asText(), equalTo("backfill-x"));
    assertThat(o.get("status").asText(), equalTo("SUCCEEDED"));
    assertThat(o.get("exit_code").asInt(), equalTo(0));
    assertThat(o.get("duration_s").asDouble(), equalTo(40.0));
    assertThat(o.get("calls_per_s").asDouble(), equalTo(0.75));
    assertThat(o.get("chunks_per_s").asDouble(), equalTo(10.0));
    assertThat(o.get("gong_requests").asLong(), equalTo(90L));
    assertThat(o.get("gong_retries").asLong(), equalTo(3L));
    assertThat(o.get("gong_429").asLong(), equalTo(1L));
    assertThat(o.get("dead_letters").asLong(), equalTo(2L));
    assertThat(o.at("/tables/STG_TRANSFORMED.STG_GONG_CALLS").asLong(), equalTo(30L));
    assertThat(o.at("/rows_merged/AI_MEMORY.MEMORY_RECORDS").asLong(), equalTo(400L));
    assertThat(o.get("window_from").asText(), equalTo("2026-11-03T07:00:00Z"));
  }

  @Test
  void failureJson_namesTheExitCodeAndRedactsTheError() throws Exception {
    JsonNode o = new ObjectMapper().readTree(SummaryRenderer.failureJson("incremental",
        ExitCode.FAILED, "cannot open jdbc:snowflake://a/?user=u&password=SECRET9"));
    assertThat(o.get("status").asText(), equalTo("FAILED"));
    assertThat(o.get("exit_code").asInt(), equalTo(1));
    assertThat(o.get("error").asText(), not(containsString("SECRET9")));
  }

  @Test
  void progressGoesToTheLogOnlyWhenTheLogIsAFile() {
    assertThat(ProgressReporter.isAFile(null), equalTo(false));
    assertThat(ProgressReporter.isAFile("System.err"), equalTo(false));
    assertThat(ProgressReporter.isAFile("System.out"), equalTo(false));
    assertThat(ProgressReporter.isAFile("/var/log/gong-sync.log"), equalTo(true));
    // The job jar's simplelogger.properties logs to stderr: the terminal, where progress is.
    assertThat(ProgressReporter.isAFile(ProgressReporter.logTarget()), equalTo(false));
  }
}
