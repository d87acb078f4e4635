package com.gongpipeline.warehouse;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Semantic search over AI_MEMORY: ranking, k, filters, and never comparing vectors of another
 * embedding model.
 */
class DuckDbSearchTest {
  private static final String SMALL = "e5-small-v2";
  private static final Instant MARCH = Instant.parse("2024-03-01T10:00:00Z");
  private static final Instant MAY = Instant.parse("2024-05-01T09:30:00Z");
  private static final float[] QUERY = {1f, 0f, 0f, 0f};
  private static DuckDbWarehouse wh;

  @BeforeAll
  static void load() {
    wh = TestRows.openWithSchema();
    // call c1: context in METADATA; call c2: context only in STG_GONG_CALLS (fallback).
    wh.merge(WarehouseTable.STG_CALLS, List.of(WarehouseRow.of(WarehouseTable.STG_CALLS)
        .set("CALL_ID", "c2").set("CALL_TITLE", "Globex renewal").set("CALL_DATETIME_UTC", MAY)
        .set("ACCOUNT_NAME", "Globex").set("JOB_ID", "j").set("LOADED_AT", MAY).build()));
    String c1Meta = "{\"title\":\"Acme discovery\",\"started\":\"2024-03-01T10:00:00Z\","
        + "\"account\":\"Acme\"}";
    wh.merge(WarehouseTable.MEMORY_RECORDS, List.of(
        mem("c1", 0, "exact match", new float[] {1f, 0f, 0f, 0f}, SMALL, "Internal", c1Meta),
        mem("c1", 1, "close", new float[] {0.9f, 0.1f, 0f, 0f}, SMALL, "External", c1Meta),
        mem("c2", 0, "orthogonal", new float[] {0f, 1f, 0f, 0f}, SMALL, "External", null),
        mem("c2", 1, "opposite", new float[] {-1f, 0f, 0f, 0f}, SMALL, "Internal", null),
        mem("c2", 2, "near, later call", new float[] {0.8f, 0.2f, 0f, 0f}, SMALL, "internal", null),
        mem("c2", 3, "zero vector", new float[] {0f, 0f, 0f, 0f}, SMALL, "Internal", null),
        mem("c3", 0, "other model, identical vector", new float[] {1f, 0f, 0f, 0f},
            "e5-base-v2", "Internal", null),
        mem("c3", 1, "same model, other dimension", new float[] {1f, 0f, 0f}, SMALL, "Internal",
            null)));
  }

  @AfterAll
  static void close() {
    wh.close();
  }

  @Test
  void ranksByCosineAndRespectsK() {
    List<SearchHit> hits = wh.search(SearchQuery.builder(QUERY, SMALL).build());
    assertThat(texts(hits), contains("exact match", "close", "near, later call", "orthogonal",
        "opposite"));
    assertThat(hits.get(0).score(), closeTo(1.0, 1e-6));
    assertThat(hits.get(4).score(), closeTo(-1.0, 1e-6));

    assertThat(texts(wh.search(SearchQuery.builder(QUERY, SMALL).k(2).build())),
        contains("exact match", "close"));
  }

  @Test
  void hitsCarryCallContextFromMetadataOrStaging() {
    SearchHit top = wh.search(SearchQuery.builder(QUERY, SMALL).k(1).build()).get(0);
    assertThat(top, is(new SearchHit(top.score(), "gong:c1:0", "c1", "Acme discovery", MARCH,
        "Acme", "Speaker 0", "Internal", 0L, 1000L, "exact match")));

    SearchHit fromStg = wh.search(SearchQuery.builder(QUERY, SMALL).k(3).build()).get(2);
    assertThat(fromStg.callId(), is("c2"));
    assertThat(fromStg.title(), is("Globex renewal"));
    assertThat(fromStg.started(), is(MAY));
    assertThat(fromStg.account(), is("Globex"));
  }

  @Test
  void neverComparesVectorsOfAnotherModelOrDimension() {
    List<SearchHit> hits = wh.search(SearchQuery.builder(QUERY, SMALL).k(100).build());
    assertThat("zero vector, other model and other dimension are all excluded", hits.size(), is(5));
    assertThat(texts(wh.search(SearchQuery.builder(QUERY, "e5-base-v2").build())),
        contains("other model, identical vector"));
    assertThat(wh.search(SearchQuery.builder(QUERY, "no-such-model").build()), is(empty()));
    assertThat(wh.search(SearchQuery.builder(new float[] {1f, 2f}, SMALL).build()), is(empty()));
  }

  @Test
  void filtersByAccountSinceAndAffiliation() {
    assertThat(texts(wh.search(SearchQuery.builder(QUERY, SMALL).account("ACME").build())),
        contains("exact match", "close"));
    assertThat(texts(wh.search(SearchQuery.builder(QUERY, SMALL).account("globex").k(1).build())),
        contains("near, later call"));
    assertThat(texts(wh.search(SearchQuery.builder(QUERY, SMALL)
        .since(Instant.parse("2024-04-01T00:00:00Z")).build())),
        contains("near, later call", "orthogonal", "opposite"));
    assertThat("since is inclusive", texts(wh.search(SearchQuery.builder(QUERY, SMALL)
        .since(MARCH).k(2).build())), contains("exact match", "close"));
    assertThat(texts(wh.search(SearchQuery.builder(QUERY, SMALL).affiliation("INTERNAL").build())),
        contains("exact match", "near, later call", "opposite"));
    assertThat(texts(wh.search(SearchQuery.builder(QUERY, SMALL).affiliation("external")
        .account("acme").since(MARCH).build())), contains("close"));
    assertThat(wh.search(SearchQuery.builder(QUERY, SMALL)
        .account("'; DROP TABLE AI_MEMORY.MEMORY_RECORDS; --").build()), is(empty()));
    assertThat(wh.count(WarehouseTable.MEMORY_RECORDS), is(8L));
  }

  @Test
  void listsEmbeddingModels() {
    assertThat(wh.embeddingModels(), is(Set.of("e5-base-v2", SMALL)));
  }

  @Test
  void queryValidation() {
    assertThrows(IllegalArgumentException.class, () -> SearchQuery.builder(new float[0], SMALL));
    assertThrows(IllegalArgumentException.class, () -> SearchQuery.builder(QUERY, " "));
    assertThrows(IllegalArgumentException.class,
        () -> SearchQuery.builder(new float[] {0f, 0f}, SMALL));
    assertThrows(IllegalArgumentException.class,
        () -> SearchQuery.builder(new float[] {Float.NaN}, SMALL));
    assertThrows(IllegalArgumentException.class, () -> SearchQuery.builder(QUERY, SMALL).k(0));
    assertThat(SearchQuery.builder(QUERY, SMALL).build().k(), is(SearchQuery.DEFAULT_K));
  }

  private static List<String> texts(List<SearchHit> hits) {
    return hits.stream().map(SearchHit::text).toList();
  }

  private static WarehouseRow mem(String call, int chunk, String text, float[] v, String model,
      String affiliation, String metadata) {
    return TestRows.memory(call, chunk, text, v)
        .set("EMBEDDING_MODEL", model)
        .set("SPEAKER_NAME", "Speaker " + chunk)
        .set("AFFILIATION", affiliation)
        .set("START_MS", chunk * 1000L)
        .set("END_MS", chunk * 1000L + 1000L)
        .set("METADATA", metadata == null ? null : new WarehouseRow.Json(metadata))
        .build();
  }
}
