package com.gongpipeline.pipeline;

import com.gongpipeline.testing.MutableClock;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.gongpipeline.gong.GongCredentials;
import com.gongpipeline.gong.sim.GongSimulator;
import com.gongpipeline.gong.sim.GroundTruth;
import com.gongpipeline.gong.sim.SimulatorConfig;
import com.gongpipeline.pipeline.options.GongPipelineOptions;
import com.gongpipeline.warehouse.JobLog;
import com.gongpipeline.warehouse.Warehouse;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Repeated {@code incremental} runs over a simulated day in which Gong publishes calls 10 minutes
 * to 6 hours after they start: every call lands exactly once, although a sync that only moves a
 * mark over the calls' start times would have lost some (the test finds those calls).
 */
class IncrementalSyncTest {
  static final Instant DAY = Instant.parse("2026-06-01T00:00:00Z");

  @TempDir Path dir;

  @Test
  void repeatedRunsOverALaggingDayCaptureEveryCallOnceAndReReadsCostNoModelCalls()
      throws Exception {
    MutableClock clock = new MutableClock(DAY.plus(Duration.ofHours(3)));
    SimulatorConfig config = SimulatorConfig.builder()
        .seed(11).calls(24).callsFrom(DAY).callsTo(DAY.plus(Duration.ofDays(1)))
        .minProcessingLag(Duration.ofMinutes(10)).maxProcessingLag(Duration.ofHours(6))
        .clock(clock).requestsPerSecond(50)
        .build();
    String url = "jdbc:duckdb:" + dir.resolve("inc.duckdb");
    List<Instant> runTimes = new ArrayList<>();
    for (int h = 3; h <= 27; h += 4) {
      runTimes.add(DAY.plus(Duration.ofHours(h)));
    }
    runTimes.add(DAY.plus(Duration.ofHours(31))); // after every call's lag has passed
    try (GongSimulator sim = GongSimulator.start(config)) {
      Instant end = DAY.plus(Duration.ofDays(1));
      // What a sync that only moves a mark over max(started) would have lost.
      Set<String> lostByStartTimeMark = new TreeSet<>();
      Instant naiveMark = DAY;
      for (Instant t : runTimes) {
        List<GroundTruth.Call> visible = sim.groundTruth(DAY, end, t).calls();
        for (GroundTruth.Call c : visible) {
          if (c.started().isBefore(naiveMark) && !c.isPrivate()) {
            lostByStartTimeMark.add(c.callId());
          }
        }
        for (GroundTruth.Call c : visible) {
          if (c.started().isAfter(naiveMark)) {
            naiveMark = c.started();
          }
        }
      }
      // The simulator really produces calls that such a sync loses.
      assertThat(lostByStartTimeMark, not(empty()));

      JobRun.Summary last = null;
      for (Instant t : runTimes) {
        clock.set(t);
        last = incremental(sim, config, url, clock);
        assertThat(last.log().status(), equalTo(JobLog.Status.SUCCEEDED));
        try (Warehouse wh = Warehouse.open(url)) {
          assertThat(wh.highWaterMark("gong_calls").orElseThrow(), equalTo(t));
        }
      }
      Set<String> expected = new HashSet<>(sim.groundTruth(DAY, end, clock.instant())
          .nonPrivateCallIds());
      try (Warehouse wh = Warehouse.open(url)) {
        List<Map<String, Object>> rows =
            wh.query("SELECT CALL_ID FROM STG_TRANSFORMED.STG_GONG_CALLS");
        Set<String> landed = new HashSet<>();
        rows.forEach(r -> landed.add((String) r.get("CALL_ID")));
        assertThat(rows.size(), equalTo(landed.size()));
        assertThat(landed, equalTo(expected));
        assertThat(landed.containsAll(lostByStartTimeMark), equalTo(true));
        assertThat(wh.query("SELECT * FROM OPS_MONITORING.DEAD_LETTER"), empty());
      }

      // Nothing new is visible. A further pass five minutes on lists only the recent window
      // and fetches nothing; one on the next day sweeps deep but re-fetches only the calls due on
      // the re-fetch schedule (fewer than it lists), and their re-reads call no model.
      clock.advance(Duration.ofMinutes(5));
      JobRun.Summary quiet = incremental(sim, config, url, clock);
      assertThat(quiet.metrics().get("pipeline", "calls_parsed"), equalTo(0L));
      clock.set(DAY.plus(Duration.ofHours(48)).plusSeconds(1));
      long stored;
      long due;
      try (Warehouse wh = Warehouse.open(url)) {
        stored = wh.count(com.gongpipeline.warehouse.WarehouseTable.STG_CALLS);
        due = ((Number) wh.query("SELECT COUNT(*) AS N FROM OPS_MONITORING.CALL_FETCH_SCHEDULE "
            + "WHERE NEXT_DUE <= ?", clock.instant()).get(0).get("N")).longValue();
      }
      assertThat(due, greaterThan(0L));
      assertThat(due, lessThan(stored));
      JobRun.Summary again = incremental(sim, config, url, clock);
      assertThat(again.metrics().get("stream", "polls"), equalTo(0L));
      assertThat(again.metrics().get("pipeline", "calls_listed"), equalTo(stored));
      assertThat(again.metrics().get("pipeline", "calls_parsed"), equalTo(due));
      assertThat(again.metrics().get("enrich", "embedding_batches"), equalTo(0L));
      assertThat(again.metrics().get("enrich", "sentiment_turns_scored"), equalTo(0L));
      assertThat(again.metrics().get("enrich", "chunks_reused"), greaterThan(0L));
    }
  }

