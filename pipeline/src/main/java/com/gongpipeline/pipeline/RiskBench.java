package com.gongpipeline.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.gongpipeline.enrich.LocalE5Embedder;
import com.gongpipeline.enrich.LocalE5Model;
import com.gongpipeline.enrich.RiskClassifier;
import com.gongpipeline.gong.sim.GroundTruth;
import com.gongpipeline.gong.sim.RiskEval;
import com.gongpipeline.gong.sim.SentimentEval;
import com.gongpipeline.gong.sim.SimulatorConfig;
import com.gongpipeline.parse.JsonSupport;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The risk section of {@code bench}: per-category precision and recall at call level of the
 * embedded risk classifier ({@link RiskClassifier}, target precision >= 0.85 and recall
 * >= 0.80) against the simulator's labelled risks. Measured on the calls the bench run just loaded
 * ({@code RISK_INDICATORS} as the pipeline stored them) and on held-out seeds, never the training
 * seed 42 the weights and thresholds were trained on, by classifying their customer turns
 * directly ({@link RiskEval}). Each line also says how many calls truly carry the category, since
 * a category most calls carry is easy to "find". The held-out seeds are embedded by the model the
 * run used ({@code --localEmbeddingModel}), classified with that model's weights.
 */
final class RiskBench {
  private RiskBench() {}

  static final long[] HELD_OUT_SEEDS = {7, 1234, 2026};
  static final int HELD_OUT_CALLS = 90;

  static void print(SimulatorConfig config, String warehouse, LocalE5Model model, PrintStream out)
      throws Exception {
    out.println();
    out.println("Risk indicators (" + RiskClassifier.METHOD + ", " + model.modelName()
        + "): call-level precision / recall per category, target >= 0.85 / >= 0.80");
    GroundTruth truth = SentimentEval.corpus(config);
    Map<String, Set<String>> stored = new HashMap<>();
    try (Connection c = DriverManager.getConnection(warehouse);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT CALL_ID, CAST(RISK_INDICATORS AS VARCHAR) FROM "
            + "STG_TRANSFORMED.STG_GONG_CALLS WHERE RISK_METHOD = '" + RiskClassifier.METHOD
            + "'")) {
      while (rs.next()) {
        Set<String> cats = new TreeSet<>();
        for (JsonNode n : JsonSupport.parse(rs.getString(2))) {
          cats.add(n.get("category").asText());
        }
        stored.put(rs.getString(1), cats);
      }
    }
    if (!stored.isEmpty()) {
      print(out, "this run (seed " + config.seed() + ", pipeline, " + stored.size() + " calls)",
          figures(truth, stored));
    }
    Map<String, int[]> total = new LinkedHashMap<>();
    LocalE5Embedder embedder = new LocalE5Embedder(model);
    for (long seed : HELD_OUT_SEEDS) {
      Map<String, RiskEval.Figures> f = RiskEval.run(seed, HELD_OUT_CALLS, embedder);
      print(out, "held-out seed " + seed + " (" + HELD_OUT_CALLS + " calls)", f);
      f.forEach((c, x) -> {
        int[] t = total.computeIfAbsent(c, k -> new int[3]);
        t[0] += x.truePositives();
        t[1] += x.falsePositives();
        t[2] += x.falseNegatives();
      });
    }
    Map<String, RiskEval.Figures> together = new LinkedHashMap<>();
    total.forEach((c, t) -> together.put(c, new RiskEval.Figures(c, t[0], t[1], t[2])));
    print(out, "held-out seeds together", together);
  }

  /** Figures of the stored indicators against the truth, over the calls that were classified. */
  static Map<String, RiskEval.Figures> figures(GroundTruth truth, Map<String, Set<String>> stored) {
    Map<String, RiskEval.Figures> out = new LinkedHashMap<>();
    for (String c : RiskClassifier.CATEGORIES) {
      int tp = 0;
      int fp = 0;
      int fn = 0;
      for (Map.Entry<String, Set<String>> e : stored.entrySet()) {
        GroundTruth.Call call = truth.call(e.getKey());
        if (call == null) {
          continue;
        }
        boolean t = call.riskCategories().contains(c);
        boolean s = e.getValue().contains(c);
        tp += t && s ? 1 : 0;
        fp += !t && s ? 1 : 0;
        fn += t && !s ? 1 : 0;
      }
      out.put(c, new RiskEval.Figures(c, tp, fp, fn));
    }
    return out;
  }

  private static void print(PrintStream out, String what, Map<String, RiskEval.Figures> f) {
    out.println("  " + what);
    for (RiskEval.Figures x : f.values()) {
      out.printf(Locale.ROOT,
          "    %-15s precision %.2f  recall %.2f  (tp %d, fp %d, fn %d; %d calls truly carry it)%s%n",
          x.category(), x.precision(), x.recall(), x.truePositives(), x.falsePositives(),
          x.falseNegatives(), x.truePositives() + x.falseNegatives(),
          x.precision() >= 0.85 && x.recall() >= 0.8 ? "" : "  below target");
    }
  }
}
