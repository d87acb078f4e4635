package com.gongpipeline.enrich;

import java.util.List;

/**
 * Sentiment of texts on the {@code SNOWFLAKE.CORTEX.SENTIMENT} scale: a score in [-1, 1] per text,
 * negative to positive. Local VADER or Cortex SQL, behind the same contract: a text with nothing
 * to score (null, blank, or nothing the model can read) scores {@link Double#NaN}, which callers
 * store as NULL, never as 0 (missing is not neutral); results are in input order; implementations are thread-safe. Built in {@code @Setup},
 * closed in {@code @Teardown}.
 *
 * <p>Failures throw {@link com.gongpipeline.errors.PipelineException} after the scorer's own
 * bounded retries (callers do not retry again); {@link
 * com.gongpipeline.errors.FailureKind#PERMANENT PERMANENT} means this input (retry the batch
 * element by element), any other kind means the service (the whole batch fails alike).
 */
public interface SentimentScorer extends AutoCloseable {

  /** Stored with every score; scores of different models are not comparable. */
  String modelName();

  double[] score(List<String> texts);

  @Override
  default void close() {}
}
