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
}
