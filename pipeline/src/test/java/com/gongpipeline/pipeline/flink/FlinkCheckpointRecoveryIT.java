package com.gongpipeline.pipeline.flink;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.gongpipeline.gong.sim.GongSimulator;
import com.gongpipeline.gong.sim.GroundTruth;
import com.gongpipeline.gong.sim.SimulatorConfig;
import com.gongpipeline.warehouse.Warehouse;
import com.gongpipeline.testing.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code stream} job on a Flink session cluster with checkpoints every 2 s, against a tenant
 * that keeps publishing calls: once calls are written and a checkpoint has completed, the
 * TaskManager is killed with SIGKILL and a new one started. The job must restore from its last
 * checkpoint (the REST API says so), go on polling from the restored read position, and, stopped
 * with a savepoint once every call is visible, leave tables equal to the simulator's ground
 * truth: every call once, nothing lost, nothing duplicated. Along the way, the TaskManager's
 * Prometheus reporter must expose the pipeline's Beam counters.
 */
class FlinkCheckpointRecoveryIT {
  static final Duration MIN_LAG = Duration.ofSeconds(2);
  static final Duration MAX_LAG = Duration.ofSeconds(10);
  static final Pattern SERIES = Pattern.compile(
      "^(flink_taskmanager_job_task_operator_(?:gong|pipeline|enrich|warehouse|stream)_\\w+)\\{",
      Pattern.MULTILINE);

  @TempDir Path dir;
  FlinkSessionCluster cluster;
  ChildJvm client;

