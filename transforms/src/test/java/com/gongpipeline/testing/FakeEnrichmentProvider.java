package com.gongpipeline.testing;

import com.gongpipeline.errors.FailureKind;
import com.gongpipeline.errors.PipelineException;
import com.gongpipeline.chunking.TokenCounter;
import com.gongpipeline.enrich.EnrichmentProvider;
import com.gongpipeline.enrich.SentimentScorer;
import com.gongpipeline.enrich.TextEmbedder;
import java.util.ArrayList;
import java.util.List;

/**
 * Deterministic stand-in for the models in transform tests: a 4-d hash vector per text, sentiment
 * by keyword, one whitespace token per word; any text containing {@code POISON} is rejected the
 * way a real model rejects bad input.
 */
public final class FakeEnrichmentProvider implements EnrichmentProvider {
  public static final String POISON = "POISON";

  @Override
  public TextEmbedder embedder() {
    return new FakeEmbedder();
  }

  @Override
  public SentimentScorer sentiment() {
    return new FakeScorer();
  }

  static final class WordCounter implements TokenCounter {
    @Override
    public int countTokens(String text) {
      String t = text.trim();
      return (t.isEmpty() ? 0 : t.split("\\s+").length) + 2;
    }
  }

  static final class FakeEmbedder implements TextEmbedder {
    @Override
    public String modelName() {
      return "fake-4d";
    }

    @Override
    public int dimension() {
      return 4;
    }

    @Override
    public int maxInputTokens() {
      return 512;
    }

    @Override
    public String passagePrefix() {
      return "passage: ";
    }

    @Override
    public String queryPrefix() {
      return "query: ";
    }

    @Override
    public TokenCounter tokenCounter() {
      return new WordCounter();
    }

    @Override
    public List<float[]> embedPassages(List<String> texts) {
      List<float[]> out = new ArrayList<>();
      for (String t : texts) {
        out.add(vector(t));
      }
      return out;
    }

    @Override
    public float[] embedQuery(String text) {
      return vector(text);
    }

    private static float[] vector(String text) {
      if (text.contains(POISON)) {
        throw new PipelineException(FailureKind.PERMANENT, "model rejected text");
      }
      int h = text.hashCode();
      float[] v = {h & 0xff, (h >> 8) & 0xff, (h >> 16) & 0xff, 1};
      double n = 0;
      for (float f : v) {
        n += f * f;
      }
      for (int i = 0; i < v.length; i++) {
        v[i] /= (float) Math.sqrt(n);
      }
      return v;
    }

    @Override
    public void close() {}
  }

  static final class FakeScorer implements SentimentScorer {
    @Override
    public String modelName() {
      return "fake-sentiment";
    }

    @Override
    public double[] score(List<String> texts) {
      double[] out = new double[texts.size()];
      for (int i = 0; i < out.length; i++) {
        String t = texts.get(i).toLowerCase(java.util.Locale.ROOT);
        out[i] = t.contains("great") ? 0.8 : t.contains("too high") ? -0.6 : 0.0;
      }
      return out;
    }

    @Override
    public void close() {}
  }
}
