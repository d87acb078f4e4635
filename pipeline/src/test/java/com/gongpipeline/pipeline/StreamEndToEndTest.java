package com.gongpipeline.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.fail;

import com.gongpipeline.gong.GongCredentials;
import com.gongpipeline.gong.sim.GongSimulator;
import com.gongpipeline.gong.sim.GroundTruth;
import com.gongpipeline.gong.sim.SimulatorConfig;
import com.gongpipeline.pipeline.options.GongPipelineOptions;
import com.gongpipeline.warehouse.DuckDbWarehouse;
import com.gongpipeline.warehouse.JobLog;
import com.gongpipeline.warehouse.Warehouse;
import com.gongpipeline.warehouse.WarehouseTable;
import com.gongpipeline.testing.ChildJvm;
import com.gongpipeline.testing.ChildJvms;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The unbounded {@code stream} command end to end against a simulated tenant on the real clock:
 *
 * <ol>
 *   <li>calls keep being created (and become visible a few seconds after they start) while the
 *       stream polls every 3 s, re-reading a 30-minute lookback each time: every call lands once,
 *       its chunks are embedded, the read position is recorded, and the job is SUCCEEDED when
 *       {@code --runFor} ends it. Freshness (first chunk loaded − call visible in the API) is
 *       printed per run;
 *   <li>the CLI {@code stream} (no {@code --runFor}) in its own JVM is sent SIGTERM once it has
 *       committed call data: it exits promptly, the job row says STOPPED with FINISHED_AT, no
 *       lease is left; rows still buffered for a MERGE are lost with the JVM, so restarting the
 *       stream (which resumes at the recorded read position minus the lookback) must complete
 *       them, and a backfill over the same window afterwards still equals the ground truth.
 * </ol>
 */
class StreamEndToEndTest {
  static final Duration POLL = Duration.ofSeconds(3);
  static final Duration MIN_LAG = Duration.ofSeconds(2);
  static final Duration MAX_LAG = Duration.ofSeconds(12);
  /** Generous allowance for fetch + parse + chunk + embed + MERGE of a fresh call. */
  static final Duration PROCESSING_ALLOWANCE = Duration.ofSeconds(60);
  static final Pattern STREAM_LINE = Pattern.compile("^Stream (\\S+): polling");
  /** The stream's progress line: polls, calls processed, chunks embedded. */
  static final Pattern PROGRESS = Pattern.compile(
      "calls processed (\\d+) .*\\| chunks embedded (\\d+),");
  static final String MEMORY = "AI_MEMORY.MEMORY_RECORDS";
  static final String STG_CALLS = "STG_TRANSFORMED.STG_GONG_CALLS";
  static final Pattern MERGED = Pattern.compile(
      "Merged \\d+ rows into (\\S+) in \\d+ ms: MergeResult\\[inserted=(\\d+)");

  @TempDir Path dir;
  @RegisterExtension final ChildJvms children = new ChildJvms();

