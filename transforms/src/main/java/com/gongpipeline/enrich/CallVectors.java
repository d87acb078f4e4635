package com.gongpipeline.enrich;

import java.util.List;

/**
 * Vector arithmetic for call-level vectors: a call's vector is the L2-normalised mean of its
 * chunks' (unit) vectors, so cosine between two calls is their dot product.
 */
public final class CallVectors {
  private CallVectors() {}

  /**
   * The L2-normalised element-wise mean of {@code vectors} (all of one length).
   *
   * @throws IllegalArgumentException when empty, of mixed lengths, or the mean is the zero vector
   */
  public static float[] normalisedMean(List<float[]> vectors) {
    if (vectors.isEmpty()) {
      throw new IllegalArgumentException("no vectors to average");
    }
    int dim = vectors.get(0).length;
    double[] sum = new double[dim];
    for (float[] v : vectors) {
      if (v.length != dim) {
        throw new IllegalArgumentException(
            "vectors of different dimensions: " + dim + " and " + v.length);
      }
      for (int i = 0; i < dim; i++) {
        sum[i] += v[i];
      }
    }
    double norm = 0;
    for (double x : sum) {
      norm += x * x;
    }
    norm = Math.sqrt(norm);
    if (norm == 0 || Double.isNaN(norm)) {
      throw new IllegalArgumentException("the mean vector has no direction");
    }
    float[] out = new float[dim];
    for (int i = 0; i < dim; i++) {
      out[i] = (float) (sum[i] / norm);
    }
    return out;
  }

  /** The dot product (cosine for unit vectors). */
  public static double dot(float[] a, float[] b) {
    return EmbeddingMath.dot(a, b);
  }
}
