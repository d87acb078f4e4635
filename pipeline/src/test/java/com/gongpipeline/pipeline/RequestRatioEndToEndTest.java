package com.gongpipeline.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import com.gongpipeline.gong.GongCredentials;
import com.gongpipeline.gong.sim.GongSimulator;
import com.gongpipeline.gong.sim.SimulatorConfig;
import com.gongpipeline.gong.sim.SimulatorStats;
import com.gongpipeline.pipeline.options.GongPipelineOptions;
import com.gongpipeline.warehouse.JobLog;
import com.gongpipeline.warehouse.Warehouse;
import com.gongpipeline.warehouse.WarehouseTable;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10 item 4, counted at the simulator: {@code backfill}, {@code incremental} and {@code
 * stream} each read a tenant that serves small pages (10 per page for lists, details, transcripts
 * and users) in at most 1.1× the fewest requests for those pages: the list pages it served (each
 * sub-window, and each of the stream's polls, lists at least one page) and the directory's, plus
 * the details and transcript pages of the tenant's calls in requests of 100 ids. Before, the
 * stream fetched calls a second time when the next poll listed them while their rows were on the
 * way, and a poll's sub-windows could go out as several partial id batches.
 */
class RequestRatioEndToEndTest {
  /** Page size of every paginated endpoint (override with -Dratio.page=37 to measure). */
  static final int PAGE = Integer.getInteger("ratio.page", 10);

  @TempDir Path dir;

  @Test
  void everyModeStaysWithinATenthOfTheMinimumRequestsOnSmallPages() throws Exception {
    long t0 = System.nanoTime();
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    Instant from = now.minus(Duration.ofDays(3));
    SimulatorConfig config = SimulatorConfig.builder().seed(7).calls(24)
        .callsFrom(now.minus(Duration.ofHours(50))).callsTo(now.minus(Duration.ofHours(1)))
        .callsPageSize(PAGE).extensivePageSize(PAGE).transcriptsPageSize(PAGE)
        .usersPageSize(PAGE).processingLag(Duration.ofMinutes(1)).requestsPerSecond(100).build();
    Map<String, Double> ratios = new java.util.LinkedHashMap<>();
    try (GongSimulator sim = GongSimulator.start(config)) {
      int calls = sim.groundTruth(from, now).nonPrivateCallIds().size();
      for (String mode : new String[] {"backfill", "incremental", "stream"}) {
        SimulatorStats before = sim.stats();
        String url = "jdbc:duckdb:" + dir.resolve(mode + ".duckdb");
        String[] args = {"--gongBaseUrl=" + sim.baseUrl(), "--warehouse=" + url,
            "--from=" + from, "--to=" + now, "--lookback=P3D", "--pollInterval=PT2S",
            "--runFor=PT12S", "--earlyFiringDelay=PT1S", "--progressSeconds=0",
            "--gongRequestsPerSecond=100", "--writeMaxBufferingSeconds=1",
            "--localEmbeddingModel=e5-small-v2-q"};
        GongPipelineOptions o = PipelineOptionsFactory.fromArgs(args)
            .as(GongPipelineOptions.class);
        RunnerDefaults.apply(o, args);
        GongCredentials creds = GongCredentials.of(config.accessKey(), config.accessKeySecret());
        PrintStream out = new PrintStream(new ByteArrayOutputStream());
        JobRun.Summary s = switch (mode) {
          case "backfill" -> BackfillCommand.run(o, creds, out);
          case "incremental" -> IncrementalCommand.run(o, creds, out);
          default -> StreamCommand.run(o, creds, out);
        };
        assertThat(mode, s.log().status(), equalTo(JobLog.Status.SUCCEEDED));
        try (Warehouse wh = Warehouse.open(url)) {
          assertThat(mode + ": every call landed", wh.count(WarehouseTable.STG_CALLS),
              equalTo((long) calls));
        }
        SimulatorStats after = sim.stats();
        Map<String, Long> served = new TreeMap<>();
        after.requests().forEach((k, v) -> {
          long d = v - before.requests().getOrDefault(k, 0L);
          if (d != 0) {
            served.put(k, d);
          }
        });
        long sent = after.totalRequests() - before.totalRequests();
        long minimum = minimum(served, calls);
        System.out.printf("%s, %d per page: %d requests, minimum %d (%.2fx): %s%n", mode, PAGE,
            sent, minimum, (double) sent / minimum, served);
        ratios.put(mode, (double) sent / minimum);
      }
    }
    // All three measured before any is judged, so a failure shows every mode's figure.
    ratios.forEach((mode, ratio) -> assertThat(mode + " requests / minimum " + ratios, ratio,
        lessThanOrEqualTo(1.1)));
    System.out.printf("RequestRatioEndToEndTest took %.1f s%n", (System.nanoTime() - t0) / 1e9);
  }

  /**
   * The fewest requests for what the server served: its list pages (200, or 404 for an empty
   * window) and directory pages, and the details and transcript pages of {@code calls} ids sent
   * 100 per request.
   */
  private static long minimum(Map<String, Long> served, int calls) {
    long lists = served.getOrDefault("GET /v2/calls 200", 0L)
        + served.getOrDefault("GET /v2/calls 404", 0L);
    long directory = served.getOrDefault("GET /v2/users 200", 0L)
        + served.getOrDefault("GET /v2/workspaces 200", 0L);
    long idPages = calls / 100 * ((100 + PAGE - 1) / PAGE) + ((calls % 100) + PAGE - 1) / PAGE;
    return lists + directory + 2 * idPages;
  }
}
