package com.gongpipeline.enrich;

import java.util.Map;
import java.util.Set;

/**
 * Adjustments to VADER's lexicon for sales-call speech, applied once per JVM before first use.
 *
 * <p>Why: VADER was built for social media text. In spoken sales calls, fillers and hedges it
 * scores as positive are everywhere ("yeah", "okay", "like", "honestly", "pretty", "kind of"), so
 * a plain objection such as "honestly the onboarding was a nightmare" scored +0.46. And common
 * complaint words are missing from its lexicon ("nightmare", "expensive", "buggy"). Values use
 * VADER's own scale (about -4..4; e.g. "problem" -1.7, "terrible" -2.1, "great" 3.1).
 *
 * <p>Bump {@link #VERSION} whenever an entry changes, since stored scores change with it.
 */
final class SalesLexicon {
  private SalesLexicon() {}

  static final String VERSION = "sales-1";

  /**
   * Fillers and hedges that carry no sentiment in conversation: removed from the lexicon. Removed,
   * not set to 0, because VADER still applies boosters ("so", "really") to a lexicon word of
   * valence 0, which made "so like" positive.
   */
  static final Set<String> NEUTRALISED =
      Set.of("honestly", "yeah", "okay", "ok", "like", "well", "sure", "pretty", "kind", "please");

  /** Sales-call complaint and praise words VADER's lexicon lacks (added only if absent). */
  static final Map<String, Float> ADDED =
      Map.ofEntries(
          Map.entry("nightmare", -2.6f),
          Map.entry("nightmares", -2.6f),
          Map.entry("headache", -1.8f),
          Map.entry("headaches", -1.8f),
          Map.entry("overpriced", -2.0f),
          Map.entry("expensive", -1.2f),
          Map.entry("pricey", -1.0f),
          Map.entry("clunky", -1.5f),
          Map.entry("buggy", -1.8f),
          Map.entry("laggy", -1.5f),
          Map.entry("outage", -1.9f),
          Map.entry("outages", -1.9f),
          Map.entry("blocker", -1.5f),
          Map.entry("blockers", -1.5f),
          Map.entry("dealbreaker", -2.5f),
          Map.entry("deal-breaker", -2.5f),
          Map.entry("churn", -1.2f),
          Map.entry("churned", -1.4f),
          Map.entry("concern", -0.9f),
          Map.entry("concerns", -0.9f),
          Map.entry("concerned", -1.1f),
          Map.entry("seamless", 1.8f),
          Map.entry("seamlessly", 1.8f),
          Map.entry("intuitive", 1.6f));

  /** Applies the adjustments to VADER's (mutable, static) word-valence map. */
  static void applyTo(Map<String, Float> vaderLexicon) {
    vaderLexicon.keySet().removeAll(NEUTRALISED);
    ADDED.forEach(vaderLexicon::putIfAbsent);
  }
}
