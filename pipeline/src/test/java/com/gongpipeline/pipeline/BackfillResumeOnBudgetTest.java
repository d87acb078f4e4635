package com.gongpipeline.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import com.gongpipeline.gong.GongCredentials;
import com.gongpipeline.gong.sim.GongSimulator;
import com.gongpipeline.gong.sim.GroundTruth;
import com.gongpipeline.gong.sim.SimulatorConfig;
import com.gongpipeline.pipeline.options.GongPipelineOptions;
import com.gongpipeline.testing.FakeEnrichmentProvider;
import com.gongpipeline.warehouse.JobLog;
import com.gongpipeline.warehouse.Warehouse;
import com.gongpipeline.warehouse.WarehouseTable;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sliced backfill that needs about three times its daily Gong request budget, against the
 * simulator over HTTP with the production client and ledger: each run spends at most the budget,
 * records the slices it finished, pauses with exit code 4, and the next run (a new budget day)
 * resumes after them; the last run succeeds, spending near the minimum for what was left, and the
 * warehouse equals the ground truth.
 *
 * <p>A new UTC day is simulated by moving the finished run's ledger rows one day back.
 */
class BackfillResumeOnBudgetTest {
  static final Instant FROM = Instant.parse("2026-05-01T00:00:00Z");
  static final Instant TO = FROM.plus(Duration.ofDays(6));
  /** 25 calls a day in 10-id fetch batches: a slice of 25 calls is a day, 7 requests; the whole
   * window needs 6 x 7 + the directory (7) = 49 requests, about 3 budget days. */
  static final int CALLS = 150;
  static final int BUDGET = 17;
  static final int IDS_PER_REQUEST = 10;

  @TempDir Path dir;