  @AfterEach
  void stopEverything() throws Exception {
    if (client != null) {
      client.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aKilledTaskManagerIsReplacedAndTheJobResumesFromItsCheckpoint() throws Exception {
    long t0 = System.nanoTime();
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    Instant from = now.minus(Duration.ofMinutes(2));
    Instant to = now.plus(Duration.ofSeconds(100));
    SimulatorConfig config = SimulatorConfig.builder()
        .seed(41).calls(14).callsFrom(from).callsTo(to)
        .minProcessingLag(MIN_LAG).maxProcessingLag(MAX_LAG)
        .serverErrorRate(0.03).requestsPerSecond(50)
        .build();
    String url = "jdbc:duckdb:" + dir.resolve("stream.duckdb");
    Path credentials = dir.resolve("gong.properties");
    Files.writeString(credentials, "accessKey=" + config.accessKey() + "\naccessKeySecret="
        + config.accessKeySecret() + "\n");

    try (GongSimulator sim = GongSimulator.start(config)) {
      cluster = FlinkSessionCluster.start(dir.resolve("flink"), 1, Map.of());
      Map<String, String> flags = FlinkSessionCluster.argsFile("flink-cluster");
      flags.put("flinkMaster", cluster.master());
      flags.put("filesToStage", FlinkSessionCluster.stagedFiles());
      flags.put("checkpointingInterval", "2000");
      flags.putAll(Map.of("gongBaseUrl", sim.baseUrl(), "warehouse", url,
          "gongCredentialsFile", credentials.toString(), "from", from.toString(),
          "pollInterval", "PT3S", "lookback", "PT30M", "earlyFiringDelay", "PT2S",
          "listWindow", "PT1H", "gongRequestsPerSecond", "40", "progressSeconds", "0"));
      flags.put("writeMaxBufferingSeconds", "1");
      client = FlinkSessionCluster.jobJarRun("stream", flags, dir.resolve("stream-client.log"))
          .start();

      // 1. The job runs, writes calls, and completes a checkpoint after that.
      String jobId = await("the stream job runs on the cluster", 120,
          () -> cluster.jobs("RUNNING").size() == 1 ? cluster.jobs("RUNNING").get(0) : null);
      long writtenBeforeKill = await("calls are written", 180, () -> {
        long n = count(url, "SELECT COUNT(*) FROM STG_TRANSFORMED.STG_GONG_CALLS");
        return n > 0 ? n : null;
      });
      long writtenAt = System.currentTimeMillis();
      long checkpoint = await("a checkpoint completes after calls were written", 60, () -> {
        JsonNode c = cluster.get("/jobs/" + jobId + "/checkpoints").path("latest")
            .path("completed");
        return c.isMissingNode() || c.isNull() || c.path("latest_ack_timestamp").asLong() < writtenAt
            ? null : c.path("id").asLong();
      });

      // The TaskManager's reporter shows the pipeline's counters while the stream runs.
      Set<String> series = await("Beam counters on the TaskManager's Prometheus port", 60, () -> {
        Set<String> names = new TreeSet<>();
        Matcher m = SERIES.matcher(cluster.scrapeTaskManager(1));
        while (m.find()) {
          names.add(m.group(1));
        }
        return names.contains("flink_taskmanager_job_task_operator_stream_polls") ? names : null;
      });
      System.out.println("Beam series on the TaskManager reporter:\n  "
          + String.join("\n  ", series));
      assertThat(series, hasItems("flink_taskmanager_job_task_operator_gong_requests_calls",
          "flink_taskmanager_job_task_operator_pipeline_calls_parsed",
          "flink_taskmanager_job_task_operator_warehouse_rows_merged_STG_CALLS"));

      // 2. SIGKILL the TaskManager, start another one.
      System.out.printf("killing the TaskManager at %.1f s: %d calls written, checkpoint %d%n",
          (System.nanoTime() - t0) / 1e9, writtenBeforeKill, checkpoint);
      cluster.killTaskManager(1);
      cluster.startTaskManager(Map.of());

      // 3. The job restores from a checkpoint and runs again.
      JsonNode restored = await("the job restores from a checkpoint", 180, () -> {
        JsonNode r = cluster.get("/jobs/" + jobId + "/checkpoints").path("latest")
            .path("restored");
        return !r.isMissingNode() && !r.isNull()
            && "RUNNING".equals(cluster.get("/jobs/" + jobId).path("state").asText()) ? r : null;
      });
      System.out.println("restored: " + restored);
      assertThat(restored.path("is_savepoint").asBoolean(), is(false));
      assertThat(restored.path("id").asLong(), greaterThan(0L));
      assertThat(cluster.get("/jobs/" + jobId + "/checkpoints").path("counts").path("restored")
          .asLong(), greaterThan(0L));

      // 4. Every call the tenant publishes arrives, the last ones after the restore.
      Instant lastVisible = to.plus(MAX_LAG);
      Set<String> expected = await("every call is in the warehouse", 300, () -> {
        if (Instant.now().isBefore(lastVisible)) {
          return null;
        }
        GroundTruth truth = sim.groundTruth(from, to, Instant.now());
        Set<String> ids = new HashSet<>(truth.nonPrivateCallIds());
        Set<String> withChunks = withSpeech(truth);
        return strings(url, "SELECT CALL_ID FROM STG_TRANSFORMED.STG_GONG_CALLS").equals(ids)
            && new HashSet<>(strings(url,
                "SELECT DISTINCT SOURCE_ID FROM AI_MEMORY.MEMORY_RECORDS")).equals(withChunks)
            ? ids : null;
      });

      // 5. Stop with a savepoint; the client sees the job finish and logs it.
      assertThat(cluster.stopJob(jobId), containsString("COMPLETED"));
      int code = client.waitFor(Duration.ofSeconds(120));
      System.out.println("stream client:\n" + client.tail());
      assertThat("the client exits 0 once the job is stopped", code, equalTo(0));
      assertThat(client.output(), containsString(" SUCCEEDED: "));

      GroundTruth truth = sim.groundTruth(from, to, Instant.now());
      try (Warehouse wh = Warehouse.open(url)) {
        List<String> stg = column(wh, "SELECT CALL_ID FROM STG_TRANSFORMED.STG_GONG_CALLS");
        assertThat("no call twice", stg, hasSize(new HashSet<>(stg).size()));
        assertThat(new HashSet<>(stg), equalTo(expected));
        assertThat(new HashSet<>(stg), equalTo(new HashSet<>(truth.nonPrivateCallIds())));
        assertThat(new HashSet<>(column(wh, "SELECT CALL_ID FROM RAW.GONG_CALLS_RAW")),
            equalTo(expected));
        assertThat(new HashSet<>(column(wh,
            "SELECT DISTINCT SOURCE_ID FROM AI_MEMORY.MEMORY_RECORDS")), equalTo(withSpeech(truth)));
        // Chunks of one call are numbered 0..n-1 with no gap and no repeat.
        assertThat(column(wh, "SELECT SOURCE_ID FROM AI_MEMORY.MEMORY_RECORDS GROUP BY SOURCE_ID "
            + "HAVING COUNT(*) <> MAX(CHUNK_INDEX) + 1 OR COUNT(DISTINCT CHUNK_INDEX) <> COUNT(*)"),
            empty());
        assertThat(column(wh, "SELECT STAGE || ' ' || RECORD_KEY || ': ' || ERROR_MESSAGE "
            + "FROM OPS_MONITORING.DEAD_LETTER"), empty());
        assertThat(wh.count(com.gongpipeline.warehouse.WarehouseTable.STG_USERS),
            equalTo((long) truth.users().size()));
        assertThat(column(wh, "SELECT STATUS || ' ' || RUNNER FROM OPS_MONITORING.ETL_JOB_LOGS"),
            equalTo(List.of("SUCCEEDED FlinkRunner")));
      }
      assertThat(Files.readString(cluster.log("taskmanager-2")),
          not(containsString(config.accessKeySecret())));
      System.out.printf("FlinkCheckpointRecoveryIT took %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }
  }

  /** Non-private calls with at least one spoken sentence: those that must have chunks. */
  static Set<String> withSpeech(GroundTruth truth) {
    Set<String> ids = new HashSet<>();
    for (GroundTruth.Call c : truth.calls()) {
      if (!c.isPrivate() && c.monologues().stream()
          .flatMap(m -> m.texts().stream()).anyMatch(s -> !s.isBlank())) {
        ids.add(c.callId());
      }
    }
    return ids;
  }

  /** A check that polls; returns the first non-null value or fails after the deadline. */
  interface Probe<T> {
    T get() throws Exception;
  }

  <T> T await(String what, long seconds, Probe<T> probe) throws Exception {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    Exception last = null;
    while (System.nanoTime() < deadline) {
      try {
        T value = probe.get();
        if (value != null) {
          return value;
        }
      } catch (Exception e) {
        last = e;
      }
      if (client != null && !client.isAlive()) {
        fail("the stream client exited (" + client.exitValue() + ") while waiting for: "
            + what + "\n" + client.tail());
      }
      Thread.sleep(1000);
    }
    fail("not within " + seconds + " s: " + what + (last == null ? "" : " (last error " + last
        + ")") + "\nclient:\n" + client.tail());
    return null;
  }

  static long count(String url, String sql) {
    try (Warehouse wh = Warehouse.open(url)) {
      Object v = wh.query(sql).get(0).values().iterator().next();
      return ((Number) v).longValue();
    }
  }

  static Set<String> strings(String url, String sql) {
    try (Warehouse wh = Warehouse.open(url)) {
      return new HashSet<>(column(wh, sql));
    }
  }

  static List<String> column(Warehouse wh, String sql) {
    return wh.query(sql).stream().map(r -> String.valueOf(r.values().iterator().next())).toList();
  }
}
