package com.gongpipeline.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

import com.gongpipeline.gong.GongCredentials;
import com.gongpipeline.gong.sim.GongSimulator;
import com.gongpipeline.gong.sim.SimulatorConfig;
import com.gongpipeline.pipeline.options.GongPipelineOptions;
import com.gongpipeline.testing.MutableClock;
import com.gongpipeline.warehouse.Warehouse;
import com.gongpipeline.warehouse.WarehouseRow;
import com.gongpipeline.warehouse.WarehouseTable;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end against the simulator: a call whose fetch fails in a {@code backfill} is queued in
 * OPS_MONITORING.RETRY_QUEUE (as {@code incremental} queues it), counted as given up at {@code
 * --maxCallAttempts}, and fetched first by a later backfill of another window once it is due.
 */
class BackfillRetryQueueTest {
  private static final Instant DAY = Instant.parse("2026-06-01T00:00:00Z");

  @TempDir Path dir;

  @Test
  void aCallThatFailsInABackfillIsQueuedGivenUpAndFetchedByALaterRun() throws Exception {
    MutableClock clock = new MutableClock(DAY.plus(Duration.ofDays(3)));
    SimulatorConfig config = SimulatorConfig.builder()
        .seed(5).calls(4).callsFrom(DAY).callsTo(DAY.plus(Duration.ofDays(1)))
        .clock(clock).requestsPerSecond(50).build();
    String url = "jdbc:duckdb:" + dir.resolve("backfill-retry.duckdb");
    try (GongSimulator sim = GongSimulator.start(config)) {
      List<String> ids = new ArrayList<>(new TreeSet<>(
          sim.groundTruth(DAY, DAY.plus(Duration.ofDays(1))).nonPrivateCallIds()));
      assertThat(ids.size(), greaterThan(1));
      String poison = ids.get(0);
      sim.poisonCall(poison, true);

      // Run 1: the poison call fails alone and is queued with its error.
      backfill(sim, config, url, DAY, DAY.plus(Duration.ofDays(1)));
      assertThat(stgCallIds(url), equalTo(new TreeSet<>(ids.subList(1, ids.size()))));
      assertThat(queue(url), equalTo(Map.of(poison, 1)));
      RetryQueue.Entry entry = entries(url).get(poison);
      assertThat(entry.stage(), equalTo("fetch_calls"));
      assertThat(entry.nextAttemptAt().isAfter(entry.firstFailedAt()), equalTo(true));

      // Run 2 (the window is re-read: its progress stayed before the failure): the second
      // failure reaches --maxCallAttempts=2 and is counted as given up; it stays queued.
      JobRun.Summary second = backfill(sim, config, url, DAY, DAY.plus(Duration.ofDays(1)));
      assertThat(queue(url), equalTo(Map.of(poison, 2)));
      assertThat(second.log().errorMessage(),
          containsString("1 call(s) reached --maxCallAttempts=2 and are given up"));

      // Run 3: fixed and due; a backfill of a later, empty window fetches it from the queue.
      sim.poisonCall(poison, false);
      makeDue(url, poison);
      backfill(sim, config, url, DAY.plus(Duration.ofDays(1)), DAY.plus(Duration.ofDays(2)));
      assertThat(stgCallIds(url), equalTo(new TreeSet<>(ids)));
      assertThat(queue(url), equalTo(Map.of()));
    }
  }

  private static JobRun.Summary backfill(GongSimulator sim, SimulatorConfig config, String url,
      Instant from, Instant to) {
    GongPipelineOptions o = PipelineOptionsFactory.fromArgs(
            "--gongBaseUrl=" + sim.baseUrl(), "--from=" + from, "--to=" + to,
            "--warehouse=" + url, "--gongRequestsPerSecond=40", "--progressSeconds=0",
            "--gongMaxAttempts=1", "--maxCallAttempts=2")
        .as(GongPipelineOptions.class);
    return BackfillCommand.run(o, GongCredentials.of(config.accessKey(),
        config.accessKeySecret()), new PrintStream(new ByteArrayOutputStream()));
  }

  private static void makeDue(String url, String callId) {
    try (Warehouse wh = Warehouse.open(url)) {
      RetryQueue.Entry e = RetryQueue.load(wh).get(callId);
      wh.merge(WarehouseTable.RETRY_QUEUE, List.of(WarehouseRow.of(WarehouseTable.RETRY_QUEUE)
          .set("CALL_ID", callId).set("STAGE", e.stage()).set("ATTEMPTS", e.attempts())
          .set("LAST_ERROR", e.lastError()).set("FAILURE_KIND", e.failureKind())
          .set("FIRST_FAILED_AT", e.firstFailedAt())
          .set("NEXT_ATTEMPT_AT", Instant.now().minusSeconds(60))
          .set("JOB_ID", "test").set("LOADED_AT", Instant.now()).build()));
    }
  }

  private static Set<String> stgCallIds(String url) {
    try (Warehouse wh = Warehouse.open(url)) {
      Set<String> out = new TreeSet<>();
      wh.query("SELECT CALL_ID FROM STG_TRANSFORMED.STG_GONG_CALLS")
          .forEach(r -> out.add((String) r.get("CALL_ID")));
      return out;
    }
  }

  private static Map<String, RetryQueue.Entry> entries(String url) {
    try (Warehouse wh = Warehouse.open(url)) {
      return RetryQueue.load(wh);
    }
  }

  private static Map<String, Integer> queue(String url) {
    Map<String, Integer> out = new TreeMap<>();
    entries(url).forEach((id, e) -> out.put(id, e.attempts()));
    return out;
  }
}
