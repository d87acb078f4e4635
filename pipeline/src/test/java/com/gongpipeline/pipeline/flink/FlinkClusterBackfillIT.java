package com.gongpipeline.pipeline.flink;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;

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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backfill submitted from the job jar to a real Flink 1.19 session cluster (JobManager and
 * TaskManager in their own JVMs, started by {@code runner-configs/flink/cluster.sh}) with
 * {@code runner-configs/flink-cluster.args}, against a simulated tenant with faults on, writes
 * exactly what the same backfill writes on the DirectRunner with {@code direct.args}: every row of
 * every table, minus the columns that name the run. The TaskManagers and the submitting client
 * share the DuckDB file (the client applies the schema and logs the job while the TaskManagers
 * merge).
 *
 * <p>Cluster-wide rate: two TaskManagers of one slot each run the job at parallelism 2 against a
 * simulator in strict mode (Gong's 3 requests per sliding second per company, counting the 429s it
 * had to send), and the pipeline asks for 2 requests/s: every Gong request goes through one keyed
 * stage per tenant, so the two JVMs never add up their rates and the simulator sends no 429 caused
 * by our pace (with a per-JVM rate, two TaskManagers sent up to 2 × 2 requests/s). A dropped
 * connection is retried by our retry policy only (OneShotHttpTransport): the JDK's own silent
 * re-send of a GET went past the limiter and caused a 429 here.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FlinkClusterBackfillIT {
  /** Not the simulator's default, so a leak of it into a log is recognisable. */
  static final String SECRET = "flink-it-secret-7f3a9c";
  /**
   * Where the Flink run's DuckDB file lives, named in its warehouse URL as {@code ${NAME}} only:
   * the option travels to the cluster (and into Flink's job parameters) unresolved and each
   * TaskManager resolves it from its own environment, as a {@code password=${…}} would be.
   */
  static final String WAREHOUSE_DIR_VAR = "GONG_IT_WAREHOUSE_DIR";

  @TempDir static Path dir;
  GongSimulator sim;
  SimulatorConfig config;
  FlinkSessionCluster cluster;
  Path credentials;
  Instant from;
  Instant to;

  @BeforeAll
  void startSimulatorAndCluster() throws Exception {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    from = now.minus(Duration.ofDays(5));
    to = now;
    config = SimulatorConfig.builder()
        .seed(11).calls(40).callsFrom(from).callsTo(now.minus(Duration.ofHours(1)))
        .accessKeySecret(SECRET)
        .serverErrorRate(0.05).connectionResetRate(0.03).malformedPageRate(0.03)
        .cursorExpiryRate(0.1).strictRate(true)
        .build();
    sim = GongSimulator.start(config);
    // The TaskManagers read the key where they run: a file both runs use.
    credentials = dir.resolve("gong.properties");
    Files.writeString(credentials,
        "accessKey=" + config.accessKey() + "\naccessKeySecret=" + SECRET + "\n");
    // The TaskManagers' environment holds what the warehouse URL references as ${NAME}.
    cluster = FlinkSessionCluster.start(dir.resolve("flink"), 2, 1,
        Map.of(WAREHOUSE_DIR_VAR, dir.toString()));
  }

  @AfterAll
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
    if (sim != null) {
      sim.close();
    }
  }

  @Test
  void aBackfillOnTheClusterWritesWhatTheDirectRunnerWrites() throws Exception {
    long t0 = System.nanoTime();
    String flinkUrl = "jdbc:duckdb:" + dir.resolve("flink.duckdb");
    String directUrl = "jdbc:duckdb:" + dir.resolve("direct.duckdb");

    Map<String, String> flinkFlags = FlinkSessionCluster.argsFile("flink-cluster");
    flinkFlags.put("flinkMaster", cluster.master());
    flinkFlags.put("filesToStage", FlinkSessionCluster.stagedFiles());
    flinkFlags.putAll(commonFlags("jdbc:duckdb:${" + WAREHOUSE_DIR_VAR + "}/flink.duckdb"));
    long slices;
    try (ChildJvm run = FlinkSessionCluster.jobJarRun("backfill", flinkFlags,
        dir.resolve("flink-client.log")).env(WAREHOUSE_DIR_VAR, dir.toString()).start()) {
      int code = run.waitFor(Duration.ofSeconds(600));
      System.out.println("flink client:\n" + run.tail());
      assertThat("the Flink client exits 0; output:\n" + run.tail(), code, equalTo(0));
      assertThat(run.output(), containsString(" SUCCEEDED: "));
      assertThat(run.output(), not(containsString(SECRET)));
      // A backfill runs in slices (BackfillSlicer), each its own job on the cluster.
      slices = run.output().lines().filter(l -> l.matches("Slice \\d+: calls started in .*"))
          .count();
    }
    double flinkSeconds = (System.nanoTime() - t0) / 1e9;
    long flinkRateLimited = sim.stats().rateLimited();
    long flinkRequests = sim.stats().totalRequests();
    // What the tenant saw, for a failure's diagnosis (a dropped connection, then a re-send?)
    System.out.println("simulator after the Flink run: requests " + sim.stats().requests()
        + ", faults " + sim.stats().faults());
    assertThat("slices the client ran", slices, greaterThanOrEqualTo(1L));
    assertThat("each slice ran on the cluster as one job", cluster.jobs("FINISHED"),
        hasSize((int) slices));
    assertThat(cluster.jobs("FAILED"), empty());
    for (String job : cluster.jobs("FINISHED")) {
      String parameters = cluster.get("/jobs/" + job + "/config").toString();
      assertThat("the job's parameters carry the warehouse URL unresolved", parameters,
          containsString("${" + WAREHOUSE_DIR_VAR + "}/flink.duckdb"));
    }

    long t1 = System.nanoTime();
    Map<String, String> directFlags = FlinkSessionCluster.argsFile("direct");
    directFlags.putAll(commonFlags(directUrl));
    try (ChildJvm run = FlinkSessionCluster.jobJarRun("backfill", directFlags,
        dir.resolve("direct-client.log")).start()) {
      int code = run.waitFor(Duration.ofSeconds(600));
      assertThat("the DirectRunner run exits 0; output:\n" + run.tail(), code, equalTo(0));
    }
    double directSeconds = (System.nanoTime() - t1) / 1e9;
    System.out.printf("strict-rate 429s caused by our pace: flink %d (of %d requests),"
        + " direct %d%n", flinkRateLimited, flinkRequests,
        sim.stats().rateLimited() - flinkRateLimited);
    assertThat("429s the strict simulator sent because of the Flink job's own pace",
        flinkRateLimited, equalTo(0L));
    assertThat("429s the strict simulator sent because of the DirectRunner's own pace",
        sim.stats().rateLimited(), equalTo(0L));

    GroundTruth truth = sim.groundTruth(from, to);
    try (Warehouse wh = Warehouse.open(flinkUrl)) {
      assertThat(wh.query("SELECT STATUS, RUNNER FROM OPS_MONITORING.ETL_JOB_LOGS").toString(),
          equalTo("[{STATUS=SUCCEEDED, RUNNER=FlinkRunner}]"));
      List<Map<String, Object>> calls =
          wh.query("SELECT CALL_ID FROM STG_TRANSFORMED.STG_GONG_CALLS");
      assertThat(calls.size(), equalTo(truth.nonPrivateCallIds().size()));
      HashSet<Object> ids = new HashSet<>();
      calls.forEach(r -> ids.add(r.get("CALL_ID")));
      assertThat(ids, equalTo(new HashSet<Object>(truth.nonPrivateCallIds())));
    }

    Map<String, List<String>> onFlink = TableContents.of(flinkUrl);
    Map<String, List<String>> onDirect = TableContents.of(directUrl);
    onFlink.forEach((table, rows) ->
        System.out.printf("  %-48s flink %5d rows, direct %5d rows%n", table, rows.size(),
            onDirect.getOrDefault(table, List.of()).size()));
    assertThat(onFlink.get("OPS_MONITORING.DEAD_LETTER"), empty());
    assertThat(onFlink.get("AI_MEMORY.MEMORY_RECORDS").size(), greaterThan(ids(truth)));
    assertThat(onFlink.keySet(), equalTo(onDirect.keySet()));
    for (String table : onFlink.keySet()) {
      assertThat(table + " differs between Flink and the DirectRunner", onFlink.get(table),
          equalTo(onDirect.get(table)));
    }
    double maxDiff = TableContents.maxDifference(
        TableContents.embeddings(flinkUrl), TableContents.embeddings(directUrl));
    System.out.printf("largest embedding element difference Flink vs Direct: %.2e%n", maxDiff);
    assertThat(maxDiff, lessThan(1e-4));

    for (Path log : List.of(cluster.log("taskmanager-1"), cluster.log("jobmanager"))) {
      assertThat(log + " must not hold the Gong secret", Files.readString(log),
          not(containsString(SECRET)));
    }
    System.out.printf("FlinkClusterBackfillIT: flink run %.1f s, direct run %.1f s%n",
        flinkSeconds, directSeconds);
  }

  private int ids(GroundTruth truth) {
    return truth.nonPrivateCallIds().size();
  }

  /** What both runs share: the tenant, the window, the credentials, a warehouse of their own. */
  private Map<String, String> commonFlags(String warehouse) {
    return Map.of(
        "gongBaseUrl", sim.baseUrl(),
        "from", from.toString(),
        "to", to.toString(),
        "warehouse", warehouse,
        "gongCredentialsFile", credentials.toString(),
        // under Gong's 3/s (the strict simulator's limit), for the whole job on any parallelism
        "gongRequestsPerSecond", "2",
        // several details/transcript batches, so fetching is more than one request per kind
        "gongMaxCallIdsPerRequest", "10",
        "progressSeconds", "10");
  }
}
