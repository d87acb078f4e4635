package com.gongpipeline.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.gongpipeline.cortex.CortexEnrichmentProvider;
import com.gongpipeline.cortex.sim.CortexSimulator;
import com.gongpipeline.cortex.sim.CortexSimulatorConfig;
import com.gongpipeline.enrich.EnrichmentProvider;
import com.gongpipeline.gong.GongCredentials;
import com.gongpipeline.gong.sim.GongSimulator;
import com.gongpipeline.gong.sim.SimulatorConfig;
import com.gongpipeline.model.TimeWindow;
import com.gongpipeline.pipeline.options.GongPipelineOptions;
import com.gongpipeline.snowflake.SnowflakeCredentials;
import com.gongpipeline.warehouse.SearchHit;
import com.gongpipeline.testing.TableQuery;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code backfill --embeddings=cortex} against the Gong simulator and the Cortex stand-in, into a
 * temporary DuckDB: AI_MEMORY holds 768-d e5-base-v2 vectors, chunks Cortex refuses are dead
 * letters with their text, {@code search} with local e5-small-v2 queries refuses to compare the
 * vectors and {@code search --embeddings=cortex} finds them. Kept small (a handful of calls).
 */
class CortexBackfillTest {
  @TempDir Path dir;

  static GongPipelineOptions options(String... args) {
    return PipelineOptionsFactory.fromArgs(args).as(GongPipelineOptions.class);
  }