  @Test
  void aBackfillOverThreeBudgetDaysResumesSliceBySliceAndEndsExact() throws Exception {
    long t0 = System.nanoTime();
    SimulatorConfig config = SimulatorConfig.builder()
        .seed(3).calls(CALLS).callsFrom(FROM).callsTo(TO.minus(Duration.ofHours(1)))
        .requestsPerSecond(200).build();
    String url = "jdbc:duckdb:" + dir.resolve("resume.duckdb");
    String progress = BackfillCommand.progressName(FROM, TO);
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    try (GongSimulator sim = GongSimulator.start(config)) {
      GroundTruth truth = sim.groundTruth(FROM, TO);
      List<Long> sentPerRun = new ArrayList<>();
      Instant resumedAt = FROM;
      JobRun.Summary last = null;
      for (int run = 1; run <= 8; run++) {
        long before = sim.stats().totalRequests();
        long listBefore = sim.stats().requests("GET /v2/calls", 200);
        long dirBefore = sim.stats().requests("GET /v2/users", 200)
            + sim.stats().requests("GET /v2/workspaces", 200);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        JobRun.Summary s = backfill(sim, config, url, "run-" + run, log);
        long sent = sim.stats().totalRequests() - before;
        sentPerRun.add(sent);
        System.out.printf("run %d: %s, %d requests%n%s", run, s.log().status(), sent,
            log.toString(StandardCharsets.UTF_8));
        try (Warehouse wh = Warehouse.open(url)) {
          // Never past the budget: at the simulator and in the ledger (which counted every one).
          assertThat(sent, lessThanOrEqualTo((long) BUDGET));
          assertThat(wh.gongRequestsOn(today), equalTo(sent));
          Optional<Instant> done = wh.highWaterMark(progress);
          if (s.log().status() == JobLog.Status.PAUSED_QUOTA) {
            assertThat(GongPipelineCli.exitCode(s.log().status()), equalTo(ExitCode.PAUSED_QUOTA));
            // Each paused run still finished a slice, so the mark moved and nothing before it
            // is requested again.
            assertThat("run " + run + " finished a slice", done.orElseThrow(),
                greaterThan(resumedAt));
            assertThat(done.get(), lessThan(TO));
            resumedAt = done.get();
          } else {
            assertThat(s.log().status(), equalTo(JobLog.Status.SUCCEEDED));
            assertThat(done, equalTo(Optional.of(TO)));
            // The last run: near the minimum for what it had left (the list pages it was served,
            // which re-list the slice the previous run paused in, fetches in full batches of its
            // listed calls, the directory once).
            long listed = s.metrics().get("pipeline", "calls_listed");
            long lists = sim.stats().requests("GET /v2/calls", 200) - listBefore;
            long directory = sim.stats().requests("GET /v2/users", 200)
                + sim.stats().requests("GET /v2/workspaces", 200) - dirBefore;
            long minimum = lists + 2 * ((listed + IDS_PER_REQUEST - 1) / IDS_PER_REQUEST)
                + directory;
            System.out.printf("last run: %d requests, minimum %d (%.2fx)%n", sent, minimum,
                (double) sent / minimum);
            assertThat(sent, lessThanOrEqualTo((long) Math.floor(1.2 * minimum)));
            last = s;
          }
        }
        newDay(url);
        if (last != null) {
          break;
        }
      }
      System.out.println("requests per run: " + sentPerRun);
      assertThat("about 3 budget days", sentPerRun.size(), greaterThanOrEqualTo(3));
      assertThat(last, org.hamcrest.Matchers.notNullValue());

      try (Warehouse wh = Warehouse.open(url)) {
        Set<String> expected = new HashSet<>(truth.nonPrivateCallIds());
        List<String> stg = KillMidRunRecoveryTest.strings(wh,
            "SELECT CALL_ID FROM STG_TRANSFORMED.STG_GONG_CALLS");
        assertThat("no duplicates", stg.size(), equalTo(new HashSet<>(stg).size()));
        assertThat(new HashSet<>(stg), equalTo(expected));
        assertThat(new HashSet<>(KillMidRunRecoveryTest.strings(wh,
            "SELECT CALL_ID FROM RAW.GONG_CALLS_RAW")), equalTo(expected));
        assertThat(wh.count(WarehouseTable.STG_USERS), equalTo((long) truth.users().size()));
        Set<String> withSpeech = new HashSet<>();
        for (GroundTruth.Call c : truth.calls()) {
          if (!c.isPrivate() && c.monologues().stream()
              .flatMap(mono -> mono.texts().stream()).anyMatch(t -> !t.isBlank())) {
            withSpeech.add(c.callId());
          }
        }
        assertThat(new HashSet<>(KillMidRunRecoveryTest.strings(wh,
            "SELECT DISTINCT SOURCE_ID FROM AI_MEMORY.MEMORY_RECORDS")), equalTo(withSpeech));
        // The only dead letters are the budget refusals of the paused runs.
        assertThat(KillMidRunRecoveryTest.strings(wh, "SELECT STAGE || ' ' || FAILURE_KIND FROM "
            + "OPS_MONITORING.DEAD_LETTER WHERE FAILURE_KIND <> 'RATE_LIMITED'"), empty());
      }
      System.out.printf("BackfillResumeOnBudgetTest took %.1f s%n",
          (System.nanoTime() - t0) / 1e9);
    }
  }

  static JobRun.Summary backfill(GongSimulator sim, SimulatorConfig config, String url,
      String jobId, ByteArrayOutputStream log) {
    String[] args = {"--gongBaseUrl=" + sim.baseUrl(), "--from=" + FROM, "--to=" + TO,
        "--warehouse=" + url, "--jobId=" + jobId, "--progressSeconds=0",
        "--gongRequestsPerSecond=100", "--listWindow=P1D", "--backfillSliceCalls=25",
        "--gongMaxCallIdsPerRequest=" + IDS_PER_REQUEST,
        "--gongDailyRequestBudget=" + BUDGET};
    GongPipelineOptions o = PipelineOptionsFactory.fromArgs(args).as(GongPipelineOptions.class);
    RunnerDefaults.apply(o, args);
    return BackfillCommand.run(o, GongCredentials.of(config.accessKey(), config.accessKeySecret()),
        new PrintStream(log, true, StandardCharsets.UTF_8), new FakeEnrichmentProvider());
  }

  /** A new UTC day for the ledger: every row counted today moves to yesterday. */
  static void newDay(String url) throws Exception {
    try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
      st.executeUpdate("UPDATE OPS_MONITORING.GONG_API_USAGE SET USAGE_DAY = USAGE_DAY - 1 "
          + "WHERE USAGE_DAY = CURRENT_DATE");
    }
  }
}
