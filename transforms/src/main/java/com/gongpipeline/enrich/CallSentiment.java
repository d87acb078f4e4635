package com.gongpipeline.enrich;

import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A call's {@code SENTIMENT_SCORE} from its speaker turns' scores.
 *
 * <p>Not a flat duration-weighted mean: in a sales call most of the talk is businesslike
 * (pricing, security, next steps) and scores near 0, so a flat mean pulls every call towards the
 * middle and a seller's long cheerful pitch outweighs a customer's short "we've decided to go
 * with a competitor". Instead each scored turn {@code i} (score {@code s_i} in [-1, 1]) weighs
 *
 * <pre>
 *   w_i = side_i * (FLOOR + |s_i|) * sqrt(seconds_i)
 *   side_i = {@value #CUSTOMER_WEIGHT} for the customer side (External), 1 otherwise
 *   score  = sum(w_i * s_i) / sum(w_i)
 * </pre>
 *
 * so the customer's turns count {@value #CUSTOMER_WEIGHT} times the seller's, a strong turn
 * (|s| near 1) counts up to {@code (FLOOR + 1) / FLOOR} = 5 times a flat one ({@code FLOOR} =
 * {@value #FLOOR}), and length counts by its square root (a 3000-word monologue does not drown
 * the call). Turns without a score (no scorable text, NaN) are left out; a call with none
 * scores null, not 0. The result stays in [-1, 1].
 *
 * <p>{@link #METHOD} names this formula; {@link #methodName} joins it to the turn scorer's model
 * name, which is what {@code STG_GONG_CALLS.SENTIMENT_MODEL} stores, so a change of either
 * recomputes the stored scores and nothing else does.
 */
public final class CallSentiment {
  private CallSentiment() {}

  /** Bump when the formula or its constants change. */
  public static final String METHOD = "call-weighted-1";

  static final double CUSTOMER_WEIGHT = 3.0;
  static final double FLOOR = 0.25;

  /** One scored turn: whether the customer said it, how long it lasted, its score (or NaN). */
  public record Turn(boolean customer, long durationMs, double score) {}

  /** What {@code STG_GONG_CALLS.SENTIMENT_MODEL} records for turns scored by {@code model}. */
  public static String methodName(String turnModel) {
    return turnModel + ";" + METHOD;
  }

  /** Whether an affiliation ({@code External}, {@code Internal}, {@code Unknown}) is the customer. */
  public static boolean isCustomer(@Nullable String affiliation) {
    return "External".equalsIgnoreCase(affiliation);
  }

  /** The call's score; null when no turn has a score. */
  public static @Nullable Double score(List<Turn> turns) {
    double sum = 0;
    double weight = 0;
    for (Turn t : turns) {
      if (Double.isNaN(t.score())) {
        continue;
      }
      double s = Math.max(-1, Math.min(1, t.score()));
      double seconds = Math.max(0.5, t.durationMs() / 1000.0);
      double w = (t.customer() ? CUSTOMER_WEIGHT : 1.0) * (FLOOR + Math.abs(s)) * Math.sqrt(seconds);
      sum += w * s;
      weight += w;
    }
    return weight == 0 ? null : sum / weight;
  }
}