  @Test
  void givenATenantThatKeepsCreatingCalls_everyCallArrivesOnce() throws Exception {
    long t0 = System.nanoTime();
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    Instant from = now.minus(Duration.ofSeconds(150));
    Instant to = now.plus(Duration.ofSeconds(50));
    SimulatorConfig config = SimulatorConfig.builder()
        .seed(31).calls(14).callsFrom(from).callsTo(to)
        .minProcessingLag(MIN_LAG).maxProcessingLag(MAX_LAG)
        .requestsPerSecond(50)
        .build();
    String url = "jdbc:duckdb:" + dir.resolve("stream.duckdb");

    try (GongSimulator sim = GongSimulator.start(config)) {
      // Every call of the catalogue, and when the API first shows it (start + its lag).
      GroundTruth all = sim.groundTruth(from, to, to.plus(MAX_LAG).plusSeconds(1));
      Map<String, Instant> visibleAt = new TreeMap<>();
      for (GroundTruth.Call c : all.calls()) {
        visibleAt.put(c.callId(), visibility(sim, c));
      }
      Instant lastVisible = Collections.max(visibleAt.values());
      Instant streamStart = Instant.now();
      long appearLater = visibleAt.entrySet().stream()
          .filter(e -> e.getValue().isAfter(streamStart) && !all.call(e.getKey()).isPrivate())
          .count();
      assertThat("calls must keep appearing while the stream runs", appearLater,
          greaterThanOrEqualTo(2L));
      Duration runFor = Duration.between(streamStart, lastVisible).plusSeconds(30)
          .truncatedTo(ChronoUnit.SECONDS);
      System.out.printf("stream: %d calls (%d non-private), %d become visible after the stream "
              + "starts, last at %s; runFor %s%n", all.calls().size(),
          all.nonPrivateCallIds().size(), appearLater, lastVisible, runFor);

      String[] args = {"--gongBaseUrl=" + sim.baseUrl(), "--warehouse=" + url,
          "--pollInterval=" + POLL, "--lookback=PT30M", "--runFor=" + runFor,
          "--earlyFiringDelay=PT2S", "--listWindow=PT1H", "--progressSeconds=0",
          "--from=" + from, "--gongRequestsPerSecond=40"};
      GongPipelineOptions o = PipelineOptionsFactory.fromArgs(args).as(GongPipelineOptions.class);
      RunnerDefaults.apply(o, args);
      ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
      JobRun.Summary s = StreamCommand.run(o,
          GongCredentials.of(config.accessKey(), config.accessKeySecret()),
          new PrintStream(outBytes, true));
      Instant returned = Instant.now();
      System.out.print(outBytes);

      // Ground truth as of now: every call of the catalogue is visible by now.
      GroundTruth truth = sim.groundTruth(from, to, Instant.now());
      assertThat(truth.callIds(), equalTo(all.callIds()));
      Set<String> expectedIds = new HashSet<>(truth.nonPrivateCallIds());
      assertThat(s.log().status(), equalTo(JobLog.Status.SUCCEEDED));
      // Polled many times over the same lookback, but each call went through the write path once.
      long polls = s.metrics().get("stream", "polls");
      System.out.printf("stream metrics: polls %d, duplicates dropped %d, in flight %d, versions "
              + "changed %d, calls parsed %d, chunks embedded %d, Gong requests %d%n", polls,
          s.metrics().get("stream", "duplicates_dropped"),
          s.metrics().get("pipeline", "fetch_plan_in_flight"),
          s.metrics().get("stream", "versions_changed"),
          s.metrics().get("pipeline", "calls_parsed"),
          s.metrics().get("enrich", "chunks_embedded"), s.metrics().gongRequests());
      assertThat(polls, greaterThan(5L));
      // The polls re-read calls: one listed again while its fetch was under way is not fetched
      // again (fetch_plan_in_flight); one fetched again anyway is dropped by dedup.
      assertThat("re-read calls were recognised", s.metrics().get("stream", "duplicates_dropped")
          + s.metrics().get("pipeline", "fetch_plan_in_flight"), greaterThan(0L));
      assertThat(s.metrics().get("pipeline", "calls_parsed"), equalTo((long) expectedIds.size()));

      try (Warehouse wh = Warehouse.open(url)) {
        KillMidRunRecoveryTest.assertMatchesGroundTruth(wh, truth, expectedIds);
        assertThat(KillMidRunRecoveryTest.strings(wh,
                "SELECT STATUS FROM OPS_MONITORING.ETL_JOB_LOGS WHERE JOB_ID = '"
                    + s.log().jobId() + "' AND JOB_TYPE = 'stream' AND FINISHED_AT IS NOT NULL"),
            equalTo(List.of("SUCCEEDED")));
        Instant position = wh.highWaterMark("gong_calls_stream").orElse(null);
        assertThat("stream read position recorded", position, notNullValue());
        assertThat(position, greaterThanOrEqualTo(lastVisible));

        // Freshness: first AI_MEMORY load of a call minus the moment the API first showed it.
        Map<String, Instant> firstLoaded = new TreeMap<>();
        for (Map<String, Object> r : wh.query("SELECT SOURCE_ID, MIN(LOADED_AT) AS FIRST_LOADED "
            + "FROM AI_MEMORY.MEMORY_RECORDS GROUP BY SOURCE_ID")) {
          firstLoaded.put((String) r.get("SOURCE_ID"), (Instant) r.get("FIRST_LOADED"));
        }
        List<Double> live = new ArrayList<>();
        List<Double> backlog = new ArrayList<>();
        firstLoaded.forEach((id, loaded) -> {
          Instant shown = visibleAt.get(id);
          boolean isLive = shown.isAfter(streamStart);
          // A call visible before the stream started can only be measured from the start.
          double seconds = Duration.between(isLive ? shown : streamStart, loaded).toMillis()
              / 1000.0;
          (isLive ? live : backlog).add(seconds);
          System.out.printf("  %s: visible %s, first chunk loaded %s -> %.1f s after %s%n",
              id, shown, loaded, seconds, isLive ? "it became visible" : "the stream started");
        });
        System.out.println("freshness (first AI_MEMORY load - visible in the API) of the calls "
            + "that appeared while streaming: " + stats(live));
        System.out.println("catch-up (first AI_MEMORY load - stream start, includes pipeline "
            + "start-up and the model load) of the calls already visible: " + stats(backlog));
        assertThat("fresh calls were measured", live.size(), greaterThanOrEqualTo(2));
        assertThat("median freshness of calls that appeared while streaming (s)", median(live),
            lessThan((double) POLL.plus(PROCESSING_ALLOWANCE).toSeconds()));
      }
      System.out.printf("stream test: run returned %.1f s after lastVisible; test took %.1f s%n",
          Duration.between(lastVisible, returned).toMillis() / 1000.0,
          (System.nanoTime() - t0) / 1e9);
    }
  }

