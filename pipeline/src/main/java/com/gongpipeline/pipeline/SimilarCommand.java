package com.gongpipeline.pipeline;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.gongpipeline.warehouse.SimilarCalls;
import com.gongpipeline.parse.JsonSupport;
import com.gongpipeline.warehouse.StoredCallVector;
import com.gongpipeline.warehouse.Warehouse;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * {@code similar --call=ID | --deal=ID [--k=5] [--warehouse=…] [--json]}: the k calls most similar
 * to one call, or to a deal's calls, by the cosine of their call vectors ({@code
 * AI_MEMORY.CALL_VECTORS}: the normalised mean of each call's chunk vectors). For a deal the query
 * is the normalised mean of its calls' vectors, and its own calls are left out of the answer.
 * Only vectors of the query's embedding model are compared; deleted and private calls are never
 * returned. A scan over the call vectors (one per call), no model is loaded.
 */
public final class SimilarCommand {
  static final String USAGE = "usage: similar --call=ID | --deal=ID [--k=5] [--warehouse=URL]"
      + " [--json]";

  private SimilarCommand() {}

  /** One answer: a call and its cosine to the query. */
  public record Hit(double score, StoredCallVector call) {}

  public static List<Hit> run(String[] args, PrintStream out) {
    CliArgs a = CliArgs.parse(args);
    String callId = a.get("call", null);
    String dealId = a.get("deal", null);
    if ((callId == null) == (dealId == null) || !a.positional.isEmpty()) {
      throw new IllegalArgumentException(USAGE);
    }
    int k = a.getInt("k", 5);
    if (k < 1 || k > 1000) {
      throw new IllegalArgumentException("--k must be between 1 and 1000");
    }
    String url = a.get("warehouse", SearchCommand.DEFAULT_WAREHOUSE);
    List<StoredCallVector> all;
    try (Warehouse wh = Warehouse.open(url)) {
      all = wh.callVectors();
    }
    List<Hit> hits = callId != null ? similarToCall(all, callId, k)
        : similarToDeal(all, dealId, k);
    print(hits, callId != null ? "call " + callId : "deal " + dealId, a.has("json"), out);
    return hits;
  }

  /** The k calls most like {@code callId} (itself excluded): {@link SimilarCalls#toCall}. */
  static List<Hit> similarToCall(List<StoredCallVector> all, String callId, int k) {
    return hits(SimilarCalls.toCall(all, callId, k));
  }

  /** The k calls most like the deal's calls together: {@link SimilarCalls#toDeal}. */
  static List<Hit> similarToDeal(List<StoredCallVector> all, String dealId, int k) {
    return hits(SimilarCalls.toDeal(all, dealId, k));
  }

  private static List<Hit> hits(List<SimilarCalls.Hit> ranked) {
    return ranked.stream().map(h -> new Hit(h.score(), h.call())).toList();
  }

  static void print(List<Hit> hits, String what, boolean json, PrintStream out) {
    if (json) {
      for (Hit h : hits) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("score", h.score());
        o.put("call_id", h.call().callId());
        o.put("title", h.call().title());
        o.put("started", h.call().started());
        o.put("account", h.call().account());
        out.println(JsonSupport.write(o));
      }
      return;
    }
    out.printf("%d call(s) similar to %s%n", hits.size(), what);
    int i = 1;
    for (Hit h : hits) {
      out.printf(Locale.ROOT, "%d. score %.3f | %s | %s | %s | call %s%n", i++, h.score(),
          h.call().title(), date(h.call().started()),
          h.call().account() == null ? "(no account)" : h.call().account(), h.call().callId());
    }
  }

  private static String date(@Nullable String started) {
    return started == null ? "?" : started.length() >= 10 ? started.substring(0, 10) : started;
  }
}
