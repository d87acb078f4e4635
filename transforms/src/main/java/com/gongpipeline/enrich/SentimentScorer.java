package com.gongpipeline.enrich;

import java.util.List;

/**
 * Sentiment of texts on the {@code SNOWFLAKE.CORTEX.SENTIMENT} scale: a score in [-1, 1] per text,
 * negative to positive. Local VADER now, Cortex later, behind the same contract: blank or null text
 * scores 0.0; results are in input order; implementations are thread-safe. Built in {@code @Setup},
 * closed in {@code @Teardown}.
 */
public interface SentimentScorer extends AutoCloseable {

  /** Stored with every score; scores of different models are not comparable. */
  String modelName();

  double[] score(List<String> texts);

  @Override
  default void close() {}
}
