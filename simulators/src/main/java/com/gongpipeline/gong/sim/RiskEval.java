package com.gongpipeline.gong.sim;

import com.gongpipeline.enrich.RiskClassifier;
import com.gongpipeline.enrich.TextEmbedder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Measures the embedded risk classifier ({@link RiskClassifier}) on the simulator's labelled calls,
 * at call level, per category: a call is predicted to carry a category when any of its customer
 * turns is classified so, and truly carries it when its ground truth has a {@link
 * GroundTruth.Risk} of that category. Customer turns are the External parties' monologues, one
 * text per turn (the turn's sentences joined by spaces, as {@link SentimentEval} scores them;
 * simulator turns fit one chunk). Only English calls with a transcript count (the pipeline
 * classifies no others). Used by the risk test and by {@code bench}.
 */
public final class RiskEval {
  private RiskEval() {}

  /** One customer turn with the categories its sentences truly voice. */
  public record Turn(String callId, String speakerId, long startMs, String text,
      Set<String> truth) {}

  /** Precision and recall of one category over a corpus' calls. */
  public record Figures(String category, int truePositives, int falsePositives,
      int falseNegatives) {
    public double precision() {
      int p = truePositives + falsePositives;
      return p == 0 ? 1.0 : (double) truePositives / p;
    }

    public double recall() {
      int t = truePositives + falseNegatives;
      return t == 0 ? 1.0 : (double) truePositives / t;
    }

    @Override
    public String toString() {
      return String.format("%-15s precision %.3f recall %.3f (tp %d, fp %d, fn %d)", category,
          precision(), recall(), truePositives, falsePositives, falseNegatives);
    }
  }

  /** The calls the classifier is evaluated on: English, with a transcript. */
  public static List<GroundTruth.Call> evaluatedCalls(GroundTruth gt) {
    return gt.calls().stream()
        .filter(c -> "eng".equals(c.language()) && !c.monologues().isEmpty()).toList();
  }

  /** The customer turns of the evaluated calls, in order, with their true categories. */
  public static List<Turn> customerTurns(GroundTruth gt) {
    List<Turn> out = new ArrayList<>();
    for (GroundTruth.Call call : evaluatedCalls(gt)) {
      Map<String, String> affiliation = new HashMap<>();
      call.parties().forEach(p -> {
        if (p.speakerId() != null) {
          affiliation.put(p.speakerId(), p.affiliation());
        }
      });
      for (GroundTruth.Monologue m : call.monologues()) {
        if (m.speakerId() == null || !"External".equals(affiliation.get(m.speakerId()))) {
          continue;
        }
        Set<String> truth = new TreeSet<>();
        for (GroundTruth.Risk r : call.risks()) {
          if (r.speakerId().equals(m.speakerId()) && r.startMs() >= m.startMs()
              && r.startMs() <= m.endMs()) {
            truth.add(r.category());
          }
        }
        out.add(new Turn(call.callId(), m.speakerId(), m.startMs(), String.join(" ", m.texts()),
            truth));
      }
    }
    return out;
  }

  /** Embeds the turns with {@code embedder} (as passages, like stored chunks), in order. */
  public static List<float[]> embed(List<Turn> turns, TextEmbedder embedder) {
    List<float[]> out = new ArrayList<>(turns.size());
    int batch = 64;
    for (int i = 0; i < turns.size(); i += batch) {
      out.addAll(embedder.embedPassages(turns.subList(i, Math.min(turns.size(), i + batch))
          .stream().map(Turn::text).toList()));
    }
    return out;
  }