  @Test
  void givenSigterm_theStreamStopsCleanlyAndLogsStopped() throws Exception {
    long t0 = System.nanoTime();
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    Instant from = now.minus(Duration.ofMinutes(20));
    SimulatorConfig config = SimulatorConfig.builder()
        .seed(32).calls(10).callsFrom(from).callsTo(now.minus(Duration.ofMinutes(1)))
        .requestsPerSecond(50)
        .build();
    String url = "jdbc:duckdb:" + dir.resolve("sigterm.duckdb");

    try (GongSimulator sim = GongSimulator.start(config)) {
      List<String> stderr = new ArrayList<>();
      ChildJvm child = children.start(streamRun(sim, config, from, url));
      BlockingQueue<ChildJvm.Line> lines = child.lines();

      String jobId = null;
      long parsed = 0;
      long embedded = 0;
      // Rows inserted by MERGE transactions the child logged as committed, per table.
      Map<String, Long> committed = new TreeMap<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      // Until call data (not just the directory's users) is committed and more is in flight.
      while (jobId == null || parsed == 0 || embedded == 0
          || committed.getOrDefault(MEMORY, 0L) + committed.getOrDefault(STG_CALLS, 0L) == 0) {
        if (System.nanoTime() > deadline) {
          fail("the stream wrote nothing within 120 s; stderr:\n"
              + KillMidRunRecoveryTest.tail(stderr));
        }
        ChildJvm.Line line = lines.poll(500, TimeUnit.MILLISECONDS);
        if (line == null) {
          if (!child.isAlive() && lines.isEmpty()) {
            fail("the stream exited (code " + child.exitValue() + ") on its own; stderr:\n"
                + KillMidRunRecoveryTest.tail(stderr));
          }
          continue;
        }
        String text = line.text();
        if (line.stream() == ChildJvm.Stream.ERR) {
          stderr.add(text);
          Matcher merged = MERGED.matcher(text);
          if (merged.find()) {
            committed.merge(merged.group(1), Long.parseLong(merged.group(2)), Long::sum);
          }
          continue;
        }
        System.out.println("child> " + text);
        Matcher job = STREAM_LINE.matcher(text);
        if (job.find()) {
          jobId = job.group(1);
        }
        Matcher m = PROGRESS.matcher(text);
        if (m.find()) {
          parsed = Long.parseLong(m.group(1));
          embedded = Long.parseLong(m.group(2));
        }
      }
      System.out.printf("SIGTERM after %.1f s: %d calls parsed, %d chunks embedded, rows "
          + "inserted by committed MERGEs %s%n", (System.nanoTime() - t0) / 1e9, parsed, embedded,
          committed);
      long termAt = System.nanoTime();
      // SIGTERM, the JVM runs its shutdown hooks (ChildJvm.terminate keeps reading its output).
      assertThat(child.terminate(), is(true));
      // A stream drains on SIGTERM (polling stops, windows fire, buffers flush) before it exits.
      boolean exited = child.waitFor(Duration.ofSeconds(150)) != -1;
      // What the child printed after the signal (the pump threads read until EOF).
      List<ChildJvm.Line> restLines = new ArrayList<>();
      for (ChildJvm.Line l; (l = lines.poll(1, TimeUnit.SECONDS)) != null; ) {
        restLines.add(l);
      }
      List<String> rest = restLines.stream().map(ChildJvm.Line::text).toList();
      restLines.stream().filter(l -> l.stream() == ChildJvm.Stream.OUT).forEach(
          l -> System.out.println("child> " + l.text()));
      restLines.stream().filter(l -> l.stream() == ChildJvm.Stream.ERR).forEach(l -> {
        stderr.add(l.text());
        if (!l.text().contains("DEBUG") && !l.text().contains("ProgressReporter")) {
          System.out.println("child! " + l.text());
        }
      });
      assertThat("the stream exits within 150 s of SIGTERM; stderr:\n"
          + KillMidRunRecoveryTest.tail(stderr), exited, is(true));
      int code = child.exitValue();
      System.out.printf("stream exited %.1f s after SIGTERM with code %d%n",
          (System.nanoTime() - termAt) / 1e9, code);
      // 143 = 128 + SIGTERM: the signal starts the JVM's shutdown, whose status wins over the
      // System.exit(0) main calls once the job is logged (that call blocks while hooks run).
      assertThat(code, anyOf(equalTo(0), equalTo(143)));
      String stoppedLine = "Job " + jobId + " stopped on request";
      assertThat("the child says it stopped", rest.stream().anyMatch(
          l -> l.contains(stoppedLine)), is(true));
      assertThat("it drained rather than being cancelled", rest.stream().anyMatch(
          l -> l.contains(stoppedLine + "; it drained")), is(true));

      try (Warehouse wh = Warehouse.open(url)) {
        List<Map<String, Object>> job = wh.query("SELECT STATUS, FINISHED_AT, JOB_TYPE FROM "
            + "OPS_MONITORING.ETL_JOB_LOGS WHERE JOB_ID = ?", jobId);
        assertThat(job.size(), equalTo(1));
        assertThat(job.get(0).get("STATUS"), equalTo("STOPPED"));
        assertThat(job.get(0).get("JOB_TYPE"), equalTo("stream"));
        assertThat(job.get(0).get("FINISHED_AT"), notNullValue());
        // The stream holds the sync's lease (as incremental does) and releases it when it stops.
        assertThat(wh.query("SELECT * FROM OPS_MONITORING.SYNC_LEASE"), empty());
        assertThat(wh.highWaterMark("gong_calls_stream").isPresent(), is(true));
        // Drained: what was read is written whole: every call with chunks has its RAW and STG rows.
        assertThat(wh.count(WarehouseTable.MEMORY_RECORDS) + wh.count(WarehouseTable.STG_CALLS),
            greaterThan(0L));
        assertThat(wh.query("SELECT DISTINCT m.SOURCE_ID FROM AI_MEMORY.MEMORY_RECORDS m WHERE "
            + "NOT EXISTS (SELECT 1 FROM STG_TRANSFORMED.STG_GONG_CALLS c WHERE c.CALL_ID = "
            + "m.SOURCE_ID) OR NOT EXISTS (SELECT 1 FROM RAW.GONG_CALLS_RAW r WHERE r.CALL_ID = "
            + "m.SOURCE_ID)"), empty());
        System.out.println("after the stop: " + KillMidRunRecoveryTest.dataRows(wh.tableCounts()));
      }

      // Restarting the stream resumes from the recorded read position, re-reading its lookback:
      // calls the stop cut short (started before that position) are completed.
      String[] restartArgs = {"--gongBaseUrl=" + sim.baseUrl(), "--warehouse=" + url,
          "--pollInterval=" + POLL, "--lookback=PT30M", "--runFor=PT3S",
          "--earlyFiringDelay=PT2S", "--listWindow=PT1H", "--progressSeconds=0",
          "--from=" + from, "--gongRequestsPerSecond=40"};
      GongPipelineOptions ro =
          PipelineOptionsFactory.fromArgs(restartArgs).as(GongPipelineOptions.class);
      RunnerDefaults.apply(ro, restartArgs);
      JobRun.Summary restarted = StreamCommand.run(ro,
          GongCredentials.of(config.accessKey(), config.accessKeySecret()),
          new PrintStream(new ByteArrayOutputStream()));
      assertThat(restarted.log().status(), equalTo(JobLog.Status.SUCCEEDED));
      GroundTruth truthAtRestart = sim.groundTruth(from, Instant.now());
      try (Warehouse wh = Warehouse.open(url)) {
        System.out.println("after the restart: "
            + KillMidRunRecoveryTest.dataRows(wh.tableCounts()));
        KillMidRunRecoveryTest.assertMatchesGroundTruth(wh, truthAtRestart,
            new HashSet<>(truthAtRestart.nonPrivateCallIds()));
      }

      // A backfill over the same window finds nothing left to repair.
      String[] args = {"--gongBaseUrl=" + sim.baseUrl(), "--from=" + from,
          "--to=" + Instant.now(), "--warehouse=" + url, "--progressSeconds=0",
          "--gongRequestsPerSecond=40"};
      GongPipelineOptions o = PipelineOptionsFactory.fromArgs(args).as(GongPipelineOptions.class);
      RunnerDefaults.apply(o, args);
      JobRun.Summary backfill = BackfillCommand.run(o,
          GongCredentials.of(config.accessKey(), config.accessKeySecret()),
          new PrintStream(new ByteArrayOutputStream()));
      assertThat(backfill.log().status(), equalTo(JobLog.Status.SUCCEEDED));
      GroundTruth truth = sim.groundTruth(from, Instant.now());
      try (Warehouse wh = Warehouse.open(url)) {
        KillMidRunRecoveryTest.assertMatchesGroundTruth(wh, truth,
            new HashSet<>(truth.nonPrivateCallIds()));
        assertThat(wh.query("SELECT * FROM OPS_MONITORING.SYNC_LEASE"), empty());
      }
      System.out.printf("sigterm test took %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }
  }

  /** When the API first shows {@code c}: the least millisecond at which it is visible. */
  static Instant visibility(GongSimulator sim, GroundTruth.Call c) {
    Instant start = c.started();
    Instant end = start.plusMillis(1);
    long lo = MIN_LAG.toMillis() - 1; // not visible before start + minLag
    long hi = MAX_LAG.toMillis(); // visible at start + maxLag
    while (hi - lo > 1) {
      long mid = (lo + hi) >>> 1;
      boolean visible = sim.groundTruth(start, end, start.plusMillis(mid)).calls().stream()
          .anyMatch(x -> x.callId().equals(c.callId()));
      if (visible) {
        hi = mid;
      } else {
        lo = mid;
      }
    }
    return start.plusMillis(hi);
  }

  static double median(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs);
    Collections.sort(s);
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }

  static String stats(List<Double> xs) {
    if (xs.isEmpty()) {
      return "none";
    }
    return String.format(Locale.ROOT, "n=%d min %.1f s, median %.1f s, max %.1f s", xs.size(),
        Collections.min(xs), median(xs), Collections.max(xs));
  }

  /** The stream as a CLI command in its own JVM, its lines followed live. */
  static ChildJvm.Builder streamRun(GongSimulator sim, SimulatorConfig config, Instant from,
      String url) {
    return ChildJvm.main(GongPipelineCli.class.getName(), "stream",
            "--gongBaseUrl=" + sim.baseUrl(), "--from=" + from, "--warehouse=" + url,
            "--pollInterval=" + POLL, "--lookback=PT30M", "--earlyFiringDelay=PT2S",
            "--listWindow=PT1H", "--progressSeconds=1", "--gongRequestsPerSecond=40",
            // smaller MERGE batches than the default 250, so rows commit while others are in flight
            "--writeBatchSize=100")
        // logs each committed MERGE, so the test knows rows were durably written
        .jvmArgs("-Xmx1g",
            "-Dorg.slf4j.simpleLogger.log." + DuckDbWarehouse.MERGE_LOGGER + "=debug")
        .env("GONG_ACCESS_KEY", config.accessKey())
        .env("GONG_ACCESS_KEY_SECRET", config.accessKeySecret())
        .follow();
  }
}
