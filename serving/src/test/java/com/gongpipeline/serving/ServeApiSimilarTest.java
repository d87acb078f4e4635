package com.gongpipeline.serving;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.gongpipeline.enrich.EmbeddingMath;
import com.gongpipeline.warehouse.SimilarCalls;
import com.gongpipeline.model.CallFacts;
import com.gongpipeline.testing.FakeEnrichmentProvider;
import com.gongpipeline.transforms.StagingRows;
import com.gongpipeline.warehouse.Warehouse;
import com.gongpipeline.warehouse.WarehouseRow;
import com.gongpipeline.warehouse.WarehouseTable;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve}'s similar calls answer from {@code AI_MEMORY.CALL_VECTORS} with the {@code similar}
 * command's ranking, and fall back to the index only for what the warehouse lacks.
 */
class ServeApiSimilarTest {
  @TempDir Path dir;

  static WarehouseRow call(String id) {
    return StagingRows.call(new CallFacts(id, "Call " + id, Instant.parse("2026-06-01T10:00:00Z"),
        null, null, null, null, null, null, "eng", null, null, null, false, "Acme", null, null,
        null, null, null, null, null, null, "[]", "[]", 2, 1, 1, 5, "j", Instant.EPOCH), null,
        null);
  }

  static WarehouseRow vector(String id, String model, float... v) {
    return WarehouseRow.of(WarehouseTable.CALL_VECTORS).set("CALL_ID", id)
        .set("SOURCE_TYPE", "call").set("EMBEDDING", EmbeddingMath.normalize(v))
        .set("EMBEDDING_MODEL", model).set("EMBEDDING_DIM", v.length)
        .set("CHUNK_COUNT", 1).set("INPUT_HASH", "h" + id).set("JOB_ID", "j")
        .set("LOADED_AT", Instant.EPOCH).build();
  }

  /**
   * The index's calls a0..a5 (near {1,0,0,0}) and g1 (at {0,0,0,1}); the stored vectors say
   * otherwise on purpose (g1 right on a0's mean, a5 far away, a0 without a row, a4 deleted), so
   * an answer from the index alone would rank differently.
   */
  private String warehouse(String model) {
    String url = "jdbc:duckdb:" + dir.resolve(model + ".duckdb");
    try (Warehouse wh = Warehouse.open(url)) {
      wh.applySchema();
      List<WarehouseRow> calls = new ArrayList<>();
      for (String id : List.of("a0", "a1", "a2", "a3", "a4", "a5", "g1")) {
        calls.add(call(id));
      }
      wh.merge(WarehouseTable.STG_CALLS, calls);
      wh.merge(WarehouseTable.CALL_VECTORS, List.of(vector("a1", model, 1, 0.3f, 0, 0),
          vector("a2", model, 1, 0.6f, 0, 0), vector("a3", model, 1, 0.9f, 0, 0),
          vector("a4", model, 1, 0.02f, 0.02f, 0), vector("a5", model, 0, 1, 1, 1),
          vector("g1", model, 1, 0.03f, 0.02f, 0)));
      wh.markCallDeleted("a4", "j2", Instant.now());
    }
    return url;
  }

  private static ServeApi api(HybridIndex index, String url) {
    return new ServeApi(index, new IndexRefresher(() -> Warehouse.open(url), index, "fake-4d",
        Clock.systemUTC()), new FakeEnrichmentProvider().embedder(), () -> Warehouse.open(url),
        "test", false, Clock.systemUTC());
  }

  private static List<String> calls(JsonNode result) {
    List<String> out = new ArrayList<>();
    result.get("hits").forEach(h -> out.add(h.get("call_id").asText()));
    return out;
  }

  @Test
  void aCallWithAStoredVectorIsRankedAsTheSimilarCommandRanksIt() {
    String url = warehouse("fake-4d");
    try (HybridIndex index = HybridIndexTest.corpus(); Warehouse wh = Warehouse.open(url)) {
      JsonNode r = api(index, url).similar("a1", 4);
      assertThat(r.get("method").asText(), equalTo("call_vectors"));
      List<SimilarCalls.Hit> cli = SimilarCalls.toCall(wh.callVectors(), "a1", 4);
      assertThat(calls(r), equalTo(cli.stream().map(h -> h.call().callId()).toList()));
      assertThat(calls(r), contains("a2", "g1", "a3", "a5"));
      for (int i = 0; i < cli.size(); i++) {
        assertThat(r.get("hits").get(i).get("score").asDouble(), closeTo(cli.get(i).score(), 1e-9));
      }
      // Cited by an indexed chunk of the similar call, with the usual citation.
      assertThat(r.get("hits").get(1).get("memory_id").asText(), equalTo("gong:g1:0"));
      assertThat(r.get("hits").get(1).get("citation").asText(), org.hamcrest.Matchers
          .containsString("call g1"));
    }
  }

  @Test
  void aCallWithoutAStoredVectorUsesItsIndexedMeanAgainstTheStoredVectors() {
    String url = warehouse("fake-4d");
    try (HybridIndex index = HybridIndexTest.corpus()) {
      JsonNode r = api(index, url).similar("a0", 3);
      assertThat(r.get("method").asText(), equalTo("index_mean"));
      // a4 is near a0 in the index but deleted; g1's stored vector is nearest a0's mean.
      assertThat(calls(r), contains("g1", "a1", "a2"));
      assertThrows(ServeApi.NotFound.class, () -> api(index, url).similar("nope", 3));
    }
  }

  @Test
  void withoutStoredVectorsOfTheIndexModelTheIndexAloneAnswers() {
    String url = warehouse("another-model");
    try (HybridIndex index = HybridIndexTest.corpus()) {
      JsonNode r = api(index, url).similar("a0", 3);
      assertThat(r.get("method").asText(), equalTo("index_chunks"));
      assertThat(calls(r), not(hasItem("g1")));
      assertThat(calls(r), not(hasItem("a0")));
    }
  }
}