  /** Call-level figures per category of classifying {@code vectors} (of {@code turns}). */
  public static Map<String, Figures> evaluate(GroundTruth gt, List<Turn> turns,
      List<float[]> vectors, RiskClassifier classifier) {
    Map<String, Set<String>> predicted = new HashMap<>();
    for (int i = 0; i < turns.size(); i++) {
      for (RiskClassifier.Label l : classifier.classify(vectors.get(i))) {
        predicted.computeIfAbsent(turns.get(i).callId(), k -> new TreeSet<>()).add(l.category());
      }
    }
    Map<String, Figures> out = new LinkedHashMap<>();
    for (String c : RiskClassifier.CATEGORIES) {
      int tp = 0;
      int fp = 0;
      int fn = 0;
      for (GroundTruth.Call call : evaluatedCalls(gt)) {
        boolean truth = call.riskCategories().contains(c);
        boolean said = predicted.getOrDefault(call.callId(), Set.of()).contains(c);
        tp += truth && said ? 1 : 0;
        fp += !truth && said ? 1 : 0;
        fn += truth && !said ? 1 : 0;
      }
      out.put(c, new Figures(c, tp, fp, fn));
    }
    return out;
  }

  /**
   * Per category, the threshold that best meets precision 0.85 and recall 0.8 at call level on
   * this (training) corpus: among the calls' highest turn scores, the one with the smallest total
   * shortfall from both targets, ties broken by F1, then by the lower threshold.
   */
  public static Map<String, Double> calibrate(GroundTruth gt, List<Turn> turns,
      List<float[]> vectors, RiskClassifier classifier) {
    List<Map<String, Double>> scores = new ArrayList<>();
    vectors.forEach(v -> scores.add(classifier.scores(v)));
    return calibrate(gt, turns, scores);
  }

  /** {@link #calibrate} over given turn scores (category → score per turn, e.g. out-of-fold). */
  public static Map<String, Double> calibrate(GroundTruth gt, List<Turn> turns,
      List<Map<String, Double>> scores) {
    Map<String, Map<String, Double>> best = new HashMap<>(); // category -> call -> max score
    for (int i = 0; i < turns.size(); i++) {
      String call = turns.get(i).callId();
      scores.get(i).forEach((c, s) ->
          best.computeIfAbsent(c, k -> new HashMap<>()).merge(call, s, Math::max));
    }
    List<GroundTruth.Call> calls = evaluatedCalls(gt);
    Map<String, Double> out = new LinkedHashMap<>();
    for (String c : RiskClassifier.CATEGORIES) {
      Map<String, Double> byCall = best.getOrDefault(c, Map.of());
      double bestT = Double.NaN;
      double bestShort = Double.NEGATIVE_INFINITY;
      double bestF1 = -1;
      for (double t : new TreeSet<>(byCall.values())) {
        int tp = 0;
        int fp = 0;
        int fn = 0;
        for (GroundTruth.Call call : calls) {
          boolean truth = call.riskCategories().contains(c);
          boolean said = byCall.getOrDefault(call.callId(), Double.NEGATIVE_INFINITY) >= t;
          tp += truth && said ? 1 : 0;
          fp += !truth && said ? 1 : 0;
          fn += truth && !said ? 1 : 0;
        }
        Figures f = new Figures(c, tp, fp, fn);
        double shortfall = Math.min(f.precision() - 0.85, 0) + Math.min(f.recall() - 0.8, 0);
        double f1 = f.precision() + f.recall() == 0 ? 0
            : 2 * f.precision() * f.recall() / (f.precision() + f.recall());
        if (shortfall > bestShort || (shortfall == bestShort && f1 > bestF1)) {
          bestT = t;
          bestShort = shortfall;
          bestF1 = f1;
        }
      }
      out.put(c, bestT);
    }
    return out;
  }

  /** Embeds and evaluates {@code seed}'s corpus of {@code calls} calls. */
  public static Map<String, Figures> run(long seed, int calls, TextEmbedder embedder) {
    GroundTruth gt = SentimentEval.corpus(seed, calls);
    List<Turn> turns = customerTurns(gt);
    return evaluate(gt, turns, embed(turns, embedder),
        RiskClassifier.forModel(embedder.modelName()));
  }
}
