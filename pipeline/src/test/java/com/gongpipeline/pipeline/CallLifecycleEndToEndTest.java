package com.gongpipeline.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import com.gongpipeline.enrich.TextEmbedder;
import com.gongpipeline.gong.GongCredentials;
import com.gongpipeline.gong.sim.GongSimulator;
import com.gongpipeline.gong.sim.SimulatorConfig;
import com.gongpipeline.model.TimeWindow;
import com.gongpipeline.pipeline.options.GongPipelineOptions;
import com.gongpipeline.testing.FakeEnrichmentProvider;
import com.gongpipeline.testing.MutableClock;
import com.gongpipeline.warehouse.SearchHit;
import com.gongpipeline.warehouse.SearchQuery;
import com.gongpipeline.warehouse.Warehouse;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 item 5 end to end against the Gong simulator over HTTP: after a backfill, one call is
 * made private and another deleted in Gong. A re-run whose listing of their day fails deletes
 * nothing; the next complete re-run removes both from AI_MEMORY and search, flags them in STG and
 * counts 2 in its job log.
 */
class CallLifecycleEndToEndTest {
  static final Instant DAY = Instant.parse("2026-06-01T00:00:00Z");
  static final TimeWindow RANGE = new TimeWindow(DAY, DAY.plus(Duration.ofDays(2)));

  @TempDir Path dir;

  @Test
  void privateAndDeletedCallsDisappearOnlyAfterACompleteListing() throws Exception {
    SimulatorConfig config = SimulatorConfig.builder()
        .seed(11).calls(16).callsFrom(RANGE.from()).callsTo(RANGE.to())
        .clock(new MutableClock(DAY.plus(Duration.ofDays(10)))).requestsPerSecond(50).build();
    String url = "jdbc:duckdb:" + dir.resolve("lifecycle.duckdb");
    try (GongSimulator sim = GongSimulator.start(config)) {
      run(sim, url, "lc-1");
      List<String> both;
      try (Warehouse wh = Warehouse.open(url)) {
        both = strings(wh, "SELECT c.CALL_ID AS V FROM STG_TRANSFORMED.STG_GONG_CALLS c"
            + " WHERE c.CALL_DATETIME_UTC < TIMESTAMP '2026-06-01 20:00:00'"
            + " AND c.CALL_DATETIME_UTC > TIMESTAMP '2026-06-01 02:00:00' AND EXISTS (SELECT 1"
            + " FROM AI_MEMORY.MEMORY_RECORDS m WHERE m.SOURCE_ID = c.CALL_ID) ORDER BY 1 LIMIT 2");
        assertThat(both, hasSize(2));
        assertThat(searchedCalls(wh), hasItems(both.get(0), both.get(1)));
      }
      sim.makeCallPrivate(both.get(0));
      sim.deleteCall(both.get(1));

      // Day 0 cannot be listed: a partial listing deletes nothing.
      sim.failListingsCovering(DAY.plus(Duration.ofHours(12)));
      JobRun.Summary partial = run(sim, url, "lc-2", "--gongMaxAttempts=1");
      assertThat(partial.log().callsDeleted(), equalTo(0L));
      try (Warehouse wh = Warehouse.open(url)) {
        assertThat(strings(wh, "SELECT CALL_ID AS V FROM STG_TRANSFORMED.STG_GONG_CALLS"
            + " WHERE IS_DELETED"), empty());
        assertThat(searchedCalls(wh), hasItems(both.get(0), both.get(1)));
      }

      // Listed completely: both go.
      sim.failListingsCovering(null);
      JobRun.Summary complete = run(sim, url, "lc-3");
      assertThat(complete.log().callsDeleted(), equalTo(2L));
      try (Warehouse wh = Warehouse.open(url)) {
        assertThat(wh.findJob("lc-3").orElseThrow().callsDeleted(), equalTo(2L));
        assertThat(strings(wh, "SELECT CALL_ID AS V FROM STG_TRANSFORMED.STG_GONG_CALLS"
            + " WHERE IS_DELETED AND DELETED_AT IS NOT NULL ORDER BY 1"), equalTo(both));
        for (String id : both) {
          assertThat(wh.query("SELECT 1 FROM AI_MEMORY.MEMORY_RECORDS WHERE SOURCE_ID = ?", id),
              empty());
          assertThat(wh.query("SELECT 1 FROM STG_TRANSFORMED.STG_GONG_CALL_TRANSCRIPTS"
              + " WHERE CALL_ID = ?", id), empty());
        }
        List<String> searched = searchedCalls(wh);
        assertThat(searched, not(hasItems(both.get(0))));
        assertThat(searched, not(hasItems(both.get(1))));
        assertThat(searched.isEmpty(), equalTo(false));
        assertThat(wh.findJob("lc-3").orElseThrow().options().get("syncDeletedCalls"),
            notNullValue());
      }
    }
  }

  private static JobRun.Summary run(GongSimulator sim, String url, String jobId, String... more) {
    String[] base = {"--gongBaseUrl=" + sim.baseUrl(), "--warehouse=" + url,
        "--gongRequestsPerSecond=40", "--progressSeconds=0", "--listWindow=P1D"};
    String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    GongPipelineOptions o = PipelineOptionsFactory.fromArgs(all).as(GongPipelineOptions.class);
    GongCredentials credentials = GongCredentials.of(sim.config().accessKey(),
        sim.config().accessKeySecret());
    Pipeline p = Pipeline.create(o);
    GongBackfill.buildPipeline(p, o,
        GongBackfill.Seams.of(GongBackfill.gongConfig(o, credentials), o, jobId),
        new FakeEnrichmentProvider(), RANGE, jobId);
    return JobRun.run(p, o, jobId, "backfill", RANGE.from(), RANGE.to(),
        new PrintStream(new ByteArrayOutputStream()));
  }

  /** Call ids of every hit of a broad search (k = 1000), as {@code search} finds them. */
  private static List<String> searchedCalls(Warehouse wh) {
    TextEmbedder embedder = new FakeEnrichmentProvider().embedder();
    List<String> ids = new ArrayList<>();
    for (SearchHit h : wh.search(SearchQuery.builder(embedder.embedQuery("pricing review"),
        embedder.modelName()).k(1000).build())) {
      ids.add(h.callId());
    }
    return ids;
  }

  private static List<String> strings(Warehouse wh, String sql) {
    List<String> out = new ArrayList<>();
    for (Map<String, Object> row : wh.query(sql)) {
      out.add(String.valueOf(row.get("V")));
    }
    return out;
  }
}
