package com.gongpipeline.errors;

import java.time.Duration;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A failure with a {@link FailureKind}: the one error type the Gong client, the Cortex clients and
 * the warehouse throw (or subclass), so callers route on {@link #kind()} rather than on exception
 * classes. Messages never carry credentials.
 */
public class PipelineException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final FailureKind kind;
  private final int attempts;
  private final @Nullable Duration retryAfter;

  public PipelineException(FailureKind kind, String message) {
    this(kind, message, null, 1, null);
  }

  public PipelineException(FailureKind kind, String message, @Nullable Throwable cause) {
    this(kind, message, cause, 1, null);
  }

  public PipelineException(FailureKind kind, String message, @Nullable Throwable cause,
      int attempts, @Nullable Duration retryAfter) {
    super(message, cause);
    this.kind = kind;
    this.attempts = attempts;
    this.retryAfter = retryAfter;
  }

  public FailureKind kind() {
    return kind;
  }

  /** Attempts made before this was thrown (1 when it was not retried). */
  public int attempts() {
    return attempts;
  }

  /** How long the service asked us to wait ({@link FailureKind#RATE_LIMITED}), if it said. */
  public @Nullable Duration retryAfter() {
    return retryAfter;
  }

  /**
   * The kind of any throwable: the first {@link PipelineException} in its cause chain decides;
   * anything unclassified is {@link FailureKind#RETRYABLE}, the safe default for unknown trouble
   * (bounded retries, then a dead letter).
   */
  public static FailureKind kindOf(Throwable t) {
    PipelineException p = find(t);
    return p == null ? FailureKind.RETRYABLE : p.kind();
  }

  /** The first {@link PipelineException} in {@code t}'s cause chain, or null. */
  public static @Nullable PipelineException find(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof PipelineException p) {
        return p;
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return null;
  }
}
