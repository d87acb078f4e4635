package com.gongpipeline.gong;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Maps a final Gong error response onto the {@link GongApiException} taxonomy and recognises the two
 * 4xx answers that are not errors for us: the "No … found corresponding to the provided filters" 404
 * (an empty result) and the 400 "cursor has expired" (restart the sequence).
 */
final class GongErrors {

  /** Gong's empty-result 404; wording varies by entity, scorecards add a trailing period. */
  static final Pattern NO_RESULTS_404 =
      Pattern.compile(
          "No .* found corresponding to the provided filters\\.?", Pattern.CASE_INSENSITIVE);

  private static final String CURSOR_EXPIRED = "cursor has expired";

  private GongErrors() {}

  /** Gong's ErrorResponse, or an empty one if the body is absent or not JSON. */
  static final class ErrorBody {
    final @Nullable String requestId;
    final List<String> errors;

    ErrorBody(@Nullable String requestId, List<String> errors) {
      this.requestId = requestId;
      this.errors = errors;
    }
  }

  static ErrorBody parse(@Nullable String body) {
    if (body == null || body.isBlank()) {
      return new ErrorBody(null, List.of());
    }
    try {
      JsonNode node = GongJson.mapper().readTree(body);
      if (node == null || !node.isObject()) {
        return new ErrorBody(null, List.of());
      }
      return new ErrorBody(GongJson.text(node, "requestId"), GongJson.errors(node));
    } catch (IOException e) {
      return new ErrorBody(null, List.of());
    }
  }

  static @Nullable String requestIdOf(@Nullable String body) {
    return parse(body).requestId;
  }

  static boolean isNoResults(int status, ErrorBody body) {
    return status == 404
        && body.errors.stream().anyMatch(e -> NO_RESULTS_404.matcher(e.trim()).matches());
  }

  static boolean isCursorExpired(int status, ErrorBody body) {
    return status == 400
        && body.errors.stream()
            .anyMatch(e -> e.toLowerCase(Locale.ROOT).contains(CURSOR_EXPIRED));
  }

  /** The exception for a final non-2xx response that is neither empty-result nor cursor expiry. */
  static GongApiException forStatus(
      GongEndpoint endpoint,
      int status,
      ErrorBody body,
      int attempts,
      @Nullable Duration retryAfter) {
    GongApiException.Kind kind;
    String detail = null;
    if (status == 401 || status == 403) {
      kind = GongApiException.Kind.AUTH;
      detail =
          "check the access key and secret, the key's scopes, and that baseUrl is the tenant's own"
              + " host (a wrong host answers 401)";
    } else if (status == 404) {
      kind = GongApiException.Kind.NOT_FOUND;
    } else if (status == 429) {
      kind = GongApiException.Kind.RATE_LIMITED;
      detail = "still rate limited after all attempts";
    } else if (status == 408) {
      kind = GongApiException.Kind.IO;
      detail = "request timed out after all attempts";
    } else if (status >= 500) {
      kind = GongApiException.Kind.SERVER;
      detail = "server error after all attempts";
    } else {
      kind = GongApiException.Kind.BAD_REQUEST;
    }
    return new GongApiException(
        kind,
        endpoint.describe(),
        status,
        body.requestId,
        body.errors,
        attempts,
        retryAfter,
        detail,
        null);
  }

  static GongApiException cursorExpired(GongEndpoint endpoint, ErrorBody body, int attempts) {
    return new GongApiException(
        GongApiException.Kind.CURSOR_EXPIRED,
        endpoint.describe(),
        400,
        body.requestId,
        body.errors,
        attempts,
        null,
        "pagination cursor expired",
        null);
  }

  static GongApiException quotaExhausted(
      GongEndpoint endpoint,
      @Nullable String rawBody,
      int attempts,
      Duration retryAfter,
      Duration maxRetryAfter) {
    ErrorBody body = parse(rawBody);
    return new GongApiException(
        GongApiException.Kind.QUOTA_EXHAUSTED,
        endpoint.describe(),
        429,
        body.requestId,
        body.errors,
        attempts,
        retryAfter,
        "Gong asked to wait "
            + retryAfter.getSeconds()
            + "s, more than maxRetryAfter "
            + maxRetryAfter.getSeconds()
            + "s (the daily quota is probably exhausted); not sleeping, try again after the wait",
        null);
  }

  static GongApiException budgetExhausted(GongEndpoint endpoint, int attempts, Duration freesIn) {
    return new GongApiException(
        GongApiException.Kind.BUDGET_EXHAUSTED,
        endpoint.describe(),
        0,
        null,
        List.of(),
        attempts,
        freesIn,
        "daily Gong request budget (--gongDailyRequestBudget) spent: not sent; it frees up in "
            + freesIn.getSeconds() + "s (next UTC day)",
        null);
  }
}
