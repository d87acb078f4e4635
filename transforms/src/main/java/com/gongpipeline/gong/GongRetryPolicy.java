package com.gongpipeline.gong;

import com.gongpipeline.errors.RetryAfter;
import com.gongpipeline.errors.FailureKind;
import com.gongpipeline.errors.RetryPolicy;
import com.google.api.client.http.HttpResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import org.apache.beam.sdk.util.Sleeper;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the Gong client uses the pipeline's one retry loop ({@link RetryPolicy}): one HTTP execution
 * per attempt (google-http-client's own retries are off), each outcome classified by its {@link
 * GongApiException}'s failure kind:
 *
 * <ul>
 *   <li>5xx, 408, connection failures, resets, timeouts, malformed 2xx bodies ({@link
 *       FailureKind#RETRYABLE}): capped exponential back-off with jitter ({@code FluentBackoff}), up
 *       to {@code maxAttempts} attempts;
 *   <li>429 ({@link FailureKind#RATE_LIMITED}): waits exactly the Retry-After (else the back-off)
 *       without using up an attempt, at most {@link #MAX_RATE_LIMITED_WAITS} times; a Retry-After
 *       longer than {@code maxRetryAfter} (the daily quota is gone) fails at once as {@link
 *       GongApiException.Kind#QUOTA_EXHAUSTED} instead of sleeping for hours;
 *   <li>401/403/404/other 4xx: fail at once; an expired cursor also ends the page's loop at once,
 *       because the caller restarts the whole sequence instead.
 * </ul>
 *
 * Every wait is reported to the client's stats (retries, wait time) and logged with the endpoint,
 * status and Gong's {@code requestId}, never with credentials.
 */
final class GongRetryPolicy {

  private static final Logger LOG = LoggerFactory.getLogger(GongRetryPolicy.class);
  private static final int MAX_ERROR_BODY_BYTES = 64 * 1024;

  /** Most 429 waits one request sits through before it fails as RATE_LIMITED. */
  static final int MAX_RATE_LIMITED_WAITS = 60;

  /**
   * All waiting of one request (back-offs and Retry-Afters together) is capped at {@link
   * RetryPolicy#MAX_WAIT}: 60 waits of a 5-minute Retry-After used to be 5 hours in a DoFn.
   */
  static final Duration TOTAL_WAIT_CAP = RetryPolicy.MAX_WAIT;

  private GongRetryPolicy() {}

  /** The retry loop of one client: its config's bounds, waits through {@code sleeper}. */
  static RetryPolicy create(GongClientConfig config, Sleeper sleeper, StatsRecorder stats) {
    int maxAttempts = config.maxAttempts();
    return RetryPolicy.builder()
        .withMaxAttempts(maxAttempts)
        .withInitialBackoff(config.initialBackoff())
        .withMaxBackoff(config.maxBackoff())
        .withMaxRateLimitedWaits(MAX_RATE_LIMITED_WAITS)
        .withMaxRetryAfter(config.maxRetryAfter())
        .withMaxTotalWait(TOTAL_WAIT_CAP)
        .withClassifier(GongRetryPolicy::classify)
        .withListener(
            (what, attempt, failure, waitMillis, error) -> {
              stats.retry(waitMillis);
              logRetry(what, attempt, maxAttempts, failure, waitMillis, error);
            })
        .withSleeper(sleeper)
        .build();
  }

  /**
   * A failure's kind and Retry-After; an expired cursor is not retried page by page (the client
   * restarts the sequence from page 1), so it ends the loop here.
   */
  static RetryPolicy.Failure classify(Throwable error) {
    if (error instanceof GongApiException g) {
      if (g.gongKind() == GongApiException.Kind.CURSOR_EXPIRED) {
        return RetryPolicy.Failure.of(FailureKind.PERMANENT);
      }
      return new RetryPolicy.Failure(g.kind(), g.retryAfter());
    }
    return RetryPolicy.BY_KIND.classify(error);
  }

  private static void logRetry(
      String what, int attempt, int maxAttempts, RetryPolicy.Failure failure, long waitMillis,
      Throwable error) {
    String outcome = "failure";
    String requestId = null;
    if (error instanceof GongApiException g) {
      outcome = g.httpStatus() == 0 ? "I/O failure" : "HTTP " + g.httpStatus();
      requestId = g.requestId();
    }
    LOG.warn(
        "Gong {}: {} (requestId={}); attempt {} of {}, retrying after {} {} ms",
        what,
        outcome,
        requestId == null ? "n/a" : requestId,
        attempt,
        maxAttempts,
        failure.retryAfter() != null ? "Retry-After" : "back-off",
        waitMillis);
  }

  /** Retry-After, logged when present but unreadable (then the loop backs off exponentially). */
  static @Nullable Duration parseRetryAfter(@Nullable String header, Clock clock) {
    Duration d = RetryAfter.parse(header, clock);
    if (d == null && header != null && !header.isBlank()) {
      LOG.warn("Ignoring unparseable Retry-After header '{}'", header.trim());
    }
    return d;
  }

  /** An error body (bounded), kept so the final error can quote Gong's requestId and errors[]. */
  static @Nullable String readBounded(HttpResponse response) {
    try (InputStream in = response.getContent()) {
      if (in == null) {
        return null;
      }
      byte[] bytes = in.readNBytes(MAX_ERROR_BODY_BYTES);
      return new String(bytes, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return null;
    }
  }
}
