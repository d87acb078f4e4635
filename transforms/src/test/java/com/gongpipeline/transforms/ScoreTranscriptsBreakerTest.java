package com.gongpipeline.transforms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import com.gongpipeline.enrich.EnrichmentProvider;
import com.gongpipeline.enrich.ModelUnavailableException;
import com.gongpipeline.enrich.SentimentScorer;
import com.gongpipeline.enrich.TextEmbedder;
import com.gongpipeline.errors.CircuitBreaker;
import com.gongpipeline.errors.DeadLetter;
import com.gongpipeline.errors.StageResult;
import com.gongpipeline.model.FetchedCall;
import com.gongpipeline.testing.FakeEnrichmentProvider;
import com.gongpipeline.warehouse.Warehouse;
import com.gongpipeline.warehouse.WarehouseProvider;
import com.gongpipeline.warehouse.WarehouseRow;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Create;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 11 items 4 and 8 for the call-level sentiment ({@link ScoreTranscripts}): its scorer goes
 * through the same circuit breaker as chunk enrichment, so an outage seen by either makes call
 * scoring fail fast, and a failed scoring never writes NULL over a stored score.
 */
class ScoreTranscriptsBreakerTest {
  @RegisterExtension final TestPipelineExtension pipelineExtension = TestPipelineExtension.create();

  static final AtomicInteger SCORER_CALLS = new AtomicInteger();

  /** Sentiment down (HTTP 503 after its retries), counting the calls that reached it. */
  static final class DownSentimentProvider implements EnrichmentProvider {
    @Override
    public TextEmbedder embedder() {
      return new FakeEnrichmentProvider().embedder();
    }

    @Override
    public SentimentScorer sentiment() {
      return new SentimentScorer() {
        @Override
        public String modelName() {
          return "down-sentiment";
        }

        @Override
        public double[] score(List<String> texts) {
          SCORER_CALLS.incrementAndGet();
          throw new ModelUnavailableException("HTTP 503 x6", 6);
        }
      };
    }
  }

  private static List<FetchedCall> calls(int n) throws Exception {
    String call = ParseAndEnrichTransformsTest.fixture("call_extensive.json");
    String transcript = ParseAndEnrichTransformsTest.fixture("transcript.json");
    List<FetchedCall> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String id = String.valueOf(1000 + i);
      out.add(new FetchedCall(id, call.replace(ParseAndEnrichTransformsTest.CALL_ID, id),
          transcript.replace(ParseAndEnrichTransformsTest.CALL_ID, id)));
    }
    return out;
  }

  private static StageResult<WarehouseRow> scored(Pipeline p, List<FetchedCall> calls,
      EnrichmentProvider provider, String breaker) {
    return p.apply(Create.of(calls).withCoder(SerializableCoder.of(FetchedCall.class)))
        .apply(new ParseCalls("job-t")).output()
        .apply(new ScoreTranscripts(provider, null).withModelBreaker(breaker));
  }

  private static Map<String, Object> stored(Warehouse wh) {
    return wh.query("SELECT c.SENTIMENT_SCORE AS CALL_SCORE, c.SENTIMENT_MODEL AS MODEL, "
        + "(SELECT SUM(t.SEGMENT_SENTIMENT) FROM STG_TRANSFORMED.STG_GONG_CALL_TRANSCRIPTS t "
        + "WHERE t.CALL_ID = c.CALL_ID) AS TURN_SCORES FROM STG_TRANSFORMED.STG_GONG_CALLS c "
        + "WHERE c.CALL_ID = '1000'").get(0);
  }

  /**
   * Chunk enrichment saw the outage and opened the shared breaker: call scoring then fails fast
   * (no call reaches the scorer, each call is dead-lettered) and the stored scores stay.
   */
  @Test
  void anOutageSeenByEnrichmentMakesCallScoringFailFastAndKeepsStoredScores(TestPipeline p)
      throws Exception {
    String url = "jdbc:duckdb::memory:score-breaker-" + UUID.randomUUID();
    WarehouseProvider warehouse = WarehouseProvider.of(url);
    try (Warehouse held = warehouse.open()) {
      held.applySchema();
      Pipeline first = Pipeline.create(PipelineOptionsFactory.create());
      scored(first, calls(1), new FakeEnrichmentProvider(), "first-" + UUID.randomUUID())
          .output().apply(new WriteToWarehouse(warehouse, 100, org.joda.time.Duration.ZERO));
      first.run().waitUntilFinish();
      Map<String, Object> before = stored(held);
      assertThat(before.get("CALL_SCORE"), notNullValue());
      assertThat(before.get("TURN_SCORES"), notNullValue());

      String name = "models-" + UUID.randomUUID();
      CircuitBreaker shared = CircuitBreaker.shared(name, CircuitBreaker.DEFAULT_FAILURE_THRESHOLD,
          CircuitBreaker.DEFAULT_COOL_DOWN, Clock.systemUTC());
      for (int i = 0; i < CircuitBreaker.DEFAULT_FAILURE_THRESHOLD; i++) {
        shared.recordFailure(); // what EnrichBatchFn does under the same name
      }
      SCORER_CALLS.set(0);
      StageResult<WarehouseRow> result = scored(p, calls(1), new DownSentimentProvider(), name);
      result.output().apply(new WriteToWarehouse(warehouse, 100, org.joda.time.Duration.ZERO));
      PAssert.that(result.deadLetters()).satisfies(dls -> {
        for (DeadLetter dl : dls) {
          assertThat(dl.errorMessage(), containsString("circuit breaker '" + name + "' open"));
        }
        return null;
      });
      PAssert.thatSingleton(result.deadLetters().apply(Count.globally())).isEqualTo(1L);
      p.run().waitUntilFinish();

      assertThat("no call reached the scorer", SCORER_CALLS.get(), equalTo(0));
      assertThat("a failed scoring never writes NULL over stored scores", stored(held),
          equalTo(before));
    }
  }

  /** A scorer that is down opens the shared breaker after a few calls; the rest fail fast. */
  @Test
  void aDownScorerTripsTheSharedBreaker(TestPipeline p) throws Exception {
    String name = "models-" + UUID.randomUUID();
    SCORER_CALLS.set(0);
    StageResult<WarehouseRow> result = scored(p, calls(40), new DownSentimentProvider(), name);
    PAssert.thatSingleton(result.deadLetters().apply(Count.globally())).isEqualTo(40L);
    p.run().waitUntilFinish();
    assertThat(CircuitBreaker.shared(name, 1, CircuitBreaker.DEFAULT_COOL_DOWN,
        Clock.systemUTC()).state(), equalTo(CircuitBreaker.State.OPEN));
    // Without the breaker all 40 reached the scorer; calls in flight on other threads when it
    // opened may still reach it: a few more than the threshold at most.
    assertThat("scorer calls: " + SCORER_CALLS.get(), SCORER_CALLS.get() >= 3
        && SCORER_CALLS.get() <= CircuitBreaker.DEFAULT_FAILURE_THRESHOLD + 8, equalTo(true));
  }
}
