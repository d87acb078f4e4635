package com.gongpipeline.enrich;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Zero-shot, multi-label deal-risk classifier over e5 chunk vectors (method {@value #METHOD}):
 * the labelled exemplar sentences of {@link RiskExemplars} are embedded once per JVM and model
 * (as passages, like the chunks), and a chunk's score for a category is
 *
 * <pre>
 *   score(c) = mean of the 2 highest cosines to c's exemplars − 0.5 × mean of the 2 highest cosines
 *              to the no-risk exemplars
 * </pre>
 *
 * <p>so a chunk that reads like ordinary sales talk is pulled down. A chunk carries every category
 * whose score reaches its calibrated threshold for the embedding model ({@link #THRESHOLDS});
 * several categories at once are normal (a turn can object to the price and name a competitor).
 * The thresholds were chosen per model, with that model's vectors, on the simulator's training
 * seed 42 only (90 calls; per category, among the calls' scores, the threshold with the smallest
 * shortfall from precision 0.85 and recall 0.8 at call level, ties broken by F1;
 * {@code RiskEval.calibrate}), rounded down to 5 decimals, and are measured on held-out seeds by
 * {@code bench} and {@code RiskClassifierHeldOutTest}.
 *
 * <p>Vectors must be L2-normalised and come from one of {@link #MODELS} (the fp32 and the int8
 * local e5-small-v2, {@link LocalE5Model}): the thresholds mean nothing for another model, so
 * {@link #supports} says whether a pipeline can use it. {@link #METHOD} names the method, the
 * same for both models; which model embedded a chunk is stored with its vector
 * ({@code EMBEDDING_MODEL}).
 */
public final class RiskClassifier {
  /** The fixed taxonomy, in canonical order. */
  public static final List<String> CATEGORIES = List.of("pricing", "competitor",
      "security_legal", "timeline", "stakeholder", "churn_risk", "product_gap");
  /** Recorded with every stored classification (STG {@code RISK_METHOD}). */
  public static final String METHOD = "e5-zero-shot-v1";
  /** Exemplars averaged per category (the k of the top-k mean). */
  static final int TOP_K = 2;
  /** Weight of the no-risk exemplars' similarity. */
  static final double NONE_WEIGHT = 0.5;

  /**
   * Embedding model → per-category thresholds, each calibrated with that model's vectors on
   * simulator seed 42 (see the class comment).
   */
  public static final Map<String, Map<String, Double>> THRESHOLDS = Map.of(
      LocalE5Model.E5_SMALL_V2.modelName(), thresholds(
          0.38524, 0.39544, 0.39894, 0.37453, 0.37131, 0.42981, 0.42011),
      LocalE5Model.E5_SMALL_V2_Q.modelName(), thresholds(
          0.38166, 0.39620, 0.40326, 0.37553, 0.37345, 0.41024, 0.41317));

  /** The embedding models whose vectors can be classified (those with thresholds). */
  public static final Set<String> MODELS = THRESHOLDS.keySet();

  private static final Map<String, RiskClassifier> BY_MODEL = new ConcurrentHashMap<>();

  /** One category a chunk voices, with its score. */
  public record Label(String category, double score) implements java.io.Serializable {}

  private final String model;
  private final Map<String, float[][]> exemplars;
  private final float[][] none;
  private final Map<String, Double> thresholds;

  /** A classifier over exemplars already embedded by {@code model} (tests, calibration). */
  public RiskClassifier(String model, Map<String, float[][]> exemplars, float[][] none,
      Map<String, Double> thresholds) {
    for (String c : CATEGORIES) {
      if (!exemplars.containsKey(c) || !thresholds.containsKey(c)) {
        throw new IllegalArgumentException("no exemplars or threshold for category " + c);
      }
    }
    this.model = model;
    this.exemplars = Map.copyOf(exemplars);
    this.none = none.clone();
    this.thresholds = Map.copyOf(thresholds);
  }

  /** Whether the vectors of this embedding model can be classified (it has thresholds). */
  public static boolean supports(String embeddingModel) {
    return embeddingModel != null && THRESHOLDS.containsKey(embeddingModel);
  }

  /** The thresholds calibrated for this embedding model; no thresholds is an error. */
  public static Map<String, Double> thresholds(String embeddingModel) {
    if (!supports(embeddingModel)) {
      throw new IllegalArgumentException("no risk thresholds for embedding model "
          + embeddingModel + "; calibrated for " + new java.util.TreeSet<>(MODELS));
    }
    return THRESHOLDS.get(embeddingModel);
  }

  /**
   * The classifier for this embedder, with the exemplars embedded once per JVM and model and the
   * model's own thresholds; the first call costs one batch of {@link RiskExemplars} embeddings.
   *
   * @throws IllegalArgumentException when the embedder's model has no thresholds
   */
  public static RiskClassifier forEmbedder(TextEmbedder embedder) {
    Map<String, Double> t = thresholds(embedder.modelName());
    // Keyed by implementation too, so a test double named like the model never stands in for it.
    return BY_MODEL.computeIfAbsent(embedder.getClass().getName() + ":" + embedder.modelName(),
        m -> embed(embedder, t));
  }

  /** The embedding model whose vectors this classifier reads. */
  public String model() {
    return model;
  }

  /** The thresholds this classifier applies, per category. */
  public Map<String, Double> thresholds() {
    return thresholds;
  }

  /** Embeds {@link RiskExemplars} with {@code embedder}, with these thresholds. */
  public static RiskClassifier embed(TextEmbedder embedder, Map<String, Double> thresholds) {
    List<String> texts = new ArrayList<>();
    CATEGORIES.forEach(c -> texts.addAll(RiskExemplars.BY_CATEGORY.get(c)));
    texts.addAll(RiskExemplars.NONE);
    List<float[]> v = embedder.embedPassages(texts);
    Map<String, float[][]> ex = new LinkedHashMap<>();
    int i = 0;
    for (String c : CATEGORIES) {
      int n = RiskExemplars.BY_CATEGORY.get(c).size();
      ex.put(c, v.subList(i, i + n).toArray(new float[0][]));
      i += n;
    }
    return new RiskClassifier(embedder.modelName(), ex,
        v.subList(i, v.size()).toArray(new float[0][]), thresholds);
  }

  /** This classifier with other thresholds (calibration). */
  public RiskClassifier withThresholds(Map<String, Double> other) {
    return new RiskClassifier(model, exemplars, none, other);
  }

  /** Every category's score for a chunk vector, in {@link #CATEGORIES} order. */
  public Map<String, Double> scores(float[] vector) {
    double noRisk = topMean(none, vector);
    Map<String, Double> out = new LinkedHashMap<>();
    for (String c : CATEGORIES) {
      out.put(c, topMean(exemplars.get(c), vector) - NONE_WEIGHT * noRisk);
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

  private static double topMean(float[][] rows, float[] v) {
    double[] sims = new double[rows.length];
    for (int i = 0; i < rows.length; i++) {
      sims[i] = EmbeddingMath.dot(rows[i], v);
    }
    Arrays.sort(sims);
    int k = Math.min(TOP_K, sims.length);
    double sum = 0;
    for (int i = sims.length - k; i < sims.length; i++) {
      sum += sims[i];
    }
    return sum / k;
  }

  private static Map<String, Double> thresholds(double... t) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (int i = 0; i < CATEGORIES.size(); i++) {
      out.put(CATEGORIES.get(i), t[i]);
    }
    return Map.copyOf(out);
  }
}
