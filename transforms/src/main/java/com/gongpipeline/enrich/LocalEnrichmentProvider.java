package com.gongpipeline.enrich;

import java.io.IOException;
import java.io.ObjectInputStream;

/**
 * The in-process e5-small-v2 embeddings ({@link LocalE5Model}: fp32 by default, or int8) with
 * offline VADER sentiment (the default), or with sentiment from elsewhere (Cortex {@code
 * SENTIMENT} over a Snowflake connection). The models behind the returned objects are loaded once
 * per JVM.
 *
 * <p>Start-up: {@link #preload()} starts loading the embedding model in the background; a job
 * calls it as it builds its graph, and a worker's copy calls it as it is deserialized (before any
 * DoFn's {@code @Setup}), so the load overlaps with listing and fetching instead of leaving a gap
 * before the first chunk is embedded.
 */
public final class LocalEnrichmentProvider implements EnrichmentProvider {
  private static final long serialVersionUID = 3L;

  private final SentimentScorerFactory sentiment;
  private final String sentimentName;
  private final LocalE5Model model;

  /** The default e5 model + VADER. */
  public LocalEnrichmentProvider() {
    this(LocalE5Model.DEFAULT, SentimentScorerFactory.vader(), VaderSentimentScorer.MODEL_NAME);
  }

  /** The default e5 model + the sentiment {@code factory} builds ({@code name} is for logs). */
  public LocalEnrichmentProvider(SentimentScorerFactory sentiment, String name) {
    this(LocalE5Model.DEFAULT, sentiment, name);
  }

  /** {@code model} + the sentiment {@code factory} builds ({@code name} is for logs only). */
  public LocalEnrichmentProvider(LocalE5Model model, SentimentScorerFactory sentiment,
      String name) {
    this.model = model;
    this.sentiment = sentiment;
    this.sentimentName = name;
  }

  /** Starts loading the embedding model in the background (once per JVM); returns at once. */
  public LocalEnrichmentProvider preload() {
    LocalE5Embedder.preload(model);
    return this;
  }

  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    in.defaultReadObject();
    preload();
  }

  public LocalE5Model model() {
    return model;
  }

  @Override
  public TextEmbedder embedder() {
    return new LocalE5Embedder(model);
  }

  @Override
  public SentimentScorer sentiment() {
    return sentiment.create();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LocalEnrichmentProvider other && model == other.model
        && sentimentName.equals(other.sentimentName);
  }

  @Override
  public int hashCode() {
    return 31 * model.ordinal() + sentimentName.hashCode();
  }

  @Override
  public String toString() {
    return "LocalEnrichmentProvider(" + model.modelName() + ", " + sentimentName + ")";
  }
}
