package com.gongpipeline.enrich;

/**
 * The offline models: e5-small-v2 embeddings and VADER sentiment. Has no fields; the models behind
 * the returned objects are loaded once per JVM on first use.
 */
public final class LocalEnrichmentProvider implements EnrichmentProvider {
  private static final long serialVersionUID = 1L;

  @Override
  public TextEmbedder embedder() {
    return new LocalE5Embedder();
  }

  @Override
  public SentimentScorer sentiment() {
    return new VaderSentimentScorer();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LocalEnrichmentProvider;
  }

  @Override
  public int hashCode() {
    return LocalEnrichmentProvider.class.hashCode();
  }

  @Override
  public String toString() {
    return "LocalEnrichmentProvider(" + LocalE5Embedder.MODEL_NAME + ", "
        + VaderSentimentScorer.MODEL_NAME + ")";
  }
}
