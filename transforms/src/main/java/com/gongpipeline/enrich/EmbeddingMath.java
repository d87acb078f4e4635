package com.gongpipeline.enrich;

/** Small vector helpers for tests, sanity checks and local similarity search. */
public final class EmbeddingMath {
  private EmbeddingMath() {}

  public static double dot(float[] a, float[] b) {
    requireSameLength(a, b);
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (double) a[i] * b[i];
    }
    return s;
  }

  /** Euclidean (L2) norm. */
  public static double l2Norm(float[] v) {
    double s = 0;
    for (float x : v) {
      s += (double) x * x;
    }
    return Math.sqrt(s);
  }

  /** Cosine similarity in [-1, 1]; 0 when either vector is all zeros. */
  public static double cosine(float[] a, float[] b) {
    requireSameLength(a, b);
    double na = l2Norm(a);
    double nb = l2Norm(b);
    if (na == 0 || nb == 0) {
      return 0;
    }
    return Math.max(-1, Math.min(1, dot(a, b) / (na * nb)));
  }

  /** A unit-length copy of {@code v} (a copy of the zero vector stays zero). */
  public static float[] normalize(float[] v) {
    double n = l2Norm(v);
    float[] out = new float[v.length];
    if (n == 0) {
      return out;
    }
    for (int i = 0; i < v.length; i++) {
      out[i] = (float) (v[i] / n);
    }
    return out;
  }

  private static void requireSameLength(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException(
          "Vectors of different dimensions (" + a.length + " vs " + b.length
              + "): never compare vectors of different models");
    }
  }
}
