package com.gongpipeline.gong.sim;

import com.gongpipeline.enrich.LocalE5Embedder;
import com.gongpipeline.enrich.LocalE5Model;
import com.gongpipeline.enrich.RiskClassifier;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Trains the risk classifier's weights ({@link RiskClassifier}, one logistic regression per
 * category over e5 vectors) on the simulator's training seed {@value #SEED} only, and writes them
 * as the resource {@code RiskClassifier} reads. Deterministic: the same corpus, vectors and
 * arithmetic give the same file.
 *
 * <ul>
 *   <li>Examples: the customer turns of the seed's {@value #CALLS}-call corpus ({@link
 *       RiskEval#customerTurns}), embedded as passages by the model; a turn is positive for a
 *       category when one of its sentences voices it in the ground truth.
 *   <li>Fit: features standardised (training mean and standard deviation), L2 penalty
 *       {@value #LAMBDA} on the weights (not the intercept), Newton iterations (at most {@value
 *       #MAX_ITERATIONS}, until no weight moves by 1e-9); the standardisation is folded into the
 *       stored weights, so the classifier reads raw vectors.
 *   <li>Thresholds: per category, {@link RiskEval#calibrate}'s call-level choice over
 *       out-of-fold scores ({@value #FOLDS} folds by call, each fold scored by a model fitted
 *       without it), so they are set on scores of calls the weights never saw; rounded down to 5
 *       decimals.
 * </ul>
 *
 * <p>Run with the simulators module's class path: {@code java … RiskTrainer e5-small-v2-q
 * transforms/src/main/resources/com/gongpipeline/enrich} (one model per run; the fp32 model's
 * weights jar must be on the class path for {@code e5-small-v2}).
 */
public final class RiskTrainer {
  private RiskTrainer() {}

  static final long SEED = 42;
  static final int CALLS = 300;
  static final double LAMBDA = 10;
  static final int FOLDS = 5;
  static final int MAX_ITERATIONS = 25;

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: RiskTrainer <e5-small-v2|e5-small-v2-q> <resource directory>");
      System.exit(2);
    }
    LocalE5Model model = LocalE5Model.fromName(args[0]);
    GroundTruth gt = SentimentEval.corpus(SEED, CALLS);
    List<RiskEval.Turn> turns = RiskEval.customerTurns(gt);
    List<float[]> vectors = RiskEval.embed(turns, new LocalE5Embedder(model));
    RiskClassifier k = train(model.modelName(), gt, turns, vectors);
    Path out = Path.of(args[1], RiskClassifier.resourceName(model.modelName()));
    Files.writeString(out, resourceText(k, turns.size(), vectors.get(0).length),
        StandardCharsets.UTF_8);
    System.out.println("wrote " + out + ", thresholds " + k.thresholds());
    RiskEval.evaluate(gt, turns, vectors, k).values().forEach(f -> System.out.println(
        "  seed " + SEED + " (training) " + f));
  }

  /** The resource file of a trained classifier: a comment saying how, then its lines. */
  public static String resourceText(RiskClassifier k, int turns, int dimensions) {
    return String.format(Locale.ROOT, "# %s weights of %s, written by RiskTrainer: "
        + "simulator seed %d, %d calls, %d customer turns; standardised logistic regression, "
        + "L2 %s, Newton; thresholds from %d-fold out-of-fold scores (RiskEval.calibrate).%n"
        + "# Columns: category, threshold, bias, %d weights (of the raw L2-normalised vector).%n",
        RiskClassifier.METHOD, k.model(), SEED, CALLS, turns, LAMBDA, FOLDS, dimensions)
        + k.format();
  }

  /** The classifier trained on these turns, with out-of-fold thresholds. */
  public static RiskClassifier train(String model, GroundTruth gt, List<RiskEval.Turn> turns,
      List<float[]> vectors) {
    Map<String, Integer> foldOfCall = new HashMap<>();
    List<GroundTruth.Call> calls = RiskEval.evaluatedCalls(gt);
    for (int i = 0; i < calls.size(); i++) {
      foldOfCall.put(calls.get(i).callId(), i % FOLDS);
    }
    int[] fold = new int[turns.size()];
    for (int i = 0; i < turns.size(); i++) {
      fold[i] = foldOfCall.get(turns.get(i).callId());
    }
    List<Map<String, Double>> oof = new ArrayList<>();
    turns.forEach(t -> oof.add(null));
    for (int f = 0; f < FOLDS; f++) {
      boolean[] use = new boolean[turns.size()];
      for (int i = 0; i < use.length; i++) {
        use[i] = fold[i] != f;
      }
      RiskClassifier k = fit(model, turns, vectors, use);
      for (int i = 0; i < use.length; i++) {
        if (!use[i]) {
          oof.set(i, k.scores(vectors.get(i)));
        }
      }
    }
    Map<String, Double> thresholds = new LinkedHashMap<>();
    RiskEval.calibrate(gt, turns, oof).forEach((c, t) ->
        thresholds.put(c, Math.floor(t * 1e5) / 1e5));
    boolean[] all = new boolean[turns.size()];
    java.util.Arrays.fill(all, true);
    return fit(model, turns, vectors, all).withThresholds(thresholds);
  }

  /** Fits every category on the turns marked {@code use} (thresholds 0.5). */
  static RiskClassifier fit(String model, List<RiskEval.Turn> turns, List<float[]> vectors,
      boolean[] use) {
    int d = vectors.get(0).length;
    List<double[]> rows = new ArrayList<>();
    List<RiskEval.Turn> used = new ArrayList<>();
    for (int i = 0; i < turns.size(); i++) {
      if (use[i]) {
        double[] x = new double[d];
        for (int j = 0; j < d; j++) {
          x[j] = vectors.get(i)[j];
        }
        rows.add(x);
        used.add(turns.get(i));
      }
    }
    double[][] x = rows.toArray(new double[0][]);
    double[] mean = new double[d];
    double[] sd = new double[d];
    for (double[] r : x) {
      for (int j = 0; j < d; j++) {
        mean[j] += r[j] / x.length;
      }
    }
    for (double[] r : x) {
      for (int j = 0; j < d; j++) {
        sd[j] += (r[j] - mean[j]) * (r[j] - mean[j]) / x.length;
      }
    }
    for (int j = 0; j < d; j++) {
      sd[j] = Math.max(Math.sqrt(sd[j]), 1e-12);
    }
    double[][] z = new double[x.length][d];
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < d; j++) {
        z[i][j] = (x[i][j] - mean[j]) / sd[j];
      }
    }
    Map<String, double[]> weights = new LinkedHashMap<>();
    Map<String, Double> bias = new LinkedHashMap<>();
    Map<String, Double> thresholds = new LinkedHashMap<>();
    for (String c : RiskClassifier.CATEGORIES) {
      boolean[] y = new boolean[x.length];
      for (int i = 0; i < y.length; i++) {
        y[i] = used.get(i).truth().contains(c);
      }
      double[] w = logisticRegression(z, y, LAMBDA, MAX_ITERATIONS);
      double[] raw = new double[d];
      double b = w[d];
      for (int j = 0; j < d; j++) {
        raw[j] = w[j] / sd[j];
        b -= w[j] * mean[j] / sd[j];
      }
      weights.put(c, raw);
      bias.put(c, b);
      thresholds.put(c, 0.5);
    }
    return new RiskClassifier(model, weights, bias, thresholds);
  }

  /**
   * L2-penalised logistic regression by Newton's method: the weights of {@code x}'s columns and,
   * last, the unpenalised intercept.
   */
  static double[] logisticRegression(double[][] x, boolean[] y, double lambda, int iterations) {
    int n = x.length;
    int d = x[0].length;
    int m = d + 1;
    double[] w = new double[m];
    for (int it = 0; it < iterations; it++) {
      double[] g = new double[m];
      double[][] h = new double[m][m];
      for (int i = 0; i < n; i++) {
        double[] r = x[i];
        double s = w[d];
        for (int j = 0; j < d; j++) {
          s += w[j] * r[j];
        }
        double p = 1 / (1 + Math.exp(-s));
        double err = p - (y[i] ? 1 : 0);
        double v = p * (1 - p);
        for (int a = 0; a < d; a++) {
          g[a] += err * r[a];
          double va = v * r[a];
          double[] ha = h[a];
          for (int b = a; b < d; b++) {
            ha[b] += va * r[b];
          }
          ha[d] += va;
        }
        g[d] += err;
        h[d][d] += v;
      }
      for (int a = 0; a < d; a++) {
        g[a] += lambda * w[a];
        h[a][a] += lambda;
      }
      for (int a = 0; a < m; a++) {
        for (int b = 0; b < a; b++) {
          h[a][b] = h[b][a];
        }
      }
      double[] step = solve(h, g);
      double moved = 0;
      for (int j = 0; j < m; j++) {
        w[j] -= step[j];
        moved = Math.max(moved, Math.abs(step[j]));
      }
      if (moved < 1e-9) {
        break;
      }
    }
    return w;
  }

  /** Solves {@code a x = b} for a symmetric positive definite {@code a} (Cholesky). */
  static double[] solve(double[][] a, double[] b) {
    int m = b.length;
    double[][] l = new double[m][m];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j <= i; j++) {
        double s = a[i][j];
        for (int k = 0; k < j; k++) {
          s -= l[i][k] * l[j][k];
        }
        if (i == j) {
          if (s <= 0) {
            throw new ArithmeticException("matrix not positive definite");
          }
          l[i][i] = Math.sqrt(s);
        } else {
          l[i][j] = s / l[j][j];
        }
      }
    }
    double[] y = new double[m];
    for (int i = 0; i < m; i++) {
      double s = b[i];
      for (int k = 0; k < i; k++) {
        s -= l[i][k] * y[k];
      }
      y[i] = s / l[i][i];
    }
    double[] x = new double[m];
    for (int i = m - 1; i >= 0; i--) {
      double s = y[i];
      for (int k = i + 1; k < m; k++) {
        s -= l[k][i] * x[k];
      }
      x[i] = s / l[i][i];
    }
    return x;
  }
}
