package com.gongpipeline.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.fail;

import com.gongpipeline.cortex.sim.CortexSimulator;
import com.gongpipeline.cortex.sim.CortexSimulatorConfig;
import com.gongpipeline.gong.GongCredentials;
import com.gongpipeline.gong.sim.GongSimulator;
import com.gongpipeline.gong.sim.GroundTruth;
import com.gongpipeline.gong.sim.SimulatorConfig;
import com.gongpipeline.pipeline.options.GongPipelineOptions;
import com.gongpipeline.snowflake.SnowflakeCredentials;
import com.gongpipeline.testing.ChildJvm;
import com.gongpipeline.testing.ChildJvms;
import com.gongpipeline.warehouse.JobLog;
import com.gongpipeline.warehouse.Warehouse;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A multi-slice backfill in its own JVM is killed with SIGKILL (kill -9) after its second slice
 * finished: the window's progress row holds that slice's end, and the re-run with the same
 * arguments requests nothing before it (counted at the simulator), and ends with the warehouse
 * equal to the ground truth; once complete, the same command re-reads the whole window (a
 * reconciliation). Embeddings come from the Cortex stand-in's hashed vectors, so the
 * model costs nothing in either JVM.
 */
class BackfillKillResumeTest {
  static final Instant FROM = Instant.parse("2026-04-01T00:00:00Z");
  static final int DAYS = 5;
  static final Instant TO = FROM.plus(Duration.ofDays(DAYS));
  static final Pattern SLICE_DONE = Pattern.compile("^Slice 2 done: .* done up to (\\S+)$");
  static final Pattern JOB_LINE = Pattern.compile("^Backfill (\\S+): calls started");

  @TempDir Path dir;
  @RegisterExtension final ChildJvms children = new ChildJvms();

