package com.gongpipeline.pipeline;

import com.gongpipeline.chunking.E5Tokenizer;
import com.gongpipeline.enrich.EmbeddingMath;
import com.gongpipeline.enrich.LocalE5Embedder;
import com.gongpipeline.gong.sim.GroundTruth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The simulator's semantic-search eval, used by {@code bench} to compare embedding models:
 * precision@5 of paraphrased questions over the speaker turns of simulated calls.
 *
 * <p>Corpus: the distinct texts of the English monologues (6+ words) of the first calls of a
 * simulated tenant's ground truth. Each is labelled with the conversation themes it talks about,
 * by the theme's vocabulary ({@link #VOCABULARY}; the call's competitor names count for
 * competition), so one turn can be relevant to several themes. Queries: three paraphrases per
 * theme ({@link #QUERIES}) that avoid that vocabulary, so a hit needs meaning, not shared words.
 * A query's precision@5 is the share of its 5 nearest turns (cosine) labelled with its theme; the
 * eval's figure is the mean over all queries. It is a relative measure: every model is scored on
 * the same corpus, labels and queries.
 */
final class EmbeddingSearchEval {
  static final int K = 5;
  /** Longest turn (tokens, prefix and special tokens included) the eval embeds whole. */
  static final int MAX_TOKENS = LocalE5Embedder.MAX_INPUT_TOKENS;

  /** Paraphrased questions per theme. */
  static final Map<String, List<String>> QUERIES = new LinkedHashMap<>();
  /** Lower-case phrases that mark a turn as talking about a theme. */
  static final Map<String, List<String>> VOCABULARY = new LinkedHashMap<>();

  static {
    QUERIES.put("pricing", List.of("how much will this cost us for each user",
        "the buyer wants a cheaper deal", "negotiating a lower rate for the licenses"));
    QUERIES.put("security", List.of("compliance certifications and login requirements",
        "how is customer information protected", "what the vendor risk assessment needs"));
    QUERIES.put("competition", List.of("which other providers are they considering",
        "the prospect compares us with a rival product",
        "customers who moved over from another tool"));
    QUERIES.put("implementation", List.of("how long until the team is up and running",
        "getting the software set up and connected to the CRM",
        "help for admins during the first months"));
    QUERIES.put("next steps", List.of("what happens after this meeting",
        "agreed follow-up actions", "sending a summary email after the call"));
    QUERIES.put("small talk", List.of("chatting about the weekend and the weather",
        "casual conversation before the meeting starts", "sports and travel chit-chat"));
    QUERIES.put("discovery", List.of("what problem is the customer trying to solve",
        "who signs off on the purchase", "how do reps review their calls today"));

    VOCABULARY.put("pricing", List.of("price", "pricing", "discount", "per seat", "per-seat",
        "budget", "procurement", "a year before", "three-year", "multi-year", "annual",
        "cheaper", "platform fee", "proposal", "percent off"));
    VOCABULARY.put("security", List.of("security", "soc 2", "sso", "saml", "dpa", "gdpr",
        "encrypt", "penetration", "data residency", "retention", "vendor review"));
    VOCABULARY.put("competition", List.of("other vendors", "switched to us", "migrated off",
        "also evaluating", "comparing you against", "demo"));
    VOCABULARY.put("implementation", List.of("implementation", "onboarding", "integration",
        "roll out", "rollout", "rolled out", "pilot", "training", "configuration", "admin",
        "live before"));
    VOCABULARY.put("next steps", List.of("next step", "recap", "loop in", "legal review",
        "run this by", "introduce me", "talk soon", "share it with", "contract",
        "anything changes"));
    VOCABULARY.put("small talk", List.of("weekend", "weather", "the game", "trip", "hiking",
        "jet-lag", "reorg", "hear me", "hear you", "offsite", "hard stop", "end-of-quarter",
        "good morning", "how are things", "how's the"));
    VOCABULARY.put("discovery", List.of("evaluation", "call reviews", "coaching", "decision",
        "success", "day to day", "finishes a customer call", "manual notes", "spreadsheets",
        "economic buyer", "sign off", "ramp time", "internally", "seats across"));
  }

  /** One distinct turn and the themes it talks about. */
  record Passage(String text, Set<String> themes) {}

  private final List<Passage> corpus;

  EmbeddingSearchEval(List<Passage> corpus) {
    this.corpus = List.copyOf(corpus);
  }

  /** The corpus of the first {@code maxCalls} English calls of {@code truth}. */
  static EmbeddingSearchEval of(GroundTruth truth, int maxCalls) {
    E5Tokenizer tokens = new E5Tokenizer();
    Map<String, Set<String>> byText = new LinkedHashMap<>();
    int calls = 0;
    for (GroundTruth.Call call : truth.calls()) {
      if (!"eng".equals(call.language()) || calls >= maxCalls) {
        continue;
      }
      calls++;
      List<String> rivals = new ArrayList<>();
      call.facts().forEach((k, v) -> {
        if (k.startsWith("competitor") && v != null && !v.isBlank()) {
          rivals.add(v.toLowerCase(Locale.ROOT));
        }
      });
      for (GroundTruth.Monologue m : call.monologues()) {
        String text = String.join(" ", m.texts()).strip();
        // Over-long monologues (the simulator's huge-turn trap) are chunked by the pipeline; the
        // eval embeds whole turns, so it leaves out what a model could not take in one piece.
        if (text.split("\\s+").length < 6
            || tokens.countTokens(LocalE5Embedder.PASSAGE_PREFIX + text) > MAX_TOKENS) {
          continue;
        }
        Set<String> themes = themes(text, rivals);
        if (!themes.isEmpty()) {
          byText.computeIfAbsent(text, t -> new LinkedHashSet<>()).addAll(themes);
        }
      }
    }
    List<Passage> corpus = new ArrayList<>();
    byText.forEach((t, th) -> corpus.add(new Passage(t, Set.copyOf(th))));
    return new EmbeddingSearchEval(corpus);
  }

  static Set<String> themes(String text, List<String> rivals) {
    String lower = text.toLowerCase(Locale.ROOT);
    Set<String> out = new LinkedHashSet<>();
    VOCABULARY.forEach((theme, words) -> {
      for (String w : words) {
        if (lower.contains(w)) {
          out.add(theme);
          return;
        }
      }
    });
    for (String r : rivals) {
      if (lower.contains(r)) {
        out.add("competition");
      }
    }
    return out;
  }

  int size() {
    return corpus.size();
  }

  /**
   * Mean precision@5 of {@link #QUERIES} with these embedders: {@code passages} and {@code
   * queries} take raw texts and add their model's prefixes themselves.
   */
  double precisionAt5(Function<List<String>, List<float[]>> passages,
      Function<List<String>, List<float[]>> queries) {
    List<String> texts = corpus.stream().map(Passage::text).toList();
    List<float[]> vectors = new ArrayList<>(texts.size());
    for (int i = 0; i < texts.size(); i += 32) {
      vectors.addAll(passages.apply(texts.subList(i, Math.min(texts.size(), i + 32))));
    }
    double sum = 0;
    int n = 0;
    for (Map.Entry<String, List<String>> e : QUERIES.entrySet()) {
      List<float[]> qs = queries.apply(e.getValue());
      for (float[] q : qs) {
        sum += precision(q, vectors, e.getKey());
        n++;
      }
    }
    return sum / n;
  }

  private double precision(float[] query, List<float[]> vectors, String theme) {
    int[] top = new int[K];
    double[] score = new double[K];
    java.util.Arrays.fill(top, -1);
    java.util.Arrays.fill(score, Double.NEGATIVE_INFINITY);
    for (int i = 0; i < vectors.size(); i++) {
      double s = EmbeddingMath.dot(query, vectors.get(i));
      if (s > score[K - 1]) {
        int j = K - 1;
        while (j > 0 && score[j - 1] < s) {
          score[j] = score[j - 1];
          top[j] = top[j - 1];
          j--;
        }
        score[j] = s;
        top[j] = i;
      }
    }
    int hits = 0;
    for (int i : top) {
      if (i >= 0 && corpus.get(i).themes().contains(theme)) {
        hits++;
      }
    }
    return hits / (double) K;
  }
}
