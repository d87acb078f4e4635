package com.gongpipeline.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;

import com.gongpipeline.gong.GongCredentials;
import com.gongpipeline.gong.sim.GongSimulator;
import com.gongpipeline.gong.sim.GroundTruth;
import com.gongpipeline.gong.sim.SimulatorConfig;
import com.gongpipeline.gong.sim.SimulatorStats;
import com.gongpipeline.pipeline.options.GongPipelineOptions;
import com.gongpipeline.testing.MutableClock;
import com.gongpipeline.warehouse.JobLog;
import com.gongpipeline.warehouse.Warehouse;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The polling planner end to end: {@code stream} against a quiet tenant with a long lookback
 * (P3D). Steady-state polls make only the recent-window list request (no fetches: every listed
 * call is stored and not due), sweeps of the lookback come at {@code --sweepInterval}, and calls
 * that Gong "releases" mid-run although they started hours ago (outside the recent window) arrive
 * by the next sweep. The simulator's clock stands 30 h behind until the release, so the calls of
 * the last 30 h are not visible before it.
 */
class StreamPollingPlanEndToEndTest {
  static final Duration RECENT = Duration.ofHours(1);
  static final Duration SWEEP = Duration.ofSeconds(15);

  @TempDir Path dir;

  @Test
  void quietTenantLongLookback_pollsListOnlyTheRecentWindowAndLateCallsArriveByTheNextSweep()
      throws Exception {
    long t0 = System.nanoTime();
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    Instant from = now.minus(Duration.ofDays(3));
    MutableClock simClock = new MutableClock(now.minus(Duration.ofHours(30)));
    SimulatorConfig config = SimulatorConfig.builder()
        .seed(41).calls(8).callsFrom(from.plus(Duration.ofHours(1)))
        .callsTo(now.minus(Duration.ofHours(2)))
        .minProcessingLag(Duration.ofMinutes(1)).maxProcessingLag(Duration.ofMinutes(1))
        .requestsPerSecond(50).clock(simClock)
        .build();
    String url = "jdbc:duckdb:" + dir.resolve("plan.duckdb");
    try (GongSimulator sim = GongSimulator.start(config)) {
      Set<String> early = new TreeSet<>(sim.groundTruth(from, now).nonPrivateCallIds());
      GroundTruth all = sim.groundTruth(from, now, now.plus(Duration.ofHours(1)));
      Set<String> late = new TreeSet<>(all.nonPrivateCallIds());
      late.removeAll(early);
      assertThat("some calls are visible from the start", early, not(empty()));
      assertThat("some calls are released mid-run", late, not(empty()));
      for (GroundTruth.Call c : all.calls()) {
        if (late.contains(c.callId())) {
          // Started before any recent window of the run: only a sweep can list them.
          assertThat(c.started().isBefore(now.minus(RECENT)), equalTo(true));
        }
      }

      // Release the late calls once the stream has polled a few times (first sweep + recents).
      AtomicLong listsAtRelease = new AtomicLong(-1);
      Thread releaser = new Thread(() -> {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
          long lists = sim.stats().requestsTo("GET /v2/calls");
          if (lists >= 10) {
            listsAtRelease.set(lists);
            simClock.set(Instant.now().plus(Duration.ofHours(1)));
            return;
          }
          try {
            Thread.sleep(100);
          } catch (InterruptedException e) {
            return;
          }
        }
      });
      releaser.setDaemon(true);
      releaser.start();

      String[] args = {"--gongBaseUrl=" + sim.baseUrl(), "--warehouse=" + url,
          "--from=" + from, "--lookback=P3D", "--recentWindow=" + RECENT,
          "--sweepInterval=" + SWEEP, "--pollInterval=PT2S", "--runFor=PT60S",
          "--earlyFiringDelay=PT1S", "--progressSeconds=0", "--gongRequestsPerSecond=40",
          "--writeMaxBufferingSeconds=1"};
      GongPipelineOptions o = PipelineOptionsFactory.fromArgs(args).as(GongPipelineOptions.class);
      RunnerDefaults.apply(o, args);
      JobRun.Summary s = StreamCommand.run(o,
          GongCredentials.of(config.accessKey(), config.accessKeySecret()),
          new PrintStream(new ByteArrayOutputStream()));
      releaser.join(1_000);
      assertThat(s.log().status(), equalTo(JobLog.Status.SUCCEEDED));
      assertThat("released mid-run", listsAtRelease.get(), greaterThan(0L));

      JobMetrics m = s.metrics();
      long recent = m.get("stream", "polls_recent");
      long sweeps = m.get("stream", "polls_sweep") + m.get("stream", "polls_deep_sweep");
      SimulatorStats served = sim.stats();
      long lists = served.requestsTo("GET /v2/calls");
      long details = served.requestsTo("POST /v2/calls/extensive");
      long transcripts = served.requestsTo("POST /v2/calls/transcript");
      System.out.printf("planner stream: %d recent polls, %d sweeps; requests: %d list, %d details,"
              + " %d transcripts; fetch plan: new %d, not due %d, not stored %d; released after %d"
              + " list requests; test took %.1f s%n", recent, sweeps, lists, details, transcripts,
          m.get("pipeline", "fetch_plan_new"), m.get("pipeline", "fetch_plan_not_due"),
          m.get("pipeline", "fetch_plan_not_stored"), listsAtRelease.get(),
          (System.nanoTime() - t0) / 1e9);
      assertThat(recent, greaterThanOrEqualTo(10L));
      assertThat("sweeps after the release", sweeps, greaterThanOrEqualTo(2L));
      // Every listing ends now and no listing starts before --from: a sweep (of the 3-day
      // lookback) is four one-day sub-windows, a recent poll one; the quiet tenant fills one
      // page each. So the list requests are exactly one per recent poll plus four per sweep.
      assertThat(lists, equalTo(recent + 4 * sweeps));
      // Fetches only for the first sweep's calls and the released ones: most polls fetched
      // nothing (each fetch is one details and one transcript page for these few calls).
      assertThat(details, lessThanOrEqualTo(6L));
      assertThat(transcripts, lessThanOrEqualTo(6L));
      assertThat(m.get("pipeline", "fetch_plan_not_due"), greaterThan(0L));
      assertThat(m.get("pipeline", "fetch_plan_new"), equalTo((long) early.size() + late.size()));

      // Every call landed, the released ones included.
      Set<String> expected = new HashSet<>(all.nonPrivateCallIds());
      try (Warehouse wh = Warehouse.open(url)) {
        Set<String> landed = new HashSet<>();
        wh.query("SELECT CALL_ID FROM STG_TRANSFORMED.STG_GONG_CALLS")
            .forEach(r -> landed.add((String) r.get("CALL_ID")));
        assertThat(landed, equalTo(expected));
        assertThat(wh.query("SELECT CALL_ID FROM OPS_MONITORING.CALL_FETCH_SCHEDULE").size(),
            equalTo(expected.size()));
      }
    }
  }
}
