package com.gongpipeline.errors;

/**
 * The one failure vocabulary of the pipeline: what a caller should do about a failure, whatever
 * service it came from (Gong, Cortex REST, Cortex SQL, the warehouse). {@link RetryPolicy} routes
 * on it, and every dead-letter row records it.
 */
public enum FailureKind {
  /** Transient (5xx, timeout, reset, lock conflict, malformed page): the same call may succeed. */
  RETRYABLE,
  /** The service asked us to wait (429, with or without Retry-After): waits use up no attempts. */
  RATE_LIMITED,
  /** This element can never succeed as it is (400, a row the database refuses): dead-letter it. */
  PERMANENT,
  /** Nothing will succeed until an operator acts (credentials, URL, schema): stop the job. */
  FATAL_CONFIG,
  /**
   * A response body above the configured cap ({@code --gongMaxResponseBytes}): not read further,
   * not retried (it would be as big again); dead-letter what it was for, and raise the cap if the
   * body is legitimate.
   */
  BODY_TOO_LARGE;

  /** Whether trying the same input again (now or later) may succeed. */
  public boolean isRetryable() {
    return this == RETRYABLE || this == RATE_LIMITED;
  }
}
