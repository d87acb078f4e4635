package com.gongpipeline.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.gongpipeline.chunking.PiiRedactor;
import com.gongpipeline.enrich.CallVectors;
import com.gongpipeline.warehouse.SimilarCalls;
import com.gongpipeline.enrich.TextEmbedder;
import com.gongpipeline.parse.JsonSupport;
import com.gongpipeline.warehouse.StoredCallVector;
import com.gongpipeline.warehouse.Warehouse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * What {@code serve} answers, as JSON, shared by the HTTP API, the MCP tools and the search page:
 * hybrid search, a call, its (redacted) transcript, similar calls, an account brief, health. Text
 * comes only from what AI_MEMORY holds (PII-redacted chunks) unless verbatim STG transcripts are
 * explicitly allowed. Every hit cites call id, title, speaker, mm:ss and the Gong call URL.
 */
public final class ServeApi {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  /** Chunk text at most this long in a search hit (the transcript route has the rest). */
  static final int MAX_PAGE = 200;

  private final HybridIndex index;
  private final IndexRefresher refresher;
  private final TextEmbedder embedder;
  private final Supplier<Warehouse> warehouse;
  private final boolean allowVerbatim;
  private final Clock clock;
  private final String warehouseLabel;

  private volatile @Nullable CortexSearchBackend cortex;

  /**
   * Answers searches from a Cortex Search Service ({@code --searchBackend=cortex}) instead of the
   * local index; calls, transcripts, similar calls and briefs still come from the index.
   */
  public ServeApi useCortexSearch(@Nullable CortexSearchBackend backend) {
    this.cortex = backend;
    return this;
  }

  /** @param warehouseLabel the warehouse URL as /health shows it (redacted) */
  public ServeApi(HybridIndex index, IndexRefresher refresher, TextEmbedder embedder,
      Supplier<Warehouse> warehouse, String warehouseLabel, boolean allowVerbatim, Clock clock) {
    this.warehouseLabel = warehouseLabel;
    this.index = index;
    this.refresher = refresher;
    this.embedder = embedder;
    this.warehouse = warehouse;
    this.allowVerbatim = allowVerbatim;
    this.clock = clock;
  }

