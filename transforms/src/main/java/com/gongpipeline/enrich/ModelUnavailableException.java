package com.gongpipeline.enrich;

import com.gongpipeline.errors.FailureKind;
import com.gongpipeline.errors.PipelineException;
import java.time.Duration;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A model service failed for reasons that have nothing to do with the input: still throttled or
 * failing after bounded retries ({@link FailureKind#RETRYABLE} or {@link
 * FailureKind#RATE_LIMITED}), or credentials, endpoint or model refused ({@link
 * FailureKind#FATAL_CONFIG}). Retrying the batch element by element would only repeat the
 * failure, so callers dead-letter the whole batch at once.
 */
public class ModelUnavailableException extends PipelineException {
  private static final long serialVersionUID = 1L;

  /** A service that is down or throttling ({@link FailureKind#RETRYABLE}). */
  public ModelUnavailableException(String message, int attempts) {
    this(FailureKind.RETRYABLE, message, attempts, null);
  }

  public ModelUnavailableException(FailureKind kind, String message, int attempts,
      @Nullable Duration retryAfter) {
    super(checkKind(kind), message, null, attempts, retryAfter);
  }

  private static FailureKind checkKind(FailureKind kind) {
    if (kind == FailureKind.PERMANENT) {
      throw new IllegalArgumentException("a model that is unavailable is not the input's fault");
    }
    return kind;
  }
}
