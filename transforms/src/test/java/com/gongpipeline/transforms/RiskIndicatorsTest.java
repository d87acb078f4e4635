package com.gongpipeline.transforms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import com.gongpipeline.enrich.RiskClassifier;
import com.gongpipeline.model.CallChunks;
import com.gongpipeline.model.CallContext;
import com.gongpipeline.model.EnrichedChunk;
import com.gongpipeline.model.SpeakerChunk;
import com.gongpipeline.parse.JsonSupport;
import com.gongpipeline.warehouse.WarehouseRow;
import com.gongpipeline.warehouse.WarehouseTable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link RiskIndicators} sets a call row's risk columns only when every chunk of that call version
 * is here and classified: customer chunks only, citing memory id, speaker and ms, with the aspect
 * sentiment and input hash; a call missing a chunk (dead-lettered) keeps NULL columns, so the
 * MERGE keeps what is stored. Uses one-hot vectors and a one-hot classifier (no model).
 */
class RiskIndicatorsTest {
  @RegisterExtension final TestPipelineExtension pipelineExtension = TestPipelineExtension.create();

  /** Both local models (fp32 and int8) have thresholds, so both models' chunks are classified. */
  @ParameterizedTest
  @ValueSource(strings = {"e5-small-v2", "e5-small-v2-q"})
  void callRowGetsRisksOfItsCustomerChunksOnlyWhenAllChunksArrived(String model, TestPipeline p) {
    CallContext ctx = new CallContext("A", "t", null, "eng", "Acme", null, null, null, null,
        null, 7L);
    CallContext ctxB = new CallContext("B", "t", null, "eng", "Acme", null, null, null, null,
        null, 7L);
    List<EnrichedChunk> chunks = List.of(
        chunk(ctx, 0, "Internal", "pricing", 0.9, model), // seller: never classified
        chunk(ctx, 1, "External", "pricing", -0.5, model),
        chunk(ctx, 2, "External", "none", 0.1, model),
        chunk(ctxB, 0, "External", "competitor", -0.2, model)); // B's chunk 1 dead-lettered
    List<WarehouseRow> staging = List.of(callRow("A"), callRow("B"),
        WarehouseRow.of(WarehouseTable.STG_TOPICS).set("CALL_ID", "A").set("TOPIC_NAME", "x")
            .build());
    PCollection<WarehouseRow> out = p.apply("Staging",
            Create.of(staging).withCoder(SerializableCoder.of(WarehouseRow.class)))
        .apply(new RiskIndicators(
            p.apply("Chunks", Create.of(chunks)
                .withCoder(SerializableCoder.of(EnrichedChunk.class))),
            p.apply("Sets", Create.of(new CallChunks("A", List.of(0, 1, 2), 7L),
                    new CallChunks("B", List.of(0, 1), 7L))
                .withCoder(SerializableCoder.of(CallChunks.class))),
            RiskIndicatorsTest::oneHotClassifier));
    PAssert.that(out).satisfies(rows -> {
      Map<String, WarehouseRow> calls = new HashMap<>();
      int topics = 0;
      for (WarehouseRow r : rows) {
        if (r.table() == WarehouseTable.STG_CALLS) {
          calls.put((String) r.get("CALL_ID"), r);
        } else {
          topics++;
        }
      }
      assertThat(topics, is(1));
      WarehouseRow a = calls.get("A");
      assertThat(((WarehouseRow.Json) a.get("RISK_INDICATORS")).text(), equalTo(
          "[{\"category\":\"pricing\",\"score\":0.9933,\"memory_id\":\"gong:A:1\","
              + "\"speaker_id\":\"s1\",\"start_ms\":1000}]"));
      assertThat(a.get("RISK_METHOD"), equalTo(RiskClassifier.METHOD));
      assertThat(((WarehouseRow.Json) a.get("ASPECT_SENTIMENT")).text(),
          equalTo("{\"pricing\":-0.5}"));
      assertThat(a.get("RISK_INPUT_HASH"), equalTo(JsonSupport.sha256(
          JsonSupport.sha256("text 1") + "," + JsonSupport.sha256("text 2"))));
      assertThat(a.callVersion(), is(7L));
      WarehouseRow b = calls.get("B");
      assertThat(b.get("RISK_INDICATORS"), nullValue());
      assertThat(b.get("RISK_METHOD"), nullValue());
      return null;
    });
    p.run().waitUntilFinish();
  }

  /** A chunk embedded by a model without risk weights is not classified: the columns stay NULL. */
  @Test
  void chunkOfAModelWithoutWeightsIsNotClassified(TestPipeline p) {
    CallContext ctx = new CallContext("A", "t", null, "eng", "Acme", null, null, null, null,
        null, 7L);
    PCollection<WarehouseRow> out = p.apply("Staging",
            Create.of(List.of(callRow("A"))).withCoder(SerializableCoder.of(WarehouseRow.class)))
        .apply(new RiskIndicators(
            p.apply("Chunks", Create.of(List.of(
                    chunk(ctx, 0, "External", "pricing", -0.5, "snowflake-arctic-embed-m")))
                .withCoder(SerializableCoder.of(EnrichedChunk.class))),
            p.apply("Sets", Create.of(new CallChunks("A", List.of(0), 7L))
                .withCoder(SerializableCoder.of(CallChunks.class))),
            RiskIndicatorsTest::oneHotClassifier));
    PAssert.that(out).satisfies(rows -> {
      WarehouseRow a = rows.iterator().next();
      assertThat(a.get("CALL_ID"), equalTo("A"));
      assertThat(a.get("RISK_INDICATORS"), nullValue());
      assertThat(a.get("RISK_METHOD"), nullValue());
      return null;
    });
    p.run().waitUntilFinish();
  }

  private static WarehouseRow callRow(String id) {
    return WarehouseRow.of(WarehouseTable.STG_CALLS).set("CALL_ID", id).set("CALL_TITLE", "t").build()
        .withCallVersion(7L);
  }

  private static EnrichedChunk chunk(CallContext ctx, int i, String affiliation, String category,
      double sentiment, String model) {
    SpeakerChunk c = new SpeakerChunk(ctx.callId(), i, i, "s" + i, "n", affiliation, 1000L * i,
        1000L * i + 500, "text " + i, 4);
    return new EnrichedChunk(c, ctx, oneHot(category), model, sentiment, "vader");
  }

  /** The unit vector of a category (none: the last axis). */
  static float[] oneHot(String category) {
    float[] v = new float[RiskClassifier.CATEGORIES.size() + 1];
    int i = RiskClassifier.CATEGORIES.indexOf(category);
    v[i < 0 ? v.length - 1 : i] = 1f;
    return v;
  }

  /** Scores a category's unit vector sigmoid(5) = 0.9933 for it, sigmoid(-5) for the others. */
  static RiskClassifier oneHotClassifier(String model) {
    Map<String, double[]> w = new HashMap<>();
    Map<String, Double> b = new HashMap<>();
    Map<String, Double> t = new HashMap<>();
    for (String c : RiskClassifier.CATEGORIES) {
      double[] x = new double[RiskClassifier.CATEGORIES.size() + 1];
      x[RiskClassifier.CATEGORIES.indexOf(c)] = 10;
      w.put(c, x);
      b.put(c, -5.0);
      t.put(c, 0.5);
    }
    return new RiskClassifier(model, w, b, t);
  }
}
