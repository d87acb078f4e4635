package com.gongpipeline.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import com.gongpipeline.gong.GongCredentials;
import com.gongpipeline.gong.sim.GongSimulator;
import com.gongpipeline.gong.sim.SimulatorConfig;
import com.gongpipeline.pipeline.options.GongPipelineOptions;
import com.gongpipeline.model.TimeWindow;
import com.gongpipeline.testing.FakeEnrichmentProvider;
import com.gongpipeline.testing.MutableClock;
import com.gongpipeline.warehouse.JobLog;
import com.gongpipeline.warehouse.Warehouse;
import com.gongpipeline.warehouse.WarehouseTable;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backfill that needs more Gong requests than the daily budget allows, against the simulator
 * over HTTP: it stops fetching at the budget, writes what it fetched, logs PAUSED_QUOTA and exits
 * 4; the ledger equals what the simulator received; a second run the same day sends nothing; an
 * incremental in that state does not move its mark.
 */
class GongBudgetPauseTest {
  static final Instant DAY = Instant.parse("2026-06-01T00:00:00Z");
  /** 4 one-day sub-windows of ~10 calls: 4 lists, 2 user pages, 1 workspaces, 8 fetches = 15. */
  static final int BUDGET = 10;

  @TempDir Path dir;

  @Test
  void aBackfillOverItsBudgetPausesWithEverythingFetchedWrittenAndTheLedgerExact()
      throws Exception {
    MutableClock simClock = new MutableClock(DAY.plus(Duration.ofDays(10)));
    SimulatorConfig config = SimulatorConfig.builder()
        .seed(5).calls(40).callsFrom(DAY).callsTo(DAY.plus(Duration.ofDays(4)))
        .clock(simClock).requestsPerSecond(50).build();
    String url = "jdbc:duckdb:" + dir.resolve("budget.duckdb");
    GongCredentials credentials = GongCredentials.of(config.accessKey(), config.accessKeySecret());
    try (GongSimulator sim = GongSimulator.start(config)) {
      // The production graph and seams (HTTP client + ledger), with a fake model for speed.
      GongPipelineOptions o = options(sim, url, "--gongDailyRequestBudget=" + BUDGET);
      org.apache.beam.sdk.Pipeline p = org.apache.beam.sdk.Pipeline.create(o);
      GongBackfill.buildPipeline(p, o,
          GongBackfill.Seams.of(GongBackfill.gongConfig(o, credentials), o, "budget-1"),
          new FakeEnrichmentProvider(), new TimeWindow(DAY, DAY.plus(Duration.ofDays(4))),
          "budget-1");
      JobRun.Summary first = JobRun.run(p, o, "budget-1", "backfill", DAY,
          DAY.plus(Duration.ofDays(4)), new PrintStream(new ByteArrayOutputStream()));
      LocalDate today = LocalDate.now(ZoneOffset.UTC);
      long sent = sim.stats().totalRequests();

      assertThat(first.log().status(), equalTo(JobLog.Status.PAUSED_QUOTA));
      assertThat(GongPipelineCli.exitCode(first.log().status()), equalTo(ExitCode.PAUSED_QUOTA));
      assertThat(first.log().errorMessage(), containsString("not fetched"));
      long fetched = first.metrics().get("pipeline", "calls_fetched");
      try (Warehouse wh = Warehouse.open(url)) {
        assertThat(wh.findJob("budget-1").orElseThrow().status(),
            equalTo(JobLog.Status.PAUSED_QUOTA));
        // The ledger counted every request the simulator received, and no more than the budget.
        assertThat(sent, lessThanOrEqualTo((long) BUDGET));
        assertThat(wh.gongRequestsOn(today), equalTo(sent));
        // Everything fetched before the stop is written.
        assertThat(wh.count(WarehouseTable.STG_CALLS), equalTo(fetched));
        assertThat(wh.query("SELECT * FROM OPS_MONITORING.DEAD_LETTER WHERE JOB_ID = 'budget-1' "
            + "AND FAILURE_KIND = 'RATE_LIMITED'").size(), greaterThan(0));
      }

      // A second run the same day pauses at once without sending a request (through the CLI).
      Path credFile = dir.resolve("gong.properties");
      Files.writeString(credFile, "accessKey=" + config.accessKey() + "\naccessKeySecret="
          + config.accessKeySecret() + "\n");
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int code = GongPipelineCli.run(new String[] {"backfill", "--gongBaseUrl=" + sim.baseUrl(),
          "--gongCredentialsFile=" + credFile, "--warehouse=" + url, "--progressSeconds=0",
          "--gongDailyRequestBudget=" + BUDGET, "--listWindow=P1D", "--from=" + DAY,
          "--to=" + DAY.plus(Duration.ofDays(4))},
          new PrintStream(out, true, StandardCharsets.UTF_8),
          new PrintStream(new ByteArrayOutputStream()));
      assertThat(out.toString(StandardCharsets.UTF_8), code, equalTo(4));
      assertThat(out.toString(StandardCharsets.UTF_8), containsString("PAUSED_QUOTA"));
      assertThat(sim.stats().totalRequests(), equalTo(sent));

      // An incremental in that state reads nothing and does not move its mark.
      MutableClock clock = new MutableClock(DAY.plus(Duration.ofDays(4)));
      JobRun.Summary inc = IncrementalCommand.run(options(sim, url, "--jobId=budget-inc",
              "--gongDailyRequestBudget=" + BUDGET,
              "--from=" + DAY, "--lookback=P1D"), credentials,
          new PrintStream(new ByteArrayOutputStream()), clock);
      assertThat(inc.log().status(), equalTo(JobLog.Status.PAUSED_QUOTA));
      assertThat(sim.stats().totalRequests(), equalTo(sent));
      try (Warehouse wh = Warehouse.open(url)) {
        assertThat(wh.highWaterMark("gong_calls").isPresent(), equalTo(false));
        assertThat(wh.gongRequestsOn(today), equalTo(sent));
      }
    }
  }

