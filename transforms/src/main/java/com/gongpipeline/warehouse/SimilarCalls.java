package com.gongpipeline.warehouse;

import com.gongpipeline.enrich.CallVectors;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/**
 * The one ranking of "similar calls", shared by the {@code similar} command and {@code serve}:
 * cosine (dot product of unit vectors) between a query vector and the call vectors of {@code
 * AI_MEMORY.CALL_VECTORS}, only vectors of the query's embedding model and dimension, best first,
 * ties by call id.
 */
public final class SimilarCalls {
  private SimilarCalls() {}

  /** One answer: a call and its cosine to the query. */
  public record Hit(double score, StoredCallVector call) {}

  /**
   * The k calls most like {@code callId} (itself excluded).
   *
   * @throws IllegalArgumentException when the call has no call vector among {@code all}
   */
  public static List<Hit> toCall(List<StoredCallVector> all, String callId, int k) {
    StoredCallVector q = all.stream().filter(c -> c.callId().equals(callId)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("call " + callId + " has no call vector"
            + " (unknown, deleted or private, without speech, or not yet enriched)"));
    return rank(all, q.embeddingModel(), q.embedding(), c -> c.callId().equals(callId), k);
  }

  /**
   * The k calls most like the deal's calls taken together (the normalised mean of their vectors),
   * its own calls excluded.
   */
  public static List<Hit> toDeal(List<StoredCallVector> all, String dealId, int k) {
    List<StoredCallVector> deal = all.stream().filter(c -> c.onDeal(dealId)).toList();
    if (deal.isEmpty()) {
      throw new IllegalArgumentException("deal " + dealId + " has no call with a call vector");
    }
    String model = deal.get(0).embeddingModel();
    List<float[]> vectors = new ArrayList<>();
    for (StoredCallVector c : deal) {
      if (c.embeddingModel().equals(model)) {
        vectors.add(c.embedding());
      }
    }
    return rank(all, model, CallVectors.normalisedMean(vectors), c -> c.onDeal(dealId), k);
  }

  /**
   * The k call vectors of {@code model} (and {@code q}'s dimension) nearest to the unit vector
   * {@code q}, leaving out those {@code exclude} matches.
   */
  public static List<Hit> rank(List<StoredCallVector> all, String model, float[] q,
      Predicate<StoredCallVector> exclude, int k) {
    List<Hit> hits = new ArrayList<>();
    for (StoredCallVector c : all) {
      if (!exclude.test(c) && c.embeddingModel().equals(model)
          && c.embedding().length == q.length) {
        hits.add(new Hit(CallVectors.dot(q, c.embedding()), c));
      }
    }
    hits.sort(Comparator.comparingDouble((Hit h) -> -h.score())
        .thenComparing(h -> h.call().callId()));
    return List.copyOf(hits.subList(0, Math.min(k, hits.size())));
  }
}
