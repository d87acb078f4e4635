package com.gongpipeline.enrich;

import java.io.Serializable;

/**
 * Builds a {@link SentimentScorer} on a worker: how an {@link EnrichmentProvider} whose embeddings
 * come from one place (Cortex REST) takes its sentiment from another (local VADER, or Cortex
 * {@code SENTIMENT} over a Snowflake connection).
 */
@FunctionalInterface
public interface SentimentScorerFactory extends Serializable {

  SentimentScorer create();

  /** The offline VADER scorer. */
  static SentimentScorerFactory vader() {
    return VaderSentimentScorer::new;
  }
}