  @Test
  void aBackfillKilledAfterTwoSlicesResumesAfterThemAndEndsExact() throws Exception {
    long t0 = System.nanoTime();
    // ~3 calls a day, slices of ~3 calls: about one day each.
    SimulatorConfig config = SimulatorConfig.builder()
        .seed(21).calls(3 * DAYS).callsFrom(FROM).callsTo(TO.minus(Duration.ofHours(1)))
        .requestsPerSecond(200).build();
    String url = "jdbc:duckdb:" + dir.resolve("kill.duckdb");
    try (GongSimulator sim = GongSimulator.start(config);
        CortexSimulator cortex = CortexSimulator.start(
            CortexSimulatorConfig.builder().hashedVectors(true).build())) {
      GroundTruth truth = sim.groundTruth(FROM, TO);
      Set<String> expected = new HashSet<>(truth.nonPrivateCallIds());

      ChildJvm child = children.start(ChildJvm.main(GongPipelineCli.class.getName(),
              args(sim, cortex, url, "backfill"))
          .jvmArgs("-Xmx1g")
          .env("GONG_ACCESS_KEY", config.accessKey())
          .env("GONG_ACCESS_KEY_SECRET", config.accessKeySecret())
          .env(SnowflakeCredentials.ENV_PAT, CortexSimulatorConfig.DEMO_PAT)
          .follow());
      BlockingQueue<ChildJvm.Line> lines = child.lines();
      Instant doneUpTo = null;
      String jobId = null;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (doneUpTo == null) {
        ChildJvm.Line next = lines.poll(500, TimeUnit.MILLISECONDS);
        if (System.nanoTime() > deadline) {
          fail("the child never finished its second slice: " + child.tail());
        }
        if (next == null) {
          if (!child.isAlive() && lines.isEmpty()) {
            fail("the child exited (" + child.exitValue() + ") before its second slice ended: "
                + child.tail());
          }
          continue;
        }
        if (next.stream() == ChildJvm.Stream.OUT) {
          System.out.println("child> " + next.text());
          Matcher job = JOB_LINE.matcher(next.text());
          if (job.find()) {
            jobId = job.group(1);
          }
          Matcher m = SLICE_DONE.matcher(next.text());
          if (m.find()) {
            child.process().destroyForcibly(); // SIGKILL: no shutdown hooks, no finally blocks
            doneUpTo = Instant.parse(m.group(1));
          }
        }
      }
      assertThat(child.waitFor(Duration.ofSeconds(30)), equalTo(137));
      assertThat(doneUpTo, greaterThan(FROM));
      assertThat("killed mid-backfill", doneUpTo, lessThan(TO));

      long listsBefore = sim.stats().requests("GET /v2/calls", 200);
      long fetchedBefore = sim.stats().requestsTo("POST /v2/calls/extensive");
      try (Warehouse wh = Warehouse.open(url)) {
        assertThat(wh.highWaterMark(BackfillCommand.progressName(FROM, TO)),
            equalTo(Optional.of(doneUpTo)));
        assertThat(wh.findJob(jobId).orElseThrow().status(), equalTo(JobLog.Status.RUNNING));
      }

      // The same command again: it resumes at the finished slices' end.
      GongPipelineOptions o = PipelineOptionsFactory.fromArgs(args(sim, cortex, url))
          .as(GongPipelineOptions.class);
      RunnerDefaults.apply(o, args(sim, cortex, url));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      JobRun.Summary rerun = BackfillCommand.run(o,
          GongCredentials.of(config.accessKey(), config.accessKeySecret()),
          new PrintStream(out, true, StandardCharsets.UTF_8), Enrichment.fromOptions(o,
              SnowflakeCredentials.pat(CortexSimulatorConfig.DEMO_PAT, null, null)));
      System.out.print(out.toString(StandardCharsets.UTF_8));
      assertThat(rerun.log().status(), equalTo(JobLog.Status.SUCCEEDED));

      // Counted at the simulator: Gong's count of the remaining window plus at most one list page
      // per remaining day (< 37 calls a day; sub-windows are a day or longer), and details for
      // exactly the calls started after the finished slices.
      long remainingDays = Duration.between(doneUpTo, TO).toDays();
      assertThat(sim.stats().requests("GET /v2/calls", 200) - listsBefore,
          lessThanOrEqualTo(remainingDays + 1));
      Set<String> after = new HashSet<>(sim.groundTruth(doneUpTo, TO).nonPrivateCallIds());
      assertThat(rerun.metrics().get("pipeline", "calls_fetched"), equalTo((long) after.size()));
      assertThat(after.size(), lessThan(expected.size()));
      System.out.printf("re-run: %d list and %d details requests for %d of %d calls%n",
          remainingDays, sim.stats().requestsTo("POST /v2/calls/extensive") - fetchedBefore,
          after.size(), expected.size());

      try (Warehouse wh = Warehouse.open(url)) {
        assertThat(wh.highWaterMark(BackfillCommand.progressName(FROM, TO)),
            equalTo(Optional.of(TO)));
        KillMidRunRecoveryTest.assertMatchesGroundTruth(wh, truth, expected);
      }

      // The window is complete: the same command again is a reconciliation and re-reads it all.
      long listsBeforeReconciliation = sim.stats().requests("GET /v2/calls", 200);
      JobRun.Summary reconciliation = BackfillCommand.run(o,
          GongCredentials.of(config.accessKey(), config.accessKeySecret()),
          new PrintStream(new ByteArrayOutputStream()), Enrichment.fromOptions(o,
              SnowflakeCredentials.pat(CortexSimulatorConfig.DEMO_PAT, null, null)));
      assertThat(reconciliation.log().status(), equalTo(JobLog.Status.SUCCEEDED));
      assertThat(sim.stats().requests("GET /v2/calls", 200) - listsBeforeReconciliation,
          lessThanOrEqualTo((long) DAYS + 1));
      assertThat(reconciliation.metrics().get("pipeline", "calls_fetched"),
          equalTo((long) expected.size()));
      try (Warehouse wh = Warehouse.open(url)) {
        KillMidRunRecoveryTest.assertMatchesGroundTruth(wh, truth, expected);
      }
      System.out.printf("BackfillKillResumeTest took %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }
  }

  static String[] args(GongSimulator sim, CortexSimulator cortex, String url,
      String... command) {
    String[] rest = {"--gongBaseUrl=" + sim.baseUrl(), "--from=" + FROM, "--to=" + TO,
        "--embeddings=cortex", "--cortexUrl=" + cortex.baseUrl(),
        "--warehouse=" + url, "--progressSeconds=0", "--gongRequestsPerSecond=100",
        "--listWindow=P1D", "--backfillSliceCalls=3"};
    String[] all = new String[command.length + rest.length];
    System.arraycopy(command, 0, all, 0, command.length);
    System.arraycopy(rest, 0, all, command.length, rest.length);
    return all;
  }
}
