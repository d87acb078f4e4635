package com.gongpipeline.serving;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.lucene.search.ScoreDoc;
import org.junit.jupiter.api.Test;

/** Filters inside the queries, RRF, the three modes, replacement and similar calls. */
class HybridIndexTest {
  static final Instant T0 = Instant.parse("2026-06-01T00:00:00Z");
  static final float[] NEAR = {1, 0, 0, 0};
  static final float[] FAR = {0, 0, 0, 1};

  static MemoryDoc doc(String call, int i, String text, float[] v, String account, int day,
      String affiliation) {
    return new MemoryDoc("gong:" + call + ":" + i, call, i, text, v, "Call " + call,
        "https://gong/call?id=" + call, account, T0.plusSeconds(86_400L * day).toEpochMilli(),
        "Speaker " + i, affiliation, i * 1000L, i * 1000L + 900, 1L);
  }

  static float[] around(float[] base, int i) {
    float[] v = base.clone();
    v[1] = (i % 7) / 100f;
    v[2] = (i % 5) / 100f;
    return v;
  }

  /** 60 "near" chunks of Acme (call a0..a5, 10 each), 3 far chunks of Globex (one names Zephyrix). */
  static HybridIndex corpus() {
    HybridIndex idx = HybridIndex.inMemory(4);
    for (int c = 0; c < 6; c++) {
      List<MemoryDoc> docs = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        docs.add(doc("a" + c, i, "we talked about pricing and the renewal timeline", around(NEAR, i),
            "Acme", c, i % 2 == 0 ? "Internal" : "External"));
      }
      idx.replaceCalls(List.of("a" + c), docs);
    }
    idx.replaceCalls(List.of("g1"), List.of(
        doc("g1", 0, "they are evaluating Zephyrix as an alternative", FAR, "Globex", 10, "External"),
        doc("g1", 1, "budget is 45000 for the year", FAR, "Globex", 10, "Internal"),
        doc("g1", 2, "security review next week", FAR, "Globex", 10, "External")));
    return idx;
  }

  /**
   * A {@link ServeApi} over {@code index} with no warehouse behind it (refreshing or reading call
   * details fails), embedding queries with the 4-d fake model: for tests of the transports.
   */
  static ServeApi warehouselessApi(HybridIndex index) {
    return new ServeApi(index, new IndexRefresher(() -> {
      throw new IllegalStateException("no warehouse in this test");
    }, index, "fake-4d", java.time.Clock.systemUTC()),
        new com.gongpipeline.testing.FakeEnrichmentProvider().embedder(), () -> {
          throw new IllegalStateException("no warehouse in this test");
        }, "test", false, java.time.Clock.systemUTC());
  }

  static List<String> calls(List<MemoryHit> hits) {
    return hits.stream().map(h -> h.doc().callId()).toList();
  }

  static List<String> ids(List<MemoryHit> hits) {
    return hits.stream().map(h -> h.doc().memoryId()).toList();
  }

  @Test
  void compactingLeavesOneSegmentAndTheSameAnswers() {
    try (HybridIndex idx = corpus()) {
      assertThat(idx.segments(), greaterThan(1)); // one per replaceCalls' refresh
      SearchRequest r = SearchRequest.of("Zephyrix alternative");
      List<MemoryHit> before = idx.search(r, NEAR);
      List<MemoryHit> filtered = idx.search(new SearchRequest("pricing", 3, SearchMode.SEMANTIC,
          "globex", null, null, null), NEAR);
      idx.compact();
      assertThat(idx.segments(), org.hamcrest.Matchers.is(1));
      // Equal scores may swap places (doc ids change in a merge): the score sequence may not.
      assertThat(idx.search(r, NEAR).stream().map(MemoryHit::score).toList(),
          org.hamcrest.Matchers.equalTo(before.stream().map(MemoryHit::score).toList()));
      assertThat(ids(idx.search(new SearchRequest("pricing", 3, SearchMode.SEMANTIC, "globex",
          null, null, null), NEAR)), org.hamcrest.Matchers.equalTo(ids(filtered)));
      assertThat(idx.size(), org.hamcrest.Matchers.is(63));
    }
  }

  @Test
  void aScopeFromTheWarehouseRestrictsInsideTheQueries() {
    try (HybridIndex idx = corpus()) {
      SearchRequest r = new SearchRequest("pricing", 10, SearchMode.HYBRID, null, null, null, null);
      // g1's chunks are far from the query and never say "pricing": only the scope brings them.
      assertThat(calls(idx.search(r, NEAR, new SearchScope(java.util.Set.of("g1"), null))),
          contains("g1", "g1", "g1"));
      assertThat(ids(idx.search(r, NEAR, new SearchScope(null,
          java.util.Set.of("gong:a3:7", "gong:g1:2")))), containsInAnyOrder("gong:a3:7",
          "gong:g1:2"));
      assertThat(idx.search(r, NEAR, new SearchScope(java.util.Set.of("a1"),
          java.util.Set.of("gong:a3:7"))), empty());
      assertThat(idx.search(r, NEAR, new SearchScope(java.util.Set.of(), null)), empty());
      assertThat(idx.search(r, NEAR, null), hasSize(10));
    }
  }

  @Test
  void modesRankDifferentlyAndHybridKeepsTheExactTerm() {
    try (HybridIndex idx = corpus()) {
      SearchRequest r = SearchRequest.of("Zephyrix alternative");
      List<MemoryHit> semantic = idx.search(r.withMode(SearchMode.SEMANTIC), NEAR);
      assertThat(ids(semantic), not(hasItem("gong:g1:0")));
      List<MemoryHit> keyword = idx.search(r.withMode(SearchMode.KEYWORD), null);
      assertThat(ids(keyword), contains("gong:g1:0"));
      List<MemoryHit> hybrid = idx.search(r, NEAR);
      assertThat(hybrid, hasSize(5));
      assertThat(ids(hybrid), hasItem("gong:g1:0")); // tied with the top semantic hit: 1/61 each
      assertThat(semantic.get(0).score(), greaterThan(0.99)); // cosine, not Lucene's (1+cos)/2
    }
  }

  /**
   * A query naming a code: keyword search finds the one chunk that says it, semantic search does
   * not (its vector is far), and chunks sharing only the prefix sit in both rankings; hybrid still
   * ranks the exact chunk first (plain RRF put the prefix-only chunks above it).
   */
  @Test
  void hybridRanksTheChunkWithAnExactCodeFirstWhereSemanticDoesNot() {
    try (HybridIndex idx = HybridIndex.inMemory(4)) {
      List<MemoryDoc> docs = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        docs.add(doc("p" + i, 0, "procurement opened PO-" + (50_000 + i) + " for the renewal",
            around(NEAR, i), "Acme", 1, "External"));
      }
      docs.add(doc("x", 0, "finance approved PO-77312 yesterday", FAR, "Acme", 1, "External"));
      docs.add(doc("y", 0, "the quote was $48,500 for the year", FAR, "Acme", 1, "Internal"));
      for (MemoryDoc d : docs) {
        idx.replaceCalls(List.of(d.callId()), List.of(d));
      }
      SearchRequest r = SearchRequest.of("what did they say about PO-77312");
      assertThat(ids(idx.search(r.withMode(SearchMode.SEMANTIC), NEAR)),
          not(hasItem("gong:x:0")));
      assertThat(ids(idx.search(r.withMode(SearchMode.KEYWORD), null)).get(0),
          equalTo("gong:x:0"));
      assertThat(ids(idx.search(r, NEAR)).get(0), equalTo("gong:x:0"));
      // A price: "$48,500" is one term to the tokenizer, said by one chunk.
      SearchRequest price = SearchRequest.of("was the price $48,500?");
      assertThat(ids(idx.search(price, NEAR)).get(0), equalTo("gong:y:0"));
      assertThat(idx.exactCodesQuery("how is pricing going"), nullValue());
    }
  }

  @Test
  void filtersApplyInsideTheQueriesSoKHitsComeBack() {
    try (HybridIndex idx = corpus()) {
      // Globex's 3 chunks are the farthest from the query: a post-filter of the top 50 would miss them.
      SearchRequest globex = new SearchRequest("pricing", 3, SearchMode.SEMANTIC, "globex", null,
          null, null);
      assertThat(calls(idx.search(globex, NEAR)), contains("g1", "g1", "g1"));
      SearchRequest hybridGlobex = new SearchRequest("pricing", 3, SearchMode.HYBRID, "GLOBEX",
          null, null, null);
      assertThat(calls(idx.search(hybridGlobex, NEAR)), contains("g1", "g1", "g1"));

      SearchRequest window = new SearchRequest("pricing", 100, SearchMode.SEMANTIC, null,
          T0.plusSeconds(86_400L * 2), T0.plusSeconds(86_400L * 4), null);
      List<MemoryHit> hits = idx.search(window, NEAR);
      assertThat(hits, hasSize(20));
      assertThat(calls(hits), everyItem(org.hamcrest.Matchers.in(List.of("a2", "a3"))));

      SearchRequest external = new SearchRequest("budget", 100, SearchMode.KEYWORD, "Globex", null,
          null, "external");
      assertThat(idx.search(external, null), empty()); // "budget" is said by an Internal speaker
      SearchRequest internal = new SearchRequest("budget", 100, SearchMode.KEYWORD, null, null,
          null, "Internal");
      assertThat(ids(idx.search(internal, null)), contains("gong:g1:1"));
      assertThat(idx.search(internal, null).get(0).doc().affiliation(), equalTo("Internal"));
    }
  }

  @Test
  void keywordQueriesIgnoreQuestionWordsThatMatchEveryTurn() {
    try (HybridIndex idx = corpus()) {
      // "about" and "talked" are in all 60 Acme chunks; only the rare term should match.
      SearchRequest r = new SearchRequest("what did they talk about budget", 100,
          SearchMode.KEYWORD, null, null, null, null);
      assertThat(ids(idx.search(r, null)), contains("gong:g1:1"));
      // A query of question words only still searches them.
      assertThat(idx.search(r.withMode(SearchMode.KEYWORD).withK(100), null).size(), equalTo(1));
      assertThat(idx.search(new SearchRequest("talked about", 100, SearchMode.KEYWORD, null, null,
          null, null), null), hasSize(60));
    }
  }

  @Test
  void rrfPrefersADocRankedWellByBothOverOneRankedFirstByOne() {
    List<ScoreDoc> semantic = List.of(new ScoreDoc(1, 1f), new ScoreDoc(2, 1f), new ScoreDoc(3, 1f));
    List<ScoreDoc> keyword = List.of(new ScoreDoc(4, 1f), new ScoreDoc(2, 1f));
    Map<Integer, Double> fused = HybridIndex.rrf(List.of(semantic, keyword));
    assertThat(fused.get(2), equalTo(1.0 / 62 + 1.0 / 62));
    assertThat(fused.get(2), greaterThan(fused.get(1)));
    assertThat(fused.get(1), equalTo(fused.get(4)));
  }

  @Test
  void replacingACallDropsItsRemovedChunksAndAnEmptyReplacementDropsTheCall() {
    try (HybridIndex idx = corpus()) {
      assertThat(idx.size(), equalTo(63));
      idx.replaceCalls(List.of("g1"), List.of(
          doc("g1", 0, "they are evaluating Zephyrix as an alternative", FAR, "Globex", 10,
              "External")));
      assertThat(idx.callChunks("g1"), hasSize(1));
      assertThat(idx.search(SearchRequest.of("budget").withMode(SearchMode.KEYWORD), null), empty());
      idx.replaceCalls(List.of("g1"), List.of());
      assertThat(idx.callChunks("g1"), empty());
      assertThat(idx.size(), equalTo(60));
      assertThat(idx.search(SearchRequest.of("Zephyrix").withMode(SearchMode.KEYWORD), null),
          empty());
    }
  }

  @Test
  void similarCallsExcludeTheCallItselfAndReturnOneHitPerCall() {
    try (HybridIndex idx = corpus()) {
      List<MemoryHit> similar = idx.similarCalls("a0", 3);
      assertThat(similar, hasSize(3));
      assertThat(calls(similar), not(hasItem("a0")));
      assertThat(new java.util.HashSet<>(calls(similar)), hasSize(3));
      assertThat(calls(similar), not(hasItem("g1")));
      assertThat(idx.similarCalls("nope", 3), empty());
      assertThat(idx.callChunks("a1").stream().map(MemoryDoc::chunkIndex).toList(),
          contains(0, 1, 2, 3, 4, 5, 6, 7, 8, 9));
      assertThat(idx.accountCalls("acme", 2).keySet(), contains("a5", "a4"));
    }
  }
}
