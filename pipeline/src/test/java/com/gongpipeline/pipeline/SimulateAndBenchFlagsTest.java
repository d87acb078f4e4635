package com.gongpipeline.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import com.gongpipeline.gong.sim.SimulatorConfig;
import com.gongpipeline.gong.sim.SimulatorStats;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code simulate}'s budget-mode flags and {@code bench}'s minimum-request arithmetic. */
class SimulateAndBenchFlagsTest {

  @Test
  void simulateFlagsSetTheDailyQuotaAndStrictRate() {
    SimulatorConfig config = SimulateCommand.config(
        CliArgs.parse(new String[] {"--dailyQuota=500", "--strictRate", "--port=0"}),
        SimulatorConfig.builder());
    assertThat(config.dailyQuota(), is(500L));
    assertThat(config.strictRate(), is(true));

    SimulatorConfig plain = SimulateCommand.config(CliArgs.parse(new String[] {"--port=0"}),
        SimulatorConfig.builder());
    assertThat(plain.dailyQuota(), is(10_000L));
    assertThat(plain.strictRate(), is(false));
  }

  @Test
  void theMinimumIsTheServedListAndDirectoryPagesPlusTwoRequestsPer100Calls() {
    SimulatorStats served = new SimulatorStats(0, Map.of(
        "GET /v2/calls 200", 30L, "GET /v2/calls 429", 4L, "GET /v2/users 200", 2L,
        "GET /v2/workspaces 200", 1L, "POST /v2/calls/extensive 200", 99L), 4, 4, 0, 0, Map.of());
    SimulatorConfig pagesOf100 = SimulatorConfig.builder().extensivePageSize(100)
        .transcriptsPageSize(100).build();
    // 271 calls: 3 details + 3 transcript requests.
    assertThat(BenchCommand.minimumRequests(served, 271, pagesOf100), is(30L + 6 + 2 + 1));
    assertThat(BenchCommand.minimumRequests(served, 0, pagesOf100), is(33L));
    assertThat(BenchCommand.minimumRequests(served, 100, pagesOf100), is(35L));
    // The simulator's default pages (17 details, 13 transcripts): 100 ids take 6 + 8 pages;
    // 271 ids: 2 × 6 + ceil(71 / 17) = 17 details pages, 2 × 8 + ceil(71 / 13) = 22 transcript pages.
    SimulatorConfig smallPages = SimulatorConfig.builder().build();
    assertThat(BenchCommand.minimumRequests(served, 271, smallPages), is(30L + 17 + 22 + 2 + 1));
  }

  @Test
  void benchPrintsTheEnrichmentModelTimePerCall() {
    JobMetrics m = JobMetrics.of(Map.of("enrich:embedding_batch_ms_sum", 3000L,
        "enrich:sentiment_batch_ms_sum", 500L, "enrich:summary_ms_sum", 500L,
        "enrich:summaries_made", 7L));
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    BenchCommand.enrichmentCostReport(m, 10, new java.io.PrintStream(bytes, true,
        java.nio.charset.StandardCharsets.UTF_8));
    assertThat(bytes.toString(java.nio.charset.StandardCharsets.UTF_8), org.hamcrest.Matchers
        .containsString("enrichment per call        400 ms of model time (embeddings 300"
            + " + sentiment 50 + summaries 50, 7 summaries made"));
  }
}
