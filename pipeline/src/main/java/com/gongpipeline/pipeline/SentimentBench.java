package com.gongpipeline.pipeline;

import com.gongpipeline.enrich.CallSentiment;
import com.gongpipeline.enrich.VaderSentimentScorer;
import com.gongpipeline.gong.sim.GroundTruth;
import com.gongpipeline.gong.sim.SentimentEval;
import com.gongpipeline.gong.sim.SimulatorConfig;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The sentiment section of {@code bench}: how well {@code SENTIMENT_SCORE} ranks the simulator's
 * labelled calls, as the <b>negative-decile precision</b> (the share of truly negative calls among
 * the 10 % of calls with the lowest score; the target is at least 0.80). Measured on the calls the
 * bench run just loaded, and on held-out seeds (not the seed 42 the sales lexicon was written
 * against) by scoring their transcripts directly ({@link SentimentEval}).
 */
final class SentimentBench {
  private SentimentBench() {}

  /** Seeds the sales lexicon was not tuned on. */
  static final long[] HELD_OUT_SEEDS = {7, 1234, 2026};
  static final int HELD_OUT_CALLS = 200;

  static void print(SimulatorConfig config, String warehouse, PrintStream out) throws Exception {
    out.println();
    out.println("Sentiment (" + CallSentiment.methodName(VaderSentimentScorer.MODEL_NAME)
        + "): negative-decile precision, target >= 0.80");
    Map<String, Double> scores = new LinkedHashMap<>();
    try (Connection c = DriverManager.getConnection(warehouse);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT CALL_ID, SENTIMENT_SCORE FROM "
            + "STG_TRANSFORMED.STG_GONG_CALLS WHERE SENTIMENT_SCORE IS NOT NULL")) {
      while (rs.next()) {
        scores.put(rs.getString(1), rs.getDouble(2));
      }
    }
    GroundTruth truth = SentimentEval.corpus(config);
    line(out, "this run (seed " + config.seed() + ", pipeline)",
        SentimentEval.evaluate(config.seed(), truth, scores));
    int decile = 0;
    int negative = 0;
    try (VaderSentimentScorer scorer = new VaderSentimentScorer()) {
      for (long seed : HELD_OUT_SEEDS) {
        SentimentEval.Result r = SentimentEval.run(seed, HELD_OUT_CALLS, scorer);
        line(out, "held-out seed " + seed, r);
        decile += r.decile();
        negative += r.negativeInDecile();
      }
    }
    out.printf(Locale.ROOT, "  %-34s %.2f (%d of %d)%n", "held-out seeds together",
        decile == 0 ? Double.NaN : (double) negative / decile, negative, decile);
  }

  private static void line(PrintStream out, String what, SentimentEval.Result r) {
    out.printf(Locale.ROOT, "  %-34s %.2f (%d of the %d lowest of %d scored calls; labels %s)%n",
        what, r.precision(), r.negativeInDecile(), r.decile(), r.scored(), r.labels());
  }
}
