package com.gongpipeline.cortex;

import com.gongpipeline.enrich.EnrichmentProvider;
import com.gongpipeline.enrich.SentimentScorer;
import com.gongpipeline.enrich.SentimentScorerFactory;
import com.gongpipeline.enrich.TextEmbedder;
import java.util.Objects;

/**
 * Embeddings from Cortex REST ({@link CortexEmbedder}) with sentiment from wherever the {@link
 * SentimentScorerFactory} says: local VADER ({@link SentimentScorerFactory#vader()}) or, once a
 * Snowflake connection exists, {@code SNOWFLAKE.CORTEX.SENTIMENT} over JDBC. Holds configuration
 * only; the models are reached from the worker.
 */
public final class CortexEnrichmentProvider implements EnrichmentProvider {
  private static final long serialVersionUID = 1L;

  private final CortexEmbedConfig embedderConfig;
  private final SentimentScorerFactory sentiment;

  public CortexEnrichmentProvider(CortexEmbedConfig embedderConfig,
      SentimentScorerFactory sentiment) {
    this.embedderConfig = Objects.requireNonNull(embedderConfig, "embedderConfig");
    this.sentiment = Objects.requireNonNull(sentiment, "sentiment");
  }

  public CortexEmbedConfig embedderConfig() {
    return embedderConfig;
  }

  @Override
  public TextEmbedder embedder() {
    return new CortexEmbedder(embedderConfig);
  }

  @Override
  public SentimentScorer sentiment() {
    return sentiment.create();
  }

  /**
   * Extractive summaries ({@code e5-extractive-v1}) with the in-process e5-small-v2, whatever the
   * chunks are embedded with: the method means one model, and summaries cost no Cortex credits
   * (Snowflake's own summary is {@code --summaries=cortex}, AI_SUMMARIZE_AGG).
   */
  @Override
  public com.gongpipeline.enrich.CallSummarizer summarizer() {
    return new com.gongpipeline.enrich.ExtractiveSummarizer(
        new com.gongpipeline.enrich.LocalE5Embedder(com.gongpipeline.enrich.LocalE5Model.DEFAULT));
  }

  @Override
  public String toString() {
    return "CortexEnrichmentProvider(" + embedderConfig + ")";
  }
}
