package com.gongpipeline.gong;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A Gong API call that failed for good (after whatever retries its {@link Kind} allows). The
 * message names the endpoint (method and path, never the query or headers), the HTTP status, Gong's
 * {@code requestId} and {@code errors[]}, and the number of attempts, so an operator can quote it
 * to Gong support; it never contains credentials.
 *
 * <p>Callers route on {@link #kind()}: {@link #isRetryable()} kinds are worth another try later
 * (e.g. the next bundle or the next poll), the others are permanent for this input.
 */
public class GongApiException extends IOException {

  private static final long serialVersionUID = 1L;

  /** Why the call failed. */
  public enum Kind {
    /** 401/403: wrong key, missing scope, or wrong tenant base URL. Never retried. */
    AUTH(false),
    /** A genuine 404 (not the "No … found corresponding to the provided filters" empty result). */
    NOT_FOUND(false),
    /** Any other 4xx: the request itself is wrong. Never retried. */
    BAD_REQUEST(false),
    /** 429 still returned after all attempts. */
    RATE_LIMITED(true),
    /** 5xx still returned after all attempts. */
    SERVER(true),
    /** 429 whose Retry-After exceeds {@link GongClientConfig#maxRetryAfter()} (daily quota). */
    QUOTA_EXHAUSTED(true),
    /** 2xx whose body was not the expected JSON, after all attempts. */
    MALFORMED_RESPONSE(true),
    /** Connection failure, reset or timeout, after all attempts. */
    IO(true),
    /**
     * 400 "cursor has expired" more often than {@link GongClientConfig#cursorExpiryRestarts()}
     * allowed restarts of the sequence.
     */
    CURSOR_EXPIRED(true);

    private final boolean retryable;

    Kind(boolean retryable) {
      this.retryable = retryable;
    }

    /** Whether trying the same input again later may succeed. */
    public boolean isRetryable() {
      return retryable;
    }
  }

  private final Kind kind;
  private final String endpoint;
  private final int httpStatus;
  private final @Nullable String requestId;
  private final List<String> errors;
  private final int attempts;
  private final @Nullable Duration retryAfter;

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
        buildMessage(kind, endpoint, httpStatus, requestId, errors, attempts, retryAfter, detail),
        cause);
    this.kind = kind;
    this.endpoint = endpoint;
    this.httpStatus = httpStatus;
    this.requestId = requestId;
    this.errors = List.copyOf(errors);
    this.attempts = attempts;
    this.retryAfter = retryAfter;
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

  public Kind kind() {
    return kind;
  }

  /** Shorthand for {@code kind().isRetryable()}. */
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

  /** HTTP attempts made for the failing request. */
  public int attempts() {
    return attempts;
  }

  /** The Retry-After Gong asked for, when known (RATE_LIMITED, QUOTA_EXHAUSTED). */
  public @Nullable Duration retryAfter() {
    return retryAfter;
  }
}
