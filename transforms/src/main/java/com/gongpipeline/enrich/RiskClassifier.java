package com.gongpipeline.enrich;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Multi-label deal-risk classifier over e5 chunk vectors (method {@value #METHOD}): one logistic
 * regression per category over the 384-d L2-normalised vector,
 *
 * <pre>
 *   score(c) = 1 / (1 + exp(−(w_c · v + b_c)))
 * </pre>
 *
 * <p>and a chunk carries every category whose score reaches the category's threshold; several
 * categories at once are normal (a turn can object to the price and name a competitor). The
 * weights, biases and thresholds are per embedding model (each local model's vectors differ), in
 * the resource {@code risk-logreg-<model>.tsv} beside this class, written by the simulator's
 * {@code RiskTrainer}: trained on the customer turns of simulator seed 42 only (turn-level labels
 * of the simulator's ground truth; standardised features, ridge-penalised, Newton iterations —
 * deterministic), each threshold chosen on out-of-fold scores of seed 42 (5 folds by call; per
 * category, the threshold with the smallest call-level shortfall from precision 0.85 and recall
 * 0.8, ties broken by F1), and measured on held-out seeds by {@code bench} and
 * {@code RiskClassifierHeldOutTest}.
 *
 * <p>Vectors must come from one of {@link #MODELS} (the fp32 and the int8 local e5-small-v2,
 * {@link LocalE5Model}): the weights mean nothing for another model, so {@link #supports} says
 * whether a pipeline can use it. {@link #METHOD} names the method, the same for both models;
 * which model embedded a chunk is stored with its vector ({@code EMBEDDING_MODEL}).
 */
public final class RiskClassifier {
  /** The fixed taxonomy, in canonical order. */
  public static final List<String> CATEGORIES = List.of("pricing", "competitor",
      "security_legal", "timeline", "stakeholder", "churn_risk", "product_gap");
  /** Recorded with every stored classification (STG {@code RISK_METHOD}). */
  public static final String METHOD = "e5-logreg-v1";
  /** The embedding models whose vectors can be classified (those with a weights resource). */
  public static final Set<String> MODELS = Set.of(LocalE5Model.E5_SMALL_V2.modelName(),
      LocalE5Model.E5_SMALL_V2_Q.modelName());

  private static final Map<String, RiskClassifier> BY_MODEL = new ConcurrentHashMap<>();

  /** One category a chunk voices, with its score. */
  public record Label(String category, double score) implements java.io.Serializable {}

  private final String model;
  private final Map<String, double[]> weights;
  private final Map<String, Double> bias;
  private final Map<String, Double> thresholds;

  /** A classifier with these per-category weights, biases and thresholds (tests, training). */
  public RiskClassifier(String model, Map<String, double[]> weights, Map<String, Double> bias,
      Map<String, Double> thresholds) {
    for (String c : CATEGORIES) {
      if (!weights.containsKey(c) || !bias.containsKey(c) || !thresholds.containsKey(c)) {
        throw new IllegalArgumentException("no weights, bias or threshold for category " + c);
      }
    }
    this.model = model;
    Map<String, double[]> w = new LinkedHashMap<>();
    weights.forEach((c, x) -> w.put(c, x.clone()));
    this.weights = Map.copyOf(w);
    this.bias = Map.copyOf(bias);
    this.thresholds = Map.copyOf(thresholds);
  }

  /** Whether the vectors of this embedding model can be classified (it has weights). */
  public static boolean supports(String embeddingModel) {
    return embeddingModel != null && MODELS.contains(embeddingModel);
  }

  /**
   * The classifier of this embedding model, read once per JVM from its resource.
   *
   * @throws IllegalArgumentException when the model has no weights
   * @throws IllegalStateException when its resource is missing or malformed
   */
  public static RiskClassifier forModel(String embeddingModel) {
    if (!supports(embeddingModel)) {
      throw new IllegalArgumentException("no risk classifier for embedding model "
          + embeddingModel + "; trained for " + new TreeSet<>(MODELS));
    }
    return BY_MODEL.computeIfAbsent(embeddingModel, RiskClassifier::load);
  }

  /** The resource name of a model's weights, relative to this class. */
  public static String resourceName(String embeddingModel) {
    return "risk-logreg-" + embeddingModel + ".tsv";
  }

  private static RiskClassifier load(String model) {
    try (InputStream in = RiskClassifier.class.getResourceAsStream(resourceName(model))) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + resourceName(model));
      }
      return parse(model, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Reads the text {@link #format()} writes: {@code #} comment lines, then one line per category,
   * tab separated: category, threshold, bias, the weights.
   */
  public static RiskClassifier parse(String model, String text) {
    Map<String, double[]> w = new LinkedHashMap<>();
    Map<String, Double> b = new LinkedHashMap<>();
    Map<String, Double> t = new LinkedHashMap<>();
    try (BufferedReader r = new BufferedReader(new java.io.StringReader(text))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.split("\t");
        if (f.length < 4 || !CATEGORIES.contains(f[0])) {
          throw new IllegalStateException("malformed risk weights line for " + model + ": "
              + (f.length == 0 ? "" : f[0]));
        }
        double[] x = new double[f.length - 3];
        for (int i = 0; i < x.length; i++) {
          x[i] = Double.parseDouble(f[i + 3]);
        }
        t.put(f[0], Double.parseDouble(f[1]));
        b.put(f[0], Double.parseDouble(f[2]));
        w.put(f[0], x);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      return new RiskClassifier(model, w, b, t);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("risk weights of " + model + ": " + e.getMessage(), e);
    }
  }

  /** The lines {@link #parse} reads (without comments), full precision. */
  public String format() {
    StringBuilder out = new StringBuilder();
    for (String c : CATEGORIES) {
      out.append(c).append('\t').append(thresholds.get(c)).append('\t').append(bias.get(c));
      for (double x : weights.get(c)) {
        out.append('\t').append(x);
      }
      out.append('\n');
    }
    return out.toString();
  }

  /** The embedding model whose vectors this classifier reads. */
  public String model() {
    return model;
  }

  /** The thresholds this classifier applies, per category. */
  public Map<String, Double> thresholds() {
    return thresholds;
  }

  /** This classifier with other thresholds (calibration). */
  public RiskClassifier withThresholds(Map<String, Double> other) {
    return new RiskClassifier(model, weights, bias, other);
  }

  /** Every category's score in [0, 1] for a chunk vector, in {@link #CATEGORIES} order. */
  public Map<String, Double> scores(float[] vector) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (String c : CATEGORIES) {
      double[] w = weights.get(c);
      if (w.length != vector.length) {
        throw new IllegalArgumentException(String.format(Locale.ROOT,
            "vector of %d dimensions, risk weights of %s have %d", vector.length, model,
            w.length));
      }
      double z = bias.get(c);
      for (int i = 0; i < w.length; i++) {
        z += w[i] * vector[i];
      }
      out.put(c, 1 / (1 + Math.exp(-z)));
    }
    return out;
  }

  /** The categories this chunk voices (score at or above the threshold), in taxonomy order. */
  public List<Label> classify(float[] vector) {
    List<Label> out = new ArrayList<>();
    scores(vector).forEach((c, s) -> {
      if (s >= thresholds.get(c)) {
        out.add(new Label(c, s));
      }
    });
    return out;
  }
}
