package com.gongpipeline.gong;

import com.gongpipeline.errors.FailureKind;
import com.gongpipeline.errors.PipelineException;
import java.time.Duration;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A Gong API call that failed for good (after whatever retries its {@link Kind} allows). The
 * message names the endpoint (method and path, never the query or headers), the HTTP status, Gong's
 * {@code requestId} and {@code errors[]}, and the number of attempts, so an operator can quote it
 * to Gong support; it never contains credentials.
 *
 * <p>It is a {@link PipelineException}: its {@link FailureKind} ({@link #failureKind()}, and what
 * {@link PipelineException#kindOf} finds) follows from the Gong-specific {@link Kind}, which stays
 * available as detail ({@link #gongKind()}). Callers route on the failure kind; {@link #isRetryable()}
 * kinds are worth another try later (the next bundle or the next poll), the others are not.
 */
public class GongApiException extends PipelineException {

  private static final long serialVersionUID = 1L;

  /** Why the call failed. */
  public enum Kind {
    /** 401/403: wrong key, missing scope, or wrong tenant base URL. Never retried. */
    AUTH(FailureKind.FATAL_CONFIG),
    /** A genuine 404 (not the "No … found corresponding to the provided filters" empty result). */
    NOT_FOUND(FailureKind.PERMANENT),
    /** Any other 4xx: the request itself is wrong. Never retried. */
    BAD_REQUEST(FailureKind.PERMANENT),
    /** 429 still returned after all attempts. */
    RATE_LIMITED(FailureKind.RATE_LIMITED),
    /** 5xx still returned after all attempts. */
    SERVER(FailureKind.RETRYABLE),
    /** 429 whose Retry-After exceeds {@link GongClientConfig#maxRetryAfter()} (daily quota). */
    QUOTA_EXHAUSTED(FailureKind.RATE_LIMITED),
    /**
     * Not sent: the pipeline's own daily request budget ({@link GongRequestBudget}) is spent until
     * the next UTC day; the Retry-After says when it frees up.
     */
    BUDGET_EXHAUSTED(FailureKind.RATE_LIMITED),
    /** 2xx whose body was not the expected JSON, after all attempts. */
    MALFORMED_RESPONSE(FailureKind.RETRYABLE),
    /** Connection failure, reset or timeout, after all attempts. */
    IO(FailureKind.RETRYABLE),
    /**
     * 400 "cursor has expired" more often than {@link GongClientConfig#cursorExpiryRestarts()}
     * allowed restarts of the sequence.
     */
    CURSOR_EXPIRED(FailureKind.RETRYABLE),
    /** A 2xx body longer than {@link GongClientConfig#maxResponseBytes()}: read no further. */
    BODY_TOO_LARGE(FailureKind.BODY_TOO_LARGE);

    private final FailureKind failureKind;

    Kind(FailureKind failureKind) {
      this.failureKind = failureKind;
    }

    /** The pipeline-wide failure kind of this Gong failure. */
    public FailureKind failureKind() {
      return failureKind;
    }

    /** Whether trying the same input again later may succeed. */
    public boolean isRetryable() {
      return failureKind.isRetryable();
    }
  }

  private final Kind kind;
  private final String endpoint;
  private final int httpStatus;
  private final @Nullable String requestId;
  private final List<String> errors;

  GongApiException(
      Kind kind,
      String endpoint,
      int httpStatus,
      @Nullable String requestId,
      List<String> errors,
      int attempts,
      @Nullable Duration retryAfter,
      @Nullable String detail,
      @Nullable Throwable cause) {
    super(
        kind.failureKind(),
        buildMessage(kind, endpoint, httpStatus, requestId, errors, attempts, retryAfter, detail),
        cause,
        attempts,
        retryAfter);
    this.kind = kind;
    this.endpoint = endpoint;
    this.httpStatus = httpStatus;
    this.requestId = requestId;
    this.errors = List.copyOf(errors);
  }

  private static String buildMessage(
      Kind kind,
      String endpoint,
      int httpStatus,
      @Nullable String requestId,
      List<String> errors,
      int attempts,
      @Nullable Duration retryAfter,
      @Nullable String detail) {
    StringBuilder sb = new StringBuilder("Gong ").append(endpoint).append(" failed: ").append(kind);
    if (httpStatus > 0) {
      sb.append(", HTTP ").append(httpStatus);
    }
    sb.append(", requestId=").append(requestId == null ? "n/a" : requestId);
    if (!errors.isEmpty()) {
      sb.append(", errors=").append(errors);
    }
    if (retryAfter != null) {
      sb.append(", Retry-After=").append(retryAfter.getSeconds()).append("s");
    }
    sb.append(", attempts=").append(attempts);
    if (detail != null && !detail.isEmpty()) {
      sb.append(": ").append(detail);
    }
    return sb.toString();
  }

  /** The Gong-specific reason; {@link #kind()} (inherited) is the pipeline-wide one. */
  public Kind gongKind() {
    return kind;
  }

  /** Shorthand for {@code gongKind().isRetryable()}. */
  public boolean isRetryable() {
    return kind.isRetryable();
  }

  /** {@code "METHOD /path"}, e.g. {@code "GET /v2/calls"}. */
  public String endpoint() {
    return endpoint;
  }

  /** The last HTTP status seen, or 0 when no response arrived (IO failures). */
  public int httpStatus() {
    return httpStatus;
  }

  /** Gong's {@code requestId} from the last error body, if any. */
  public @Nullable String requestId() {
    return requestId;
  }

  /** Gong's {@code errors[]} from the last error body (possibly empty). */
  public List<String> errors() {
    return errors;
  }
}