  @Test
  void aSecondRunWhileTheLeaseIsHeldExitsWithoutTouchingAnything() throws Exception {
    MutableClock clock = new MutableClock(DAY.plus(Duration.ofHours(30)));
    SimulatorConfig config = SimulatorConfig.builder()
        .seed(3).calls(4).callsFrom(DAY).callsTo(DAY.plus(Duration.ofDays(1))).clock(clock)
        .build();
    String url = "jdbc:duckdb:" + dir.resolve("lease.duckdb");
    try (GongSimulator sim = GongSimulator.start(config)) {
      try (Warehouse wh = Warehouse.open(url)) {
        wh.applySchema();
        assertThat(wh.tryAcquireLease("gong_calls", "other-job", Duration.ofHours(1)).isPresent(),
            equalTo(true));
      }
      LeaseHeldException refused = assertThrows(LeaseHeldException.class,
          () -> incremental(sim, config, url, clock));
      assertThat(refused.getMessage(), containsString("other-job"));
      try (Warehouse wh = Warehouse.open(url)) {
        assertThat(wh.count(com.gongpipeline.warehouse.WarehouseTable.STG_CALLS), equalTo(0L));
        assertThat(wh.highWaterMark("gong_calls").isPresent(), equalTo(false));
        wh.releaseLease("gong_calls", "other-job");
      }
      JobRun.Summary ok = incremental(sim, config, url, clock);
      assertThat(ok.log().status(), equalTo(JobLog.Status.SUCCEEDED));
      try (Warehouse wh = Warehouse.open(url)) {
        assertThat(wh.count(com.gongpipeline.warehouse.WarehouseTable.STG_CALLS),
            equalTo((long) sim.groundTruth(DAY, DAY.plus(Duration.ofDays(1)), clock.instant())
                .nonPrivateCallIds().size()));
        // The lease was released at the end of the run.
        assertThat(wh.query("SELECT * FROM OPS_MONITORING.SYNC_LEASE"), empty());
      }
      // A reconciliation backfill of an older window re-writes idempotently and leaves the mark.
      Map<String, Long> before;
      try (Warehouse wh = Warehouse.open(url)) {
        before = wh.tableCounts();
      }
      GongPipelineOptions b = PipelineOptionsFactory.fromArgs(
              "--gongBaseUrl=" + sim.baseUrl(), "--from=" + DAY,
              "--to=" + DAY.plus(Duration.ofDays(1)), "--warehouse=" + url,
              "--gongRequestsPerSecond=40", "--progressSeconds=0")
          .as(GongPipelineOptions.class);
      BackfillCommand.run(b, GongCredentials.of(config.accessKey(), config.accessKeySecret()),
          new PrintStream(new ByteArrayOutputStream()));
      try (Warehouse wh = Warehouse.open(url)) {
        assertThat(wh.highWaterMark("gong_calls").orElseThrow(), equalTo(clock.instant()));
        Map<String, Long> after = new java.util.HashMap<>(wh.tableCounts());
        Map<String, Long> expectedCounts = new java.util.HashMap<>(before);
        expectedCounts.merge("OPS_MONITORING.ETL_JOB_LOGS", 1L, Long::sum);
        // ... and its progress row ('backfill <from>/<to>', BackfillKillResumeTest checks it).
        expectedCounts.merge("OPS_MONITORING.SYNC_STATE", 1L, Long::sum);
        // The request ledger gains the backfill's own rows (GongBudgetPauseTest checks them).
        expectedCounts.put("OPS_MONITORING.GONG_API_USAGE", after.get("OPS_MONITORING.GONG_API_USAGE"));
        assertThat(after, equalTo(expectedCounts));
      }
    }
  }

  static JobRun.Summary incremental(GongSimulator sim, SimulatorConfig config, String url,
      MutableClock clock) {
    GongPipelineOptions o = PipelineOptionsFactory.fromArgs(
            "--gongBaseUrl=" + sim.baseUrl(), "--from=" + DAY, "--lookback=P1D",
            "--warehouse=" + url, "--gongRequestsPerSecond=40", "--progressSeconds=0",
            "--listWindow=PT6H")
        .as(GongPipelineOptions.class);
    return IncrementalCommand.run(o,
        GongCredentials.of(config.accessKey(), config.accessKeySecret()),
        new PrintStream(new ByteArrayOutputStream()), clock);
  }
}
