package com.gongpipeline.enrich;

import java.io.Serializable;

/**
 * Where the enrichment models come from. Serializable so a DoFn can carry it; it must hold no
 * models itself, only what is needed to build or reach them (the Cortex one will carry connection
 * settings). A DoFn calls {@link #embedder()} and {@link #sentiment()} in {@code @Setup}.
 */
public interface EnrichmentProvider extends Serializable {

  TextEmbedder embedder();

  SentimentScorer sentiment();

  /**
   * Summarises calls Gong sent no brief for; by default the extractive e5-centrality summary over
   * this provider's embedder ({@link ExtractiveSummarizer}).
   */
  default CallSummarizer summarizer() {
    return new ExtractiveSummarizer(embedder());
  }

  /** {@code provider}'s models with the summaries {@code summaries} makes (e.g. Cortex SQL). */
  static EnrichmentProvider withSummarizer(EnrichmentProvider provider,
      CallSummarizer.Factory summaries) {
    return new WithSummarizer(provider, summaries);
  }

  /** See {@link #withSummarizer}. */
  record WithSummarizer(EnrichmentProvider models, CallSummarizer.Factory summaries)
      implements EnrichmentProvider {
    @Override
    public TextEmbedder embedder() {
      return models.embedder();
    }

    @Override
    public SentimentScorer sentiment() {
      return models.sentiment();
    }

    @Override
    public CallSummarizer summarizer() {
      return summaries.create();
    }
  }
}
