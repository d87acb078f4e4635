package com.gongpipeline.transforms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import com.gongpipeline.model.CallContext;
import com.gongpipeline.model.ContextualChunk;
import com.gongpipeline.model.EnrichedChunk;
import com.gongpipeline.model.Sentence;
import com.gongpipeline.model.SpeakerChunk;
import com.gongpipeline.model.TranscriptTurn;
import com.gongpipeline.parse.JsonSupport;
import com.gongpipeline.warehouse.Warehouse;
import com.gongpipeline.warehouse.WarehouseProvider;
import com.gongpipeline.warehouse.WarehouseRow;
import com.gongpipeline.warehouse.WarehouseTable;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.beam.sdk.util.SerializableUtils;
import org.junit.jupiter.api.Test;

/**
 * The stored-vector and stored-score look-up behind the {@link WarehouseProvider}: what an
 * unchanged chunk or turn reuses, and what still needs the models.
 */
class StoredEnrichmentTest {
  private static final Instant T0 = Instant.parse("2025-01-02T03:04:05Z");
  private static final CallContext CTX =
      new CallContext("c1", "t", null, "eng", "Contoso", null, null, null, null, null);

  @Test
  void givenNoWarehouse_nothingIsReused() {
    assertThat(StoredEnrichment.from(null), nullValue());
  }

  @Test
  void givenStoredChunks_onlyUnchangedTextWithTheSameModelsIsReused() {
    String url = "jdbc:duckdb::memory:se_" + UUID.randomUUID().toString().replace("-", "");
    try (Warehouse wh = Warehouse.open(url)) {
      wh.applySchema();
      wh.merge(WarehouseTable.MEMORY_RECORDS, List.of(
          memory(0, "same text", "e5", "vader"),
          memory(1, "old text", "e5", "vader"),
          memory(2, "other model", "minilm", "vader")));
      StoredEnrichment stored = SerializableUtils.clone(
          StoredEnrichment.from(WarehouseProvider.of(url)));
      List<ContextualChunk> chunks = List.of(chunk(0, "same text"), chunk(1, "new text"),
          chunk(2, "other model"), chunk(3, "never stored"));

      Map<Integer, EnrichedChunk> reuse = stored.reusableChunks(chunks, "e5", "vader");

      assertThat(reuse.keySet(), equalTo(java.util.Set.of(0)));
      EnrichedChunk r = reuse.get(0);
      assertThat(r.embedding(), equalTo(new float[] {0.5f, 0.25f}));
      assertThat(r.embeddingModel(), equalTo("e5"));
      assertThat(r.sentiment(), equalTo(0.7));
      assertThat(r.chunk(), equalTo(chunks.get(0).chunk()));
      assertThat(stored.reusableChunks(chunks, "e5", "other-sentiment").isEmpty(), is(true));
    }
  }

  @Test
  void givenStoredTurns_unchangedTurnsKeepTheirScore() {
    String url = "jdbc:duckdb::memory:se_" + UUID.randomUUID().toString().replace("-", "");
    try (Warehouse wh = Warehouse.open(url)) {
      wh.applySchema();
      wh.merge(WarehouseTable.STG_CALLS, List.of(WarehouseRow.of(WarehouseTable.STG_CALLS)
          .set("CALL_ID", "c1").set("SENTIMENT_MODEL", "vader").set("JOB_ID", "j")
          .set("LOADED_AT", T0).build()));
      List<TranscriptTurn> turns = List.of(turn(0, "hello there"), turn(1, "changed"));
      wh.merge(WarehouseTable.STG_TRANSCRIPTS, List.of(
          StagingRows.turn(turns.get(0), 0.4, "j", T0),
          StagingRows.turn(turn(1, "before the change"), -0.2, "j", T0)));
      StoredEnrichment stored = StoredEnrichment.from(WarehouseProvider.of(url));

      assertThat(stored.reusableTurnScores("c1", turns, "vader"), equalTo(Map.of(0, 0.4)));
      assertThat(stored.reusableTurnScores("c1", turns, "other").isEmpty(), is(true));
    }
  }

  private static ContextualChunk chunk(int i, String text) {
    return new ContextualChunk(
        new SpeakerChunk("c1", i, i, "s", "Dana", "Internal", 0, 900, text, 3), CTX);
  }

  private static TranscriptTurn turn(int i, String text) {
    return new TranscriptTurn("c1", i, "s", "Dana", "Internal", null,
        List.of(new Sentence(i * 1000L, i * 1000L + 900, text)));
  }

  private static WarehouseRow memory(int i, String text, String embeddingModel,
      String sentimentModel) {
    return WarehouseRow.of(WarehouseTable.MEMORY_RECORDS)
        .set("MEMORY_ID", "gong:c1:" + i).set("SOURCE_TYPE", "gong").set("SOURCE_ID", "c1")
        .set("CHUNK_INDEX", i).set("CONTENT", text).set("CONTENT_HASH", JsonSupport.sha256(text))
        .set("EMBEDDING", new float[] {0.5f, 0.25f}).set("EMBEDDING_MODEL", embeddingModel)
        .set("EMBEDDING_DIM", 2).set("SENTIMENT_SCORE", 0.7).set("SENTIMENT_MODEL", sentimentModel)
        .set("JOB_ID", "j").set("LOADED_AT", T0).build();
  }
}
