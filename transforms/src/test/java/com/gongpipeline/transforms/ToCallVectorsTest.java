package com.gongpipeline.transforms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.is;

import com.gongpipeline.model.CallChunks;
import com.gongpipeline.model.CallContext;
import com.gongpipeline.model.EnrichedChunk;
import com.gongpipeline.model.SpeakerChunk;
import com.gongpipeline.warehouse.Warehouse;
import com.gongpipeline.warehouse.WarehouseRow;
import com.gongpipeline.warehouse.WarehouseTable;
import java.time.Instant;
import java.util.List;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;

/** The call vector: the normalised mean of all its chunks' vectors, only when all arrived. */
class ToCallVectorsTest {

  private static EnrichedChunk chunk(String call, int index, long version, float... v) {
    SpeakerChunk c = new SpeakerChunk(call, index, index, "s", "Dana", "Internal", index * 1000L,
        index * 1000L + 900, "text " + index, 3);
    CallContext ctx = new CallContext(call, "T", Instant.EPOCH, "eng", "Acme", "d1", null, null,
        null, null, version);
    return new EnrichedChunk(c, ctx, v, "fake-2d", 0.0, "fake");
  }

  @Test
  void emitsTheMeanOfACompleteCall_andNothingForACallMissingAChunk() {
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    PCollection<CallChunks> sets = p.apply("Sets", Create.of(
        new CallChunks("a", List.of(0, 1), 2), new CallChunks("b", List.of(0, 1), 1),
        new CallChunks("a", List.of(0), 1)).withCoder(SerializableCoder.of(CallChunks.class)));
    PCollection<EnrichedChunk> chunks = p.apply("Chunks", Create.of(
        chunk("a", 0, 2, 1, 0), chunk("a", 1, 2, 0, 1), chunk("a", 0, 1, -1, 0),
        chunk("b", 0, 1, 1, 0)).withCoder(SerializableCoder.of(EnrichedChunk.class)));
    PCollection<WarehouseRow> rows = chunks.apply(ToCallVectors.of("job", sets));
    PAssert.that(rows).satisfies(rs -> {
      // Version 1 of "a" may complete first (its one chunk can arrive before version 2's set):
      // then it is emitted too, and the MERGE's version guard keeps version 2.
      List<WarehouseRow> list = new java.util.ArrayList<>();
      rs.forEach(r -> {
        assertThat(r.get("CALL_ID"), is("a"));
        if (Long.valueOf(2L).equals(r.get("CALL_VERSION"))) {
          list.add(r);
        }
      });
      assertThat(list.size(), is(1));
      WarehouseRow r = list.get(0);
      assertThat(r.get("CALL_ID"), is("a"));
      assertThat(r.get("SOURCE_TYPE"), is("call"));
      assertThat(r.get("CALL_VERSION"), is(2L));
      assertThat(r.get("CHUNK_COUNT"), is(2));
      float[] v = (float[]) r.get("EMBEDDING");
      assertThat((double) v[0], closeTo(Math.sqrt(0.5), 1e-6));
      assertThat((double) v[1], closeTo(Math.sqrt(0.5), 1e-6));
      return null;
    });
    p.run().waitUntilFinish();
  }

  /**
   * The order that lost version 2: its chunks arrive, then version 1's set and chunk complete
   * version 1, then version 2's set. Version 2's chunks must survive version 1's completion.
   */
  @Test
  void aNewerVersionsChunksArrivingFirstSurviveAnOlderVersionCompleting() {
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    org.apache.beam.sdk.coders.Coder<org.apache.beam.sdk.values.KV<String, ToCallVectors.Part>>
        coder = org.apache.beam.sdk.coders.KvCoder.of(
            org.apache.beam.sdk.coders.StringUtf8Coder.of(),
            SerializableCoder.of(ToCallVectors.Part.class));
    org.apache.beam.sdk.testing.TestStream<org.apache.beam.sdk.values.KV<String, ToCallVectors.Part>>
        parts = org.apache.beam.sdk.testing.TestStream.create(coder)
            .addElements(chunkPart(chunk("a", 0, 2, 1, 0)))
            .addElements(chunkPart(chunk("a", 1, 2, 0, 1)))
            .addElements(setPart(new CallChunks("a", List.of(0), 1)))
            .addElements(chunkPart(chunk("a", 0, 1, -1, 0)))
            .addElements(setPart(new CallChunks("a", List.of(0, 1), 2)))
            .advanceWatermarkToInfinity();
    PCollection<WarehouseRow> rows = p.apply(parts)
        .apply(org.apache.beam.sdk.transforms.ParDo.of(new ToCallVectors.CollectFn("job")))
        .setCoder(SerializableCoder.of(WarehouseRow.class));
    PAssert.that(rows).satisfies(rs -> {
      List<Long> versions = new java.util.ArrayList<>();
      rs.forEach(r -> versions.add((Long) r.get("CALL_VERSION")));
      versions.sort(null);
      assertThat(versions, is(List.of(1L, 2L)));
      return null;
    });
    p.run().waitUntilFinish();
  }

  private static org.apache.beam.sdk.values.KV<String, ToCallVectors.Part> chunkPart(
      EnrichedChunk e) {
    return org.apache.beam.sdk.values.KV.of(e.chunk().callId(), new ToCallVectors.Part(null, e));
  }

  private static org.apache.beam.sdk.values.KV<String, ToCallVectors.Part> setPart(
      CallChunks c) {
    return org.apache.beam.sdk.values.KV.of(c.callId(), new ToCallVectors.Part(c, null));
  }

  @Test
  void aDeletedCallLosesItsVector_andACallWithoutChunksToo() {
    try (Warehouse wh = Warehouse.open("jdbc:duckdb:")) {
      wh.applySchema();
      wh.merge(WarehouseTable.STG_CALLS, List.of(StagingRows.call(
          new com.gongpipeline.model.CallFacts("a", "T", Instant.parse("2026-01-01T00:00:00Z"),
              null, null, null, null, null, null, "eng", null, null, null, false, "Acme", null,
              null, null, null, null, null, null, null, "[]", "[]", 1, 0, 0, 0, "j",
              Instant.EPOCH), null, null)));
      wh.merge(WarehouseTable.CALL_VECTORS, List.of(
          ToCallVectors.row(List.of(chunk("a", 0, 0, 1, 0)), "j", Instant.EPOCH),
          ToCallVectors.row(List.of(chunk("b", 0, 0, 0, 1)), "j", Instant.EPOCH)));
      assertThat(wh.query("SELECT COUNT(*) AS n FROM AI_MEMORY.CALL_VECTORS").get(0).get("n"),
          is(2L));
      wh.markCallDeleted("a", "j2", Instant.now());
      wh.deleteStaleChildren(ToCallVectors.keys(new CallChunks("b", List.of())));
      assertThat(wh.query("SELECT COUNT(*) AS n FROM AI_MEMORY.CALL_VECTORS").get(0).get("n"),
          is(0L));
    }
  }
}
