package com.gongpipeline.enrich;

/**
 * A model service failed for reasons that have nothing to do with the input (still throttled or
 * failing after bounded retries, credentials refused): retrying the batch element by element
 * would only repeat the failure, so callers dead-letter the whole batch at once.
 */
public class ModelUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int attempts;

  public ModelUnavailableException(String message, int attempts) {
    super(message);
    this.attempts = attempts;
  }

  /** Requests made before giving up. */
  public int attempts() {
    return attempts;
  }
}
