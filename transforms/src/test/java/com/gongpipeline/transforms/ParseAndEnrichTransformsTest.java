package com.gongpipeline.transforms;

import com.gongpipeline.enrich.CallSentiment;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import com.gongpipeline.errors.DeadLetter;
import com.gongpipeline.errors.StageResult;
import com.gongpipeline.model.CallContext;
import com.gongpipeline.model.ContextualChunk;
import com.gongpipeline.model.EnrichedChunk;
import com.gongpipeline.model.FetchedCall;
import com.gongpipeline.model.ParsedCall;
import com.gongpipeline.model.SpeakerChunk;
import com.gongpipeline.testing.FakeEnrichmentProvider;
import com.gongpipeline.warehouse.WarehouseRow;
import com.gongpipeline.warehouse.WarehouseTable;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Transform tests: every output tag is asserted, dead letters included. */
class ParseAndEnrichTransformsTest {
  @RegisterExtension final TestPipelineExtension pipelineExtension = TestPipelineExtension.create();

  static final String CALL_ID = "98765432109876543210";

  static String fixture(String name) throws Exception {
    try (InputStream in = ParseAndEnrichTransformsTest.class.getResourceAsStream("/gong/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** A good call parses; a malformed one becomes one parse_call dead letter with its JSON. */
  @Test
  void parseCalls_routesMalformedJsonToDeadLetters(TestPipeline p) throws Exception {
    FetchedCall good = new FetchedCall(CALL_ID, fixture("call_extensive.json"),
        fixture("transcript.json"));
    FetchedCall bad = new FetchedCall("42", "{\"metaData\": {\"id\": \"42\", \"title\": ", null);
    StageResult<ParsedCall> result =
        p.apply(Create.of(good, bad).withCoder(SerializableCoder.of(FetchedCall.class)))
            .apply(new ParseCalls("job-t"));
    PAssert.that(result.output()).satisfies(calls -> {
      List<ParsedCall> list = new ArrayList<>();
      calls.forEach(list::add);
      assertThat(list, hasSize(1));
      assertThat(list.get(0).context().callId(), equalTo(CALL_ID));
      assertThat(list.get(0).turns(), hasSize(4));
      return null;
    });
    PAssert.that(result.deadLetters()).satisfies(dls -> {
      List<DeadLetter> list = new ArrayList<>();
      dls.forEach(list::add);
      assertThat(list, hasSize(1));
      assertThat(list.get(0).stage().stageName(), equalTo("parse_call"));
      assertThat(list.get(0).recordKey(), equalTo("42"));
      assertThat(list.get(0).errorMessage(), containsString("malformed JSON"));
      assertThat(list.get(0).payload(), containsString("\"title\": "));
      return null;
    });
    p.run().waitUntilFinish();
  }

  /** Sentiment scoring emits call, participant, topic and one transcript row per turn. */
  @Test
  void scoreTranscripts_emitsStagingRowsWithSentiment(TestPipeline p) throws Exception {
    FetchedCall good = new FetchedCall(CALL_ID, fixture("call_extensive.json"),
        fixture("transcript.json"));
    StageResult<WarehouseRow> rows =
        p.apply(Create.of(good).withCoder(SerializableCoder.of(FetchedCall.class)))
            .apply(new ParseCalls("job-t")).output()
            .apply(new ScoreTranscripts(new FakeEnrichmentProvider(), null));
    PAssert.that(rows.output()).satisfies(all -> {
      int transcripts = 0;
      WarehouseRow call = null;
      for (WarehouseRow r : all) {
        if (r.table() == WarehouseTable.STG_TRANSCRIPTS) {
          transcripts++;
          if (r.get("TRANSCRIPT_ID").equals(CALL_ID + ":1")) {
            assertThat(r.get("SEGMENT_SENTIMENT"), equalTo(-0.6));
          }
        } else if (r.table() == WarehouseTable.STG_CALLS) {
          call = r;
        }
      }
      assertThat(transcripts, equalTo(4));
      assertThat(call.get("SENTIMENT_MODEL"), equalTo("fake-sentiment;" + CallSentiment.METHOD));
      assertThat((Double) call.get("SENTIMENT_SCORE") < 0, equalTo(true));
      return null;
    });
    PAssert.that(rows.deadLetters()).empty();
    p.run().waitUntilFinish();
  }

  /** A chunk the model rejects is a dead letter with its text; its batch-mates still land. */
  @Test
  void enrichChunks_isolatesPoisonChunkInItsBatch(TestPipeline p) {
    CallContext ctx = new CallContext("c1", "t", null, "eng", "Contoso", null, null, null, null, null);
    List<ContextualChunk> chunks = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      String text = i == 3 ? "this has POISON in it" : "chunk number " + i + " is great";
      chunks.add(new ContextualChunk(
          new SpeakerChunk("c1", i, i, "s", "Dana", "Internal", i * 1000L, i * 1000L + 900, text, 8),
          ctx));
    }
    StageResult<EnrichedChunk> result =
        p.apply(Create.of(chunks).withCoder(SerializableCoder.of(ContextualChunk.class)))
            .apply(new EnrichChunks(new FakeEnrichmentProvider(), 4, null));
    PCollection<Long> enrichedCount = result.output().apply(Count.globally());
    PAssert.thatSingleton(enrichedCount).isEqualTo(9L);
    PAssert.that(result.output().apply(Filter.by(e -> e.embedding().length != 4))).empty();
    PAssert.that(result.deadLetters()).satisfies(dls -> {
      List<DeadLetter> list = new ArrayList<>();
      dls.forEach(list::add);
      assertThat(list, hasSize(1));
      assertThat(list.get(0).stage().stageName(), equalTo("embed"));
      assertThat(list.get(0).recordKey(), equalTo("c1:3"));
      assertThat(list.get(0).payload(), equalTo("this has POISON in it"));
      return null;
    });
    p.run().waitUntilFinish();
  }

  static final java.util.concurrent.atomic.AtomicInteger DOWN_CALLS =
      new java.util.concurrent.atomic.AtomicInteger();

  /** An embedding service that is down: every call fails after its (notional) retries. */
  static final class DownProvider implements com.gongpipeline.enrich.EnrichmentProvider {
    @Override
    public com.gongpipeline.enrich.TextEmbedder embedder() {
      com.gongpipeline.enrich.TextEmbedder real = new FakeEnrichmentProvider().embedder();
      return (com.gongpipeline.enrich.TextEmbedder) java.lang.reflect.Proxy.newProxyInstance(
          getClass().getClassLoader(),
          new Class<?>[] {com.gongpipeline.enrich.TextEmbedder.class}, (proxy, m, args) -> {
            if (m.getName().equals("embedPassages")) {
              DOWN_CALLS.incrementAndGet();
              throw new com.gongpipeline.enrich.ModelUnavailableException("HTTP 503 x6", 6);
            }
            return m.invoke(real, args);
          });
    }

    @Override
    public com.gongpipeline.enrich.SentimentScorer sentiment() {
      return new FakeEnrichmentProvider().sentiment();
    }
  }

  /**
   * Issue 11 item 8: with the service down, the circuit breaker opens after 3 failed batches and
   * the other batches are dead-lettered without a call (each used to spend its own retries).
   */
  @Test
  void enrichChunks_aServiceThatIsDownTripsTheBreaker(TestPipeline p) {
    DOWN_CALLS.set(0);
    CallContext ctx = new CallContext("c1", "t", null, "eng", "Contoso", null, null, null, null, null);
    List<ContextualChunk> chunks = new ArrayList<>();
    for (int i = 0; i < 120; i++) {
      chunks.add(new ContextualChunk(new SpeakerChunk("c1", i, i, "s", "Dana", "Internal",
          i * 1000L, i * 1000L + 900, "chunk number " + i, 3), ctx));
    }
    StageResult<EnrichedChunk> result =
        p.apply(Create.of(chunks).withCoder(SerializableCoder.of(ContextualChunk.class)))
            .apply(new EnrichChunks(new DownProvider(), 2, null));
    PAssert.that(result.output()).empty();
    PAssert.thatSingleton(result.deadLetters().apply(Count.globally())).isEqualTo(120L);
    p.run().waitUntilFinish();
    // 60 batches; without the breaker every one called the service. Batches already in flight on
    // other threads when it opened may still call: a few more than the threshold at most.
    assertThat("service calls: " + DOWN_CALLS.get(),
        DOWN_CALLS.get() >= 3 && DOWN_CALLS.get() <= 3 + 8, equalTo(true));
  }
}
