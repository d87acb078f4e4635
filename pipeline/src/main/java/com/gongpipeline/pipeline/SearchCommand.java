package com.gongpipeline.pipeline;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.gongpipeline.cortex.CortexEmbedConfig;
import com.gongpipeline.cortex.CortexEmbedder;
import com.gongpipeline.enrich.LocalE5Embedder;
import com.gongpipeline.enrich.LocalE5Model;
import com.gongpipeline.enrich.TextEmbedder;
import com.gongpipeline.parse.JsonSupport;
import com.gongpipeline.snowflake.SnowflakeCredentials;
import com.gongpipeline.warehouse.SearchHit;
import com.gongpipeline.warehouse.SearchQuery;
import com.gongpipeline.warehouse.Warehouse;
import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code search "pricing objections" [--warehouse=…] [--account=…] [--since=…]
 * [--speaker=internal|external] [--k=5] [--json] [--embeddings=cortex --cortexUrl=…
 * [--cortexEmbeddingModel=e5-base-v2]]}: cosine search over AI_MEMORY with the model that embedded
 * it (queries embedded locally with e5-small-v2, or through Cortex REST).
 */
public final class SearchCommand {
  static final String DEFAULT_WAREHOUSE = "jdbc:duckdb:./gong.duckdb";

  private SearchCommand() {}

  public static List<SearchHit> run(String[] args, PrintStream out) throws Exception {
    return run(args, out, SnowflakeCredentials.fromEnv());
  }

  /** With the Snowflake credentials {@code --embeddings=cortex} queries use. */
  static List<SearchHit> run(String[] args, PrintStream out, SnowflakeCredentials snowflake)
      throws Exception {
    CliArgs a = CliArgs.parse(args);
    if (a.positional.isEmpty() || a.positional.get(0).isBlank()) {
      throw new IllegalArgumentException("usage: search \"what to look for\" [--warehouse=URL] "
          + "[--account=NAME] [--since=DATE] [--speaker=internal|external] [--k=5] [--json]");
    }
    String query = String.join(" ", a.positional);
    String speaker = a.get("speaker", null);
    if (speaker != null && !Set.of("internal", "external").contains(speaker.toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException("--speaker must be internal or external, not " + speaker);
    }
    int k = a.getInt("k", 5);
    if (k < 1 || k > 1000) {
      throw new IllegalArgumentException("--k must be between 1 and 1000");
    }
    Instant since = a.flags.containsKey("since") ? Instants.parse("since", a.get("since", null))
        : null;
    // serve answers at most 100 hits; a larger --k takes the direct path rather than fewer hits.
    List<SearchHit> served = a.has("direct") || k > 100 ? null
        : ServedSearch.tryServe(ServedSearch.DEFAULT_URL, a.get("warehouse", DEFAULT_WAREHOUSE),
            query, k, a.get("account", null), since, speaker);
    if (served != null) {
      print(served, query, a.has("json"), out);
      return served;
    }
    try (Warehouse wh = Warehouse.open(a.get("warehouse", DEFAULT_WAREHOUSE))) {
      Set<String> models = wh.embeddingModels();
      if (models.isEmpty()) {
        throw new IllegalArgumentException("AI_MEMORY is empty in " + a.get("warehouse",
            DEFAULT_WAREHOUSE) + ": run a backfill (or the demo) first");
      }
      try (TextEmbedder embedder = queryEmbedder(a, snowflake, models)) {
        return search(a, query, speaker, k, since, wh, models, embedder, out);
      }
    }
  }

  private static List<SearchHit> search(CliArgs a, String query, String speaker, int k,
      Instant since, Warehouse wh, Set<String> models, TextEmbedder embedder, PrintStream out)
      throws Exception {
    if (!models.contains(embedder.modelName())) {
      throw new IllegalArgumentException("AI_MEMORY was embedded with " + models + " but this "
          + "search embeds queries with " + embedder.modelName()
          + "; vectors of different models are never compared");
    }
    SearchQuery.Builder q =
        SearchQuery.builder(embedder.embedQuery(query), embedder.modelName()).k(k);
    if (a.flags.containsKey("account")) {
      q.account(a.get("account", null));
    }
    if (since != null) {
      q.since(since);
    }
    if (speaker != null) {
      q.affiliation(speaker.substring(0, 1).toUpperCase(Locale.ROOT)
          + speaker.substring(1).toLowerCase(Locale.ROOT));
    }
    List<SearchHit> hits = wh.search(q.build());
    print(hits, query, a.has("json"), out);
    return hits;
  }

  private static void print(List<SearchHit> hits, String query, boolean json, PrintStream out) {
    if (json) {
      for (SearchHit h : hits) {
        out.println(toJson(h));
      }
    } else {
      print(query, hits, out);
    }
  }

  /**
   * The local e5-small-v2 that embedded the warehouse ({@code stored}'s models; the default when
   * both or neither did; {@code --localEmbeddingModel} overrides), or with {@code
   * --embeddings=cortex} the Cortex model at --cortexUrl.
   */
  static TextEmbedder queryEmbedder(CliArgs a, SnowflakeCredentials snowflake,
      Set<String> stored) {
    String source = a.get("embeddings", "local");
    if ("local".equals(source)) {
      LocalE5Model model = LocalE5Model.DEFAULT;
      if (a.flags.containsKey("localEmbeddingModel")) {
        model = LocalE5Model.fromName(a.get("localEmbeddingModel", null));
      } else if (!stored.contains(model.modelName())) {
        for (LocalE5Model m : LocalE5Model.values()) {
          if (stored.contains(m.modelName())) {
            model = m;
          }
        }
      }
      return new LocalE5Embedder(model);
    }
    if (!"cortex".equals(source)) {
      throw new IllegalArgumentException("--embeddings must be local or cortex, not " + source);
    }
    return new CortexEmbedder(CortexEmbedConfig.builder(a.get("cortexUrl", null), snowflake)
        .model(a.get("cortexEmbeddingModel", "e5-base-v2")).build());
  }

  static String toJson(SearchHit h) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("score", h.score());
    o.put("call_id", h.callId());
    o.put("title", h.title());
    o.put("started", h.started() == null ? null : h.started().toString());
    o.put("account", h.account());
    o.put("speaker", h.speakerName());
    o.put("affiliation", h.affiliation());
    o.put("start_ms", h.startMs());
    o.put("end_ms", h.endMs());
    o.put("text", h.text());
    return JsonSupport.write(o);
  }

  static void print(String query, List<SearchHit> hits, PrintStream out) {
    out.printf("%d hit(s) for \"%s\"%n", hits.size(), query);
    int i = 1;
    for (SearchHit h : hits) {
      out.printf(Locale.ROOT, "%n%d. score %.3f | %s | %s | %s%n", i++, h.score(),
          h.title(), h.started() == null ? "?" : h.started().toString().substring(0, 10),
          h.account() == null ? "(no account)" : h.account());
      out.printf("   %s (%s) at %s-%s%n", h.speakerName(), h.affiliation(),
          mmss(h.startMs()), mmss(h.endMs()));
      out.printf("   \"%s\"%n", h.text());
    }
  }

  static String mmss(long ms) {
    long s = ms / 1000;
    return String.format(Locale.ROOT, "%02d:%02d", s / 60, s % 60);
  }
}
