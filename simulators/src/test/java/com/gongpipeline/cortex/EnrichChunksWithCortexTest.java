package com.gongpipeline.cortex;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;

import com.gongpipeline.cortex.sim.CortexSimulator;
import com.gongpipeline.cortex.sim.CortexSimulatorConfig;
import com.gongpipeline.enrich.SentimentScorerFactory;
import com.gongpipeline.errors.DeadLetter;
import com.gongpipeline.errors.StageResult;
import com.gongpipeline.model.CallContext;
import com.gongpipeline.model.ContextualChunk;
import com.gongpipeline.model.EnrichedChunk;
import com.gongpipeline.model.SpeakerChunk;
import com.gongpipeline.snowflake.SnowflakeCredentials;
import com.gongpipeline.transforms.EnrichChunks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** EnrichChunks with the Cortex provider over HTTP: dead letters, vectors and cortex metrics. */
class EnrichChunksWithCortexTest {
  @RegisterExtension final TestPipelineExtension pipelineExtension = TestPipelineExtension.create();
  static final String PAT = "pat-enrich-test";
  CortexSimulator sim;

  @AfterEach
  void stop() {
    if (sim != null) {
      sim.close();
    }
  }

  static List<ContextualChunk> chunks(int n, int poisonAt) {
    CallContext ctx = new CallContext("c1", "t", null, "eng", "Contoso", null, null, null, null,
        null);
    List<ContextualChunk> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String text = i == poisonAt ? "the stand-in REJECTME this chunk"
          : "we reviewed the security questionnaire item " + i;
      out.add(new ContextualChunk(
          new SpeakerChunk("c1", i, i, "s", "Dana", "Internal", i * 1000L, i * 1000L + 900, text,
              12), ctx));
    }
    return out;
  }

  CortexEnrichmentProvider provider(int maxAttempts) {
    return new CortexEnrichmentProvider(
        CortexEmbedConfig.builder(sim.baseUrl(), SnowflakeCredentials.pat(PAT, null, null))
            .maxAttempts(maxAttempts).backoff(Duration.ofMillis(10), Duration.ofMillis(20))
            .build(),
        SentimentScorerFactory.vader());
  }

  static long counter(PipelineResult r, String name) {
    MetricQueryResults q = r.metrics().queryMetrics(MetricsFilter.builder()
        .addNameFilter(MetricNameFilter.named("cortex", name)).build());
    long sum = 0;
    for (MetricResult<Long> c : q.getCounters()) {
      sum += c.getAttempted();
    }
    return sum;
  }

  /** Cortex answers 400 for one chunk: it alone is a dead letter; its batch-mates are stored. */
  @Test
  void givenCortexRejectsOneChunk_onlyThatChunkIsDeadLettered(TestPipeline p) throws Exception {
    sim = CortexSimulator.start(CortexSimulatorConfig.builder().pat(PAT).build());
    sim.rejectTextsContaining("REJECTME");
    sim.failNext(429, "0", 1);
    StageResult<EnrichedChunk> result =
        p.apply(Create.of(chunks(6, 2)).withCoder(SerializableCoder.of(ContextualChunk.class)))
            .apply(new EnrichChunks(provider(4), 4, null));
    PAssert.that(result.output()).satisfies(out -> {
      List<EnrichedChunk> list = StreamSupport.stream(out.spliterator(), false).toList();
      assertThat(list, hasSize(5));
      assertThat(list.stream().map(EnrichedChunk::embeddingModel).toList(),
          everyItem(equalTo("e5-base-v2")));
      assertThat(list.stream().map(c -> c.embedding().length).toList(), everyItem(equalTo(768)));
      assertThat(list.stream().map(c -> c.chunk().chunkIndex()).sorted().toList(),
          equalTo(List.of(0, 1, 3, 4, 5)));
      return null;
    });
    PAssert.that(result.deadLetters()).satisfies(dls -> {
      List<DeadLetter> list = StreamSupport.stream(dls.spliterator(), false).toList();
      assertThat(list, hasSize(1));
      assertThat(list.get(0).stage().stageName(), equalTo("embed"));
      assertThat(list.get(0).recordKey(), equalTo("c1:2"));
      assertThat(list.get(0).payload(), equalTo("the stand-in REJECTME this chunk"));
      assertThat(list.get(0).errorMessage(), containsString("400"));
      assertThat(list.get(0).errorMessage() + list.get(0).stackTrace(),
          not(containsString(PAT)));
      return null;
    });
    PipelineResult r = p.run();
    r.waitUntilFinish();
    assertThat(counter(r, "requests_200"), greaterThan(0L));
    assertThat(counter(r, "requests_4xx"), greaterThan(0L));
    assertThat(counter(r, "requests_429"), equalTo(1L));
    assertThat(counter(r, "throttled_429"), equalTo(1L));
    assertThat(counter(r, "retries"), equalTo(1L));
    assertThat(counter(r, "texts"), equalTo(5L));
    assertThat(counter(r, "tokens"), greaterThan(5L * 8));
    assertThat(counter(r, "latency_ms_count"), equalTo(counter(r, "requests")));
    assertThat(counter(r, "failures"), greaterThan(0L));
  }

  /** Cortex down past the retries: every chunk is a dead letter, and chunks are not retried alone. */
  @Test
  void givenCortexStaysDown_batchIsDeadLetteredWithoutPerChunkRetries(TestPipeline p)
      throws Exception {
    sim = CortexSimulator.start(CortexSimulatorConfig.builder().pat(PAT).build());
    sim.failNext(503, null, 100);
    StageResult<EnrichedChunk> result =
        p.apply(Create.of(chunks(3, -1)).withCoder(SerializableCoder.of(ContextualChunk.class)))
            .apply(new EnrichChunks(provider(2), 8, null));
    PAssert.that(result.output()).empty();
    PAssert.that(result.deadLetters()).satisfies(dls -> {
      List<DeadLetter> list = StreamSupport.stream(dls.spliterator(), false).toList();
      assertThat(list, hasSize(3));
      assertThat(list.stream().map(DeadLetter::attempts).toList(), everyItem(equalTo(2)));
      assertThat(list.get(0).errorMessage(), containsString("HTTP 503"));
      return null;
    });
    p.run().waitUntilFinish();
    // attempts == 2 on every dead letter above means no chunk was retried alone (that path
    // records 1 + attempts); and every request was one of a batch's two attempts.
    assertThat(sim.requestsByStatus().get(503) % 2, equalTo(0L));
    assertThat(sim.requests(), equalTo(sim.requestsByStatus().get(503)));
  }
}