  /** Gong's own daily quota (429 with a Retry-After beyond maxRetryAfter) pauses the same way. */
  @Test
  void gongsOwnDailyQuotaPausesTheRunToo() throws Exception {
    MutableClock simClock = new MutableClock(DAY.plus(Duration.ofDays(10)).plus(Duration.ofHours(9)));
    SimulatorConfig config = SimulatorConfig.builder()
        .seed(5).calls(40).callsFrom(DAY).callsTo(DAY.plus(Duration.ofDays(4)))
        .clock(simClock).requestsPerSecond(50).dailyQuota(6).build();
    String url = "jdbc:duckdb:" + dir.resolve("quota.duckdb");
    GongCredentials credentials = GongCredentials.of(config.accessKey(), config.accessKeySecret());
    try (GongSimulator sim = GongSimulator.start(config)) {
      GongPipelineOptions o = options(sim, url, "--gongDailyRequestBudget=8000");
      org.apache.beam.sdk.Pipeline p = org.apache.beam.sdk.Pipeline.create(o);
      GongBackfill.buildPipeline(p, o,
          GongBackfill.Seams.of(GongBackfill.gongConfig(o, credentials), o, "quota-1"),
          new FakeEnrichmentProvider(), new TimeWindow(DAY, DAY.plus(Duration.ofDays(4))),
          "quota-1");
      JobRun.Summary run = JobRun.run(p, o, "quota-1", "backfill", DAY,
          DAY.plus(Duration.ofDays(4)), new PrintStream(new ByteArrayOutputStream()));
      assertThat(run.log().status(), equalTo(JobLog.Status.PAUSED_QUOTA));
      assertThat(sim.stats().tooManyRequests(), greaterThan(0L));
      try (Warehouse wh = Warehouse.open(url)) {
        // The refused requests reached Gong, so they are counted too.
        assertThat(wh.gongRequestsOn(LocalDate.now(ZoneOffset.UTC)),
            equalTo(sim.stats().totalRequests()));
        assertThat(wh.count(WarehouseTable.STG_CALLS),
            equalTo(run.metrics().get("pipeline", "calls_fetched")));
      }
    }
  }

  private static GongPipelineOptions options(GongSimulator sim, String url, String... more) {
    String[] base = {"--gongBaseUrl=" + sim.baseUrl(), "--warehouse=" + url,
        "--gongRequestsPerSecond=40", "--progressSeconds=0", "--listWindow=P1D"};
    String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return PipelineOptionsFactory.fromArgs(all).as(GongPipelineOptions.class);
  }
}
