package com.gongpipeline.gong.sim;

import com.gongpipeline.enrich.CallSentiment;
import com.gongpipeline.enrich.SentimentScorer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores the simulator's labelled calls with a turn scorer and the call-level formula ({@link
 * CallSentiment}) exactly as the pipeline does (one score per speaker turn, the turn's sentences
 * joined by spaces, the customer side being the {@code External} parties), without a pipeline or
 * a server, and measures how well the scores rank: the <b>negative-decile precision</b>, the share
 * of truly negative calls among the 10 % of scored calls with the lowest score. Used by the
 * decile test and by {@code bench}.
 */
public final class SentimentEval {
  private SentimentEval() {}

  /**
   * One evaluation.
   *
   * @param decile how many calls the most negative decile holds
   * @param negativeInDecile how many of them are labelled negative
   * @param labels scored calls per ground-truth label
   */
  public record Result(long seed, int scored, int decile, int negativeInDecile,
      Map<String, Integer> labels) {
    public double precision() {
      return decile == 0 ? 0 : (double) negativeInDecile / decile;
    }
  }

  /** The ground truth of {@code calls} calls over January 2026 generated from {@code seed}. */
  public static GroundTruth corpus(long seed, int calls) {
    return corpus(SimulatorConfig.builder().seed(seed).calls(calls)
        .callsFrom(Instant.parse("2026-01-01T00:00:00Z"))
        .callsTo(Instant.parse("2026-01-31T00:00:00Z")).requestsPerSecond(0).build());
  }

  /** Every call of this tenant, as if all had finished processing (no server started). */
  public static GroundTruth corpus(SimulatorConfig config) {
    return new GroundTruthBuilder(new CallCatalog(config, new Directory(config)))
        .build(null, null, Instant.parse("2100-01-01T00:00:00Z"));
  }

  /** Scores {@code seed}'s corpus of {@code calls} calls and measures the negative decile. */
  public static Result run(long seed, int calls, SentimentScorer scorer) {
    GroundTruth gt = corpus(seed, calls);
    return evaluate(seed, gt, scoreCalls(gt, scorer));
  }

  /**
   * Call id → call score for the English calls that have a transcript (others are not scored by
   * the pipeline either); calls whose score is null are left out.
   */
  public static Map<String, Double> scoreCalls(GroundTruth gt, SentimentScorer scorer) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (GroundTruth.Call call : gt.calls()) {
      if (!"eng".equals(call.language()) || call.monologues().isEmpty()) {
        continue;
      }
      Map<String, String> affiliation = new HashMap<>();
      call.parties().forEach(p -> {
        if (p.speakerId() != null) {
          affiliation.put(p.speakerId(), p.affiliation());
        }
      });
      List<String> texts = new ArrayList<>();
      for (GroundTruth.Monologue m : call.monologues()) {
        texts.add(String.join(" ", m.texts()));
      }
      double[] scores = scorer.score(texts);
      List<CallSentiment.Turn> turns = new ArrayList<>();
      for (int i = 0; i < scores.length; i++) {
        GroundTruth.Monologue m = call.monologues().get(i);
        turns.add(new CallSentiment.Turn(
            CallSentiment.isCustomer(m.speakerId() == null ? null : affiliation.get(m.speakerId())),
            m.endMs() - m.startMs(), scores[i]));
      }
      Double score = CallSentiment.score(turns);
      if (score != null) {
        out.put(call.callId(), score);
      }
    }
    return out;
  }

  /** The negative-decile precision of these scores against {@code gt}'s labels. */
  public static Result evaluate(long seed, GroundTruth gt, Map<String, Double> scores) {
    List<Map.Entry<String, Double>> ranked = new ArrayList<>(scores.entrySet());
    // Ties broken by call id, so the figure does not depend on map order.
    ranked.sort(Map.Entry.<String, Double>comparingByValue()
        .thenComparing(Map.Entry.comparingByKey(Comparator.naturalOrder())));
    Map<String, Integer> labels = new LinkedHashMap<>();
    GroundTruth.SENTIMENT_LABELS.forEach(l -> labels.put(l, 0));
    ranked.removeIf(e -> gt.call(e.getKey()) == null); // not this tenant's: cannot be judged
    for (Map.Entry<String, Double> e : ranked) {
      labels.merge(String.valueOf(gt.call(e.getKey()).sentiment()), 1, Integer::sum);
    }
    int decile = (int) Math.ceil(ranked.size() / 10.0);
    int negative = 0;
    for (Map.Entry<String, Double> e : ranked.subList(0, decile)) {
      if ("negative".equals(gt.call(e.getKey()).sentiment())) {
        negative++;
      }
    }
    return new Result(seed, ranked.size(), decile, negative, labels);
  }
}
