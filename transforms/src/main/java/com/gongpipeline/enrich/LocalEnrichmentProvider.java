package com.gongpipeline.enrich;

/**
 * The in-process e5-small-v2 embeddings with offline VADER sentiment (the default), or with
 * sentiment from elsewhere (Cortex {@code SENTIMENT} over a Snowflake connection). The models
 * behind the returned objects are loaded once per JVM on first use.
 */
public final class LocalEnrichmentProvider implements EnrichmentProvider {
  private static final long serialVersionUID = 2L;

  private final SentimentScorerFactory sentiment;
  private final String sentimentName;

  /** e5-small-v2 + VADER. */
  public LocalEnrichmentProvider() {
    this(SentimentScorerFactory.vader(), VaderSentimentScorer.MODEL_NAME);
  }

  /** e5-small-v2 + the sentiment {@code factory} builds ({@code name} is for logs only). */
  public LocalEnrichmentProvider(SentimentScorerFactory sentiment, String name) {
    this.sentiment = sentiment;
    this.sentimentName = name;
  }

  @Override
  public TextEmbedder embedder() {
    return new LocalE5Embedder();
  }

  @Override
  public SentimentScorer sentiment() {
    return sentiment.create();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LocalEnrichmentProvider other && sentimentName.equals(other.sentimentName);
  }

  @Override
  public int hashCode() {
    return sentimentName.hashCode();
  }

  @Override
  public String toString() {
    return "LocalEnrichmentProvider(" + LocalE5Embedder.MODEL_NAME + ", " + sentimentName + ")";
  }
}