  @Test
  void backfillWithCortexEmbeddingsStoresE5Base768AndSearchDoesNotMixModels() throws Exception {
    Instant now = Instant.now();
    Instant from = now.minus(Duration.ofDays(3));
    SimulatorConfig gongConfig = SimulatorConfig.builder().seed(11).calls(4).callsFrom(from)
        .callsTo(now.minus(Duration.ofHours(1))).requestsPerSecond(50).build();
    String warehouse = "jdbc:duckdb:" + dir.resolve("cortex.duckdb");
    try (GongSimulator gong = GongSimulator.start(gongConfig);
        CortexSimulator cortex = CortexSimulator.start(CortexSimulatorConfig.builder().build())) {
      cortex.failNext(429, "0", 1);
      cortex.failNext(503, null, 1);
      // Cortex answers 400 for every chunk with a question mark: those chunks, and only those,
      // must reach OPS_MONITORING.DEAD_LETTER with their text; their batch-mates are stored.
      cortex.rejectTextsContaining("?");
      GongPipelineOptions o = options("--gongBaseUrl=" + gong.baseUrl(), "--from=" + from,
          "--to=" + now, "--warehouse=" + warehouse, "--progressSeconds=0",
          "--gongRequestsPerSecond=20",
          "--embeddings=cortex", "--cortexUrl=" + cortex.baseUrl(), "--cortexBatchSize=16");
      EnrichmentProvider enrichment = Enrichment.fromOptions(o,
          SnowflakeCredentials.pat(CortexSimulatorConfig.DEMO_PAT, null, null));
      assertThat(enrichment instanceof CortexEnrichmentProvider, equalTo(true));

      Pipeline p = Pipeline.create(o);
      GongBackfill.buildPipeline(p, o, GongBackfill.gongConfig(o,
              GongCredentials.of(gongConfig.accessKey(), gongConfig.accessKeySecret())),
          enrichment, new TimeWindow(from, now), "cortex-test");
      JobRun.run(p, o, "cortex-test", "backfill", from, now,
          new PrintStream(new ByteArrayOutputStream()));

      assertThat(strings(warehouse, "SELECT DISTINCT STAGE FROM OPS_MONITORING.DEAD_LETTER"),
          equalTo(List.of("embed")));
      assertThat(count(warehouse, "SELECT count(*) FROM OPS_MONITORING.DEAD_LETTER "
          + "WHERE PAYLOAD NOT LIKE '%?%' OR ERROR_MESSAGE NOT LIKE '%HTTP 400%'"), equalTo(0L));
      long deadLettered = count(warehouse, "SELECT count(*) FROM OPS_MONITORING.DEAD_LETTER");
      long chunks = count(warehouse, "SELECT count(*) FROM AI_MEMORY.MEMORY_RECORDS");
      assertThat(deadLettered, greaterThan(0L));
      assertThat(chunks, greaterThan(0L));
      assertThat(count(warehouse, "SELECT count(*) FROM AI_MEMORY.MEMORY_RECORDS "
          + "WHERE CONTENT LIKE '%?%'"), equalTo(0L));
      assertThat(strings(warehouse, "SELECT DISTINCT EMBEDDING_MODEL || ' ' || EMBEDDING_DIM || ' '"
          + " || len(EMBEDDING) FROM AI_MEMORY.MEMORY_RECORDS"), equalTo(List.of("e5-base-v2 768 768")));
      assertThat(cortex.textsEmbedded(), equalTo(chunks));
      assertThat(cortex.requestsByStatus().get(429), equalTo(1L));
      assertThat(cortex.requestsByStatus().get(503), equalTo(1L));

      IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
          () -> SearchCommand.run(new String[] {"security review", "--warehouse=" + warehouse},
              new PrintStream(new ByteArrayOutputStream())));
      assertThat(refused.getMessage(), containsString("never compared"));

      List<SearchHit> hits = SearchCommand.run(new String[] {"SOC 2 security review",
              "--warehouse=" + warehouse, "--k=3", "--embeddings=cortex",
              "--cortexUrl=" + cortex.baseUrl()}, new PrintStream(new ByteArrayOutputStream()),
          SnowflakeCredentials.pat(CortexSimulatorConfig.DEMO_PAT, null, null));
      assertThat(hits.size(), equalTo(3));
      // The stand-in's projection keeps e5 similarities: a security question finds security talk.
      assertThat(hits.stream().map(SearchHit::text).toList(),
          hasItem(anyOf(containsString("SOC 2"), containsString("security"))));
      assertThat(cortex.received().get(cortex.received().size() - 1).texts(),
          equalTo(List.of("query: SOC 2 security review")));
    }
  }

  @Test
  void sentimentCortexWithoutSnowflakeConnectionFailsClearly() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Enrichment.fromOptions(options("--embeddings=cortex", "--sentiment=cortex",
            "--cortexUrl=http://127.0.0.1:1"), SnowflakeCredentials.pat("x", null, null)));
    assertThat(e.getMessage(), containsString("--sentiment=local"));
  }

  @Test
  void cortexEmbeddingsNeedAUrlAndAKnownModel() {
    IllegalArgumentException noUrl = assertThrows(IllegalArgumentException.class,
        () -> Enrichment.fromOptions(options("--embeddings=cortex"),
            SnowflakeCredentials.pat("x", null, null)));
    assertThat(noUrl.getMessage(), containsString("--cortexUrl"));
    IllegalArgumentException badModel = assertThrows(IllegalArgumentException.class,
        () -> Enrichment.fromOptions(options("--embeddings=cortex", "--cortexUrl=https://a.b",
            "--cortexEmbeddingModel=ada-002"), SnowflakeCredentials.pat("x", null, null)));
    assertThat(badModel.getMessage(), containsString("snowflake-arctic-embed-m-v1.5"));
  }

  @Test
  void simulateStartsTheCortexStandInOnlyWithCortexPort() throws Exception {
    assertThat(SimulateCommand.startCortex(CliArgs.parse(new String[] {"--port=0"})) == null,
        equalTo(true));
    try (CortexSimulator cortex =
        SimulateCommand.startCortex(CliArgs.parse(new String[] {"--cortexPort=0"}))) {
      assertThat(cortex.baseUrl(), containsString("http://127.0.0.1:"));
      assertThat(cortex.config().pat(), equalTo(CortexSimulatorConfig.DEMO_PAT));
    }
  }

  static long count(String warehouse, String sql) {
    return TableQuery.on(warehouse).longValue(sql);
  }

  static List<String> strings(String warehouse, String sql) {
    return TableQuery.on(warehouse).strings(sql);
  }
}