  /** Thrown for an unknown (or deleted / private) call; the HTTP layer answers 404. */
  public static final class NotFound extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotFound(String message) {
      super(message);
    }
  }

  public HybridIndex index() {
    return index;
  }

  public IndexRefresher refresher() {
    return refresher;
  }

  /** {@code {"hits": [...], "took_ms": …, "mode": …}}; the query is embedded once per call. */
  public ObjectNode search(SearchRequest r) {
    return search(r, null, null);
  }

  /** Risk categories of {@code STG_GONG_CALLS.RISK_INDICATORS} (issue 12's taxonomy). */
  public static final List<String> RISK_CATEGORIES = List.of("pricing", "competitor",
      "security_legal", "timeline", "stakeholder", "churn_risk", "product_gap");

  /**
   * As {@link #search(SearchRequest)}, only over the chunks classified into {@code risk} (their
   * memory ids in RISK_INDICATORS) and over the calls where Gong's tracker {@code tracker} (name,
   * any case) counted a mention; null for any.
   */
  public ObjectNode search(SearchRequest r, @Nullable String risk, @Nullable String tracker) {
    long t0 = System.nanoTime();
    CortexSearchBackend backend = cortex;
    if (backend != null) {
      return cortexSearch(backend, r, risk, tracker, t0);
    }
    SearchScope scope = scope(risk, tracker);
    float[] v = r.mode().usesVectors() ? embedder.embedQuery(r.query()) : null;
    List<MemoryHit> hits = index.search(r, v, scope);
    ObjectNode out = F.objectNode();
    ArrayNode arr = out.putArray("hits");
    hits.forEach(h -> arr.add(hit(h)));
    out.put("mode", r.mode().name().toLowerCase(Locale.ROOT));
    out.put("took_ms", (System.nanoTime() - t0) / 1_000_000.0);
    return out;
  }

  /**
   * A search answered by the Cortex Search Service: its ranking, each hit cited from the local
   * index's copy of the chunk (speaker, title, mm:ss, URL) when indexed, else from the service's
   * columns. Risk and tracker filters are the local index's only.
   */
  private ObjectNode cortexSearch(CortexSearchBackend backend, SearchRequest r,
      @Nullable String risk, @Nullable String tracker, long t0) {
    if ((risk != null && !risk.isBlank()) || (tracker != null && !tracker.isBlank())) {
      throw new IllegalArgumentException("risk= and tracker= filters need the local index"
          + " (--searchBackend=local)");
    }
    ObjectNode out = F.objectNode();
    ArrayNode arr = out.putArray("hits");
    int rank = 0;
    for (CortexSearchBackend.Row row : backend.search(r)) {
      rank++;
      MemoryDoc d = index.doc(row.memoryId());
      if (d == null) {
        d = new MemoryDoc(row.memoryId(), row.callId(), -1,
            row.content() == null ? "" : row.content(), new float[0], null, null, row.account(),
            null, null, row.affiliation(), null, null, 0L);
      }
      arr.add(hit(new MemoryHit(row.score() != null ? row.score() : 1.0 / rank, d)));
    }
    out.put("mode", "cortex");
    out.put("took_ms", (System.nanoTime() - t0) / 1_000_000.0);
    return out;
  }

  private @Nullable SearchScope scope(@Nullable String risk, @Nullable String tracker) {
    String riskKey = risk == null || risk.isBlank() ? null : risk.trim().toLowerCase(Locale.ROOT);
    String trackerName = tracker == null || tracker.isBlank() ? null : tracker.trim();
    if (riskKey == null && trackerName == null) {
      return null;
    }
    if (riskKey != null && !RISK_CATEGORIES.contains(riskKey)) {
      throw new IllegalArgumentException("risk must be one of " + RISK_CATEGORIES + ", not "
          + risk);
    }
    Set<String> memoryIds = null;
    Set<String> callIds = null;
    try (Warehouse wh = warehouse.get()) {
      if (riskKey != null) {
        memoryIds = new LinkedHashSet<>();
        for (Map<String, @Nullable Object> row : wh.query("SELECT RISK_INDICATORS FROM"
            + " STG_TRANSFORMED.STG_GONG_CALLS WHERE RISK_INDICATORS IS NOT NULL"
            + " AND CAST(RISK_INDICATORS AS VARCHAR) LIKE ?", "%" + riskKey + "%")) {
          for (JsonNode i : json(row.get("RISK_INDICATORS"))) {
            if (riskKey.equals(i.path("category").asText()) && i.hasNonNull("memory_id")) {
              memoryIds.add(i.get("memory_id").asText());
            }
          }
        }
      }
      if (trackerName != null) {
        callIds = new LinkedHashSet<>();
        for (Map<String, @Nullable Object> row : wh.query("SELECT DISTINCT CALL_ID FROM"
            + " STG_TRANSFORMED.STG_GONG_CALL_TRACKERS WHERE LOWER(TRACKER_NAME) = LOWER(?)"
            + " AND MENTION_COUNT > 0", trackerName)) {
          callIds.add(String.valueOf(row.get("CALL_ID")));
        }
      }
    }
    return new SearchScope(callIds, memoryIds);
  }

  /** A call's context from STG (no emails or phone numbers), with its chunk count. */
  public ObjectNode call(String callId) {
    try (Warehouse wh = warehouse.get()) {
      List<Map<String, @Nullable Object>> rows = wh.query("SELECT CALL_ID, CALL_TITLE,"
          + " CALL_DATETIME_UTC, CALL_DURATION_SECONDS, CALL_URL, ACCOUNT_NAME, CALL_BRIEF,"
          + " KEY_POINTS, KEY_TOPICS, OPPORTUNITY_STAGE, SENTIMENT_SCORE, CALL_SUMMARY,"
          + " CALL_SUMMARY_METHOD, NEXT_STEPS, NEXT_STEPS_METHOD, RISK_INDICATORS, RISK_METHOD,"
          + " CALL_OUTCOME, TALK_RATIO"
          + " FROM STG_TRANSFORMED.STG_GONG_CALLS WHERE CALL_ID = ?"
          + " AND (IS_DELETED IS NULL OR NOT IS_DELETED) AND (IS_PRIVATE IS NULL OR NOT IS_PRIVATE)",
          callId);
      List<MemoryDoc> chunks = index.callChunks(callId);
      if (rows.isEmpty() && chunks.isEmpty()) {
        throw new NotFound("no call " + callId);
      }
      ObjectNode o = F.objectNode();
      o.put("call_id", callId);
      Map<String, @Nullable Object> r = rows.isEmpty() ? Map.of() : rows.get(0);
      MemoryDoc first = chunks.isEmpty() ? null : chunks.get(0);
      o.put("title", str(r.get("CALL_TITLE"), first == null ? null : first.title()));
      Instant started = MemoryRows.instant(r.get("CALL_DATETIME_UTC"));
      o.put("started", started != null ? started.toString()
          : first != null && first.startedMs() != null
              ? Instant.ofEpochMilli(first.startedMs()).toString() : null);
      o.put("duration_seconds", r.get("CALL_DURATION_SECONDS") == null ? null
          : ((Number) r.get("CALL_DURATION_SECONDS")).longValue());
      o.put("url", str(r.get("CALL_URL"), first == null ? null : first.url()));
      o.put("account", str(r.get("ACCOUNT_NAME"), first == null ? null : first.account()));
      // STG keeps Gong's text verbatim: what is served goes through AI_MEMORY's PII redactor.
      String summary = str(r.get("CALL_SUMMARY"), str(r.get("CALL_BRIEF"), null));
      o.put("summary", summary == null ? null : PiiRedactor.redact(summary));
      o.put("summary_method", str(r.get("CALL_SUMMARY_METHOD"), null));
      o.set("key_points", json(r.get("KEY_POINTS")));
      o.set("topics", json(r.get("KEY_TOPICS")));
      o.put("opportunity_stage", str(r.get("OPPORTUNITY_STAGE"), null));
      o.put("outcome", str(r.get("CALL_OUTCOME"), null));
      o.put("talk_ratio", r.get("TALK_RATIO") == null ? null
          : ((Number) r.get("TALK_RATIO")).doubleValue());
      // Missing is not empty: null when Gong sent none and no rule ran / never classified.
      o.set("next_steps", r.get("NEXT_STEPS") == null ? F.nullNode()
          : redactTexts(json(r.get("NEXT_STEPS"))));
      o.put("next_steps_method", str(r.get("NEXT_STEPS_METHOD"), null));
      o.set("risks", r.get("RISK_INDICATORS") == null ? F.nullNode()
          : json(r.get("RISK_INDICATORS")));
      o.put("risk_method", str(r.get("RISK_METHOD"), null));
      ArrayNode trackers = o.putArray("trackers");
      for (Map<String, @Nullable Object> t : wh.query("SELECT TRACKER_NAME, TRACKER_TYPE,"
          + " MENTION_COUNT FROM STG_TRANSFORMED.STG_GONG_CALL_TRACKERS WHERE CALL_ID = ?"
          + " ORDER BY TRACKER_NAME", callId)) {
        ObjectNode n = trackers.addObject();
        n.put("name", str(t.get("TRACKER_NAME"), null));
        n.put("type", str(t.get("TRACKER_TYPE"), null));
        n.put("count", longOrNull(t.get("MENTION_COUNT")));
      }
      ArrayNode parts = o.putArray("participants");
      for (Map<String, @Nullable Object> p : wh.query("SELECT PARTICIPANT_NAME, TITLE, AFFILIATION"
          + " FROM STG_TRANSFORMED.STG_GONG_CALL_PARTICIPANTS WHERE CALL_ID = ?"
          + " ORDER BY AFFILIATION, PARTICIPANT_NAME", callId)) {
        ObjectNode n = parts.addObject();
        n.put("name", str(p.get("PARTICIPANT_NAME"), null));
        n.put("title", str(p.get("TITLE"), null));
        n.put("affiliation", str(p.get("AFFILIATION"), null));
      }
      o.put("chunks", chunks.size());
      return o;
    }
  }

  /**
   * A page of the call's transcript: AI_MEMORY's redacted chunks in order, or with {@code
   * allowVerbatim} STG's verbatim turns. {@code {"call_id", "total", "offset", "items": [...]}}.
   */
  public ObjectNode transcript(String callId, int offset, int limit) {
    if (offset < 0 || limit < 1 || limit > MAX_PAGE) {
      throw new IllegalArgumentException("offset must be >= 0 and limit 1.." + MAX_PAGE);
    }
    ObjectNode o = F.objectNode();
    o.put("call_id", callId);
    o.put("offset", offset);
    ArrayNode items = F.arrayNode();
    if (allowVerbatim) {
      try (Warehouse wh = warehouse.get()) {
        if (!visible(wh, callId)) {
          throw new NotFound("no call " + callId);
        }
        List<Map<String, @Nullable Object>> turns = wh.query("SELECT TURN_INDEX, SPEAKER_NAME,"
            + " AFFILIATION, START_MS, END_MS, TRANSCRIPT_TEXT FROM"
            + " STG_TRANSFORMED.STG_GONG_CALL_TRANSCRIPTS WHERE CALL_ID = ? ORDER BY TURN_INDEX",
            callId);
        o.put("total", turns.size());
        o.put("source", "verbatim");
        for (Map<String, @Nullable Object> t : turns.subList(Math.min(offset, turns.size()),
            Math.min(turns.size(), offset + limit))) {
          ObjectNode n = items.addObject();
          n.put("index", ((Number) t.get("TURN_INDEX")).intValue());
          n.put("speaker", str(t.get("SPEAKER_NAME"), null));
          n.put("affiliation", str(t.get("AFFILIATION"), null));
          putTimes(n, longOrNull(t.get("START_MS")), longOrNull(t.get("END_MS")));
          n.put("text", str(t.get("TRANSCRIPT_TEXT"), ""));
        }
      }
    } else {
      List<MemoryDoc> chunks = index.callChunks(callId);
      if (chunks.isEmpty()) {
        throw new NotFound("no indexed call " + callId);
      }
      o.put("total", chunks.size());
      o.put("source", "ai_memory");
      for (MemoryDoc d : chunks.subList(Math.min(offset, chunks.size()),
          Math.min(chunks.size(), offset + limit))) {
        ObjectNode n = items.addObject();
        n.put("index", d.chunkIndex());
        n.put("memory_id", d.memoryId());
        n.put("speaker", d.speaker());
        n.put("affiliation", d.affiliation());
        putTimes(n, d.startMs(), d.endMs());
        n.put("text", d.text());
      }
    }
    o.set("items", items);
    return o;
  }

  /** How {@link #similar} found the query call's vector; the result's {@code method}. */
  static final String SIMILAR_CALL_VECTORS = "call_vectors";
  static final String SIMILAR_INDEX_MEAN = "index_mean";
  static final String SIMILAR_INDEX_CHUNKS = "index_chunks";

  /**
   * Calls most like this one, ranked exactly as the {@code similar} command ranks them: cosine
   * between call vectors of {@code AI_MEMORY.CALL_VECTORS} ({@link SimilarCalls}), deleted and
   * private calls never returned. Each hit cites the call's chunk nearest to the query vector (or,
   * for a call not indexed yet, the call alone). {@code method} says where the query vector came
   * from: {@value #SIMILAR_CALL_VECTORS} (the call's stored vector), {@value #SIMILAR_INDEX_MEAN}
   * (the call has no CALL_VECTORS row yet: the normalised mean of its indexed chunks, ranked against
   * the stored vectors of the index's model), or {@value #SIMILAR_INDEX_CHUNKS} (the warehouse holds
   * no call vector of that model at all: the mean against every indexed chunk, best chunk per call).
   */
  public ObjectNode similar(String callId, int k) {
    if (k < 1 || k > SearchRequest.MAX_K) {
      throw new IllegalArgumentException("k must be between 1 and " + SearchRequest.MAX_K);
    }
    List<StoredCallVector> all;
    try (Warehouse wh = warehouse.get()) {
      all = wh.callVectors();
    }
    StoredCallVector own = all.stream().filter(c -> c.callId().equals(callId)).findFirst()
        .orElse(null);
    ObjectNode out = F.objectNode();
    out.put("call_id", callId);
    ArrayNode arr = F.arrayNode();
    float[] query;
    if (own != null) {
      out.put("method", SIMILAR_CALL_VECTORS);
      query = own.embedding();
      for (SimilarCalls.Hit h : SimilarCalls.toCall(all, callId, k)) {
        arr.add(similarHit(h, query));
      }
    } else {
      query = index.meanVector(callId);
      if (query == null) {
        throw new NotFound("no call " + callId + " with a call vector or indexed chunks");
      }
      String model = embedder.modelName();
      List<SimilarCalls.Hit> ranked = SimilarCalls.rank(all, model, query,
          c -> c.callId().equals(callId), k);
      boolean anyStored = all.stream().anyMatch(c -> !c.callId().equals(callId)
          && c.embeddingModel().equals(model) && c.embedding().length == index.dimension());
      if (anyStored) {
        out.put("method", SIMILAR_INDEX_MEAN);
        for (SimilarCalls.Hit h : ranked) {
          arr.add(similarHit(h, query));
        }
      } else {
        out.put("method", SIMILAR_INDEX_CHUNKS);
        index.similarCalls(callId, k).forEach(h -> arr.add(hit(h)));
      }
    }
    out.set("hits", arr);
    return out;
  }

  /** A similar call with its call-vector score, cited by its chunk nearest to {@code query}. */
  private ObjectNode similarHit(SimilarCalls.Hit h, float[] query) {
    MemoryDoc best = null;
    double bestDot = Double.NEGATIVE_INFINITY;
    for (MemoryDoc d : index.callChunks(h.call().callId())) {
      if (d.vector().length == query.length) {
        double dot = CallVectors.dot(query, d.vector());
        if (dot > bestDot) {
          bestDot = dot;
          best = d;
        }
      }
    }
    if (best != null) {
      return hit(new MemoryHit(h.score(), best));
    }
    // Not indexed yet (the index refreshes behind the warehouse): the call without a chunk.
    StoredCallVector c = h.call();
    ObjectNode o = F.objectNode();
    o.put("score", h.score());
    o.put("call_id", c.callId());
    o.putNull("memory_id");
    o.put("title", c.title());
    o.put("started", c.started());
    o.put("account", c.account());
    o.put("citation", "\"" + (c.title() == null ? "(untitled call)" : c.title()) + "\" (call "
        + c.callId() + ")");
    return o;
  }

  /**
   * An account's recent calls (newest first, up to {@code calls}) with their topics and a cited
   * opening line from the customer's side of each.
   */
  public ObjectNode brief(String account, int calls) {
    Map<String, List<MemoryDoc>> byCall = index.accountCalls(account, calls);
    if (byCall.isEmpty()) {
      throw new NotFound("no indexed calls for account " + account);
    }
    Map<String, JsonNode> topics = new LinkedHashMap<>();
    try (Warehouse wh = warehouse.get()) {
      List<Object> ids = new ArrayList<>(byCall.keySet());
      for (Map<String, @Nullable Object> r : wh.query("SELECT CALL_ID, KEY_TOPICS, CALL_BRIEF"
          + " FROM STG_TRANSFORMED.STG_GONG_CALLS WHERE CALL_ID IN ("
          + String.join(", ", java.util.Collections.nCopies(ids.size(), "?")) + ")",
          ids.toArray())) {
        ObjectNode t = F.objectNode();
        t.set("topics", json(r.get("KEY_TOPICS")));
        t.put("summary", str(r.get("CALL_BRIEF"), null));
        topics.put(String.valueOf(r.get("CALL_ID")), t);
      }
    }
    ObjectNode out = F.objectNode();
    out.put("account", byCall.values().iterator().next().get(0).account());
    ArrayNode arr = out.putArray("calls");
    Set<String> allTopics = new LinkedHashSet<>();
    for (Map.Entry<String, List<MemoryDoc>> e : byCall.entrySet()) {
      MemoryDoc first = e.getValue().get(0);
      MemoryDoc quote = e.getValue().stream()
          .filter(d -> "External".equalsIgnoreCase(d.affiliation())).findFirst().orElse(first);
      ObjectNode c = arr.addObject();
      c.put("call_id", e.getKey());
      c.put("title", first.title());
      c.put("started", first.startedMs() == null ? null
          : Instant.ofEpochMilli(first.startedMs()).toString());
      c.put("url", first.url());
      JsonNode t = topics.get(e.getKey());
      c.set("topics", t == null ? F.arrayNode() : t.get("topics"));
      c.put("summary", t == null ? null : t.path("summary").asText(null));
      if (t != null && t.get("topics").isArray()) {
        t.get("topics").forEach(n -> allTopics.add(n.isTextual() ? n.asText()
            : n.path("name").asText(n.toString())));
      }
      c.set("quote", hit(new MemoryHit(0, quote)));
    }
    ArrayNode top = out.putArray("topics");
    allTopics.forEach(top::add);
    return out;
  }

  /** Model, rows indexed, and how fresh the index is. */
  public ObjectNode health() {
    ObjectNode o = F.objectNode();
    o.put("status", "ok");
    o.put("warehouse", warehouseLabel);
    o.put("model", embedder.modelName());
    o.put("dimension", embedder.dimension());
    o.put("rows_indexed", index.size());
    o.put("calls_indexed", index.callIds().size());
    Instant mark = refresher.memoryMark();
    Instant last = refresher.lastRefresh();
    o.put("high_water_mark", mark == null ? null : mark.toString());
    o.put("last_refresh", last == null ? null : last.toString());
    o.put("seconds_since_refresh", last == null ? null
        : Duration.between(last, clock.instant()).toSeconds());
    o.put("refreshes", refresher.refreshes());
    o.put("verbatim_transcripts", allowVerbatim);
    o.put("search_backend", cortex == null ? "local" : "cortex");
    return o;
  }

  /** One hit with its citation: call id, title, speaker, mm:ss and the Gong call URL. */
  static ObjectNode hit(MemoryHit h) {
    MemoryDoc d = h.doc();
    ObjectNode o = F.objectNode();
    o.put("score", h.score());
    o.put("call_id", d.callId());
    o.put("memory_id", d.memoryId());
    o.put("chunk_index", d.chunkIndex());
    o.put("title", d.title());
    o.put("started", d.startedMs() == null ? null : Instant.ofEpochMilli(d.startedMs()).toString());
    o.put("account", d.account());
    o.put("speaker", d.speaker());
    o.put("affiliation", d.affiliation());
    putTimes(o, d.startMs(), d.endMs());
    o.put("text", d.text());
    o.put("url", d.url());
    o.put("citation", citation(d));
    return o;
  }

  /** {@code "Title" — Speaker at 03:12 (call 123, https://…)}. */
  static String citation(MemoryDoc d) {
    return "\"" + (d.title() == null ? "(untitled call)" : d.title()) + "\" — "
        + (d.speaker() == null ? "unknown speaker" : d.speaker()) + " at " + mmss(d.startMs())
        + " (call " + d.callId() + (d.url() == null ? "" : ", " + d.url()) + ")";
  }

  static String mmss(@Nullable Long ms) {
    if (ms == null) {
      return "?";
    }
    long s = ms / 1000;
    return String.format(Locale.ROOT, "%02d:%02d", s / 60, s % 60);
  }

  private static void putTimes(ObjectNode n, @Nullable Long start, @Nullable Long end) {
    n.put("start_ms", start);
    n.put("end_ms", end);
    n.put("at", mmss(start));
  }

  private static boolean visible(Warehouse wh, String callId) {
    return !wh.query("SELECT 1 AS V FROM STG_TRANSFORMED.STG_GONG_CALLS WHERE CALL_ID = ?"
        + " AND (IS_DELETED IS NULL OR NOT IS_DELETED) AND (IS_PRIVATE IS NULL OR NOT IS_PRIVATE)",
        callId).isEmpty();
  }

  private static JsonNode json(@Nullable Object v) {
    if (v == null) {
      return F.arrayNode();
    }
    try {
      return JsonSupport.parse(v.toString());
    } catch (RuntimeException e) {
      return F.arrayNode();
    }
  }

  /** Every text field of a JSON array of objects, through the PII redactor. */
  private static JsonNode redactTexts(JsonNode items) {
    if (items.isArray()) {
      for (JsonNode item : items) {
        if (item instanceof ObjectNode obj) {
          List<String> names = new ArrayList<>();
          obj.fieldNames().forEachRemaining(names::add);
          for (String f : names) {
            if (obj.get(f).isTextual() && (f.equals("text") || f.equals("snippet"))) {
              obj.put(f, PiiRedactor.redact(obj.get(f).asText()));
            }
          }
        }
      }
    }
    return items;
  }

  private static @Nullable String str(@Nullable Object v, @Nullable String fallback) {
    return v == null ? fallback : v.toString();
  }

  private static @Nullable Long longOrNull(@Nullable Object v) {
    return v == null ? null : ((Number) v).longValue();
  }

}
