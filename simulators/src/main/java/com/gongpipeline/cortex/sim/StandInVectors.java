package com.gongpipeline.cortex.sim;

import com.gongpipeline.enrich.EmbeddingMath;
import com.gongpipeline.enrich.LocalE5Embedder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The stand-in's vectors: the local e5-small-v2 (384-d) vector of the text, extended to the
 * requested model's dimension by a fixed seeded random projection ({@code [v, P·v]}, normalised),
 * so similar texts stay similar (approximately; Johnson–Lindenstrauss) and the same text always
 * gets the same vector. Not Cortex's vectors: the simulator marks every response as a stand-in.
 */
final class StandInVectors {
  static final String MARK = "local-e5-small-v2-projected";

  private final LocalE5Embedder e5 = new LocalE5Embedder();
  private final Map<Integer, float[][]> projections = new ConcurrentHashMap<>();

  /** Texts as the client sent them ({@code passage: }/{@code query: } prefixes honoured). */
  List<float[]> embed(List<String> texts, int dimension) {
    List<float[]> out = new ArrayList<>(texts.size());
    for (String t : texts) {
      float[] v;
      if (t.startsWith(LocalE5Embedder.QUERY_PREFIX)) {
        v = e5.embedQuery(t.substring(LocalE5Embedder.QUERY_PREFIX.length()));
      } else if (t.startsWith(LocalE5Embedder.PASSAGE_PREFIX)) {
        v = e5.embedPassages(List.of(t.substring(LocalE5Embedder.PASSAGE_PREFIX.length()))).get(0);
      } else {
        v = e5.embedPassages(List.of(t)).get(0);
      }
      out.add(project(v, dimension));
    }
    return out;
  }

  /** Unit vectors seeded by each text's hash (see CortexSimulatorConfig.Builder#hashedVectors). */
  static List<float[]> hashed(List<String> texts, int dimension) {
    List<float[]> out = new ArrayList<>(texts.size());
    for (String t : texts) {
      Random random = new Random(t.hashCode() * 0x9E3779B97F4A7C15L + t.length());
      float[] v = new float[dimension];
      for (int i = 0; i < dimension; i++) {
        v[i] = (float) random.nextGaussian();
      }
      out.add(EmbeddingMath.normalize(v));
    }
    return out;
  }

  float[] project(float[] v, int dimension) {
    if (dimension <= v.length) {
      float[] cut = new float[dimension];
      System.arraycopy(v, 0, cut, 0, dimension);
      return EmbeddingMath.normalize(cut);
    }
    float[][] p = projections.computeIfAbsent(dimension, d -> matrix(d - v.length, v.length));
    float[] out = new float[dimension];
    System.arraycopy(v, 0, out, 0, v.length);
    for (int r = 0; r < p.length; r++) {
      double sum = 0;
      for (int c = 0; c < v.length; c++) {
        sum += p[r][c] * v[c];
      }
      out[v.length + r] = (float) sum;
    }
    return EmbeddingMath.normalize(out);
  }

  private static float[][] matrix(int rows, int cols) {
    Random random = new Random(0x5EEDL * rows + cols);
    float[][] m = new float[rows][cols];
    double scale = 1 / Math.sqrt(cols);
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        m[r][c] = (float) (random.nextGaussian() * scale);
      }
    }
    return m;
  }
}
