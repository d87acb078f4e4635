package com.gongpipeline.gong;

import com.google.api.client.http.HttpBackOffIOExceptionHandler;
import com.google.api.client.http.HttpBackOffUnsuccessfulResponseHandler;
import com.google.api.client.http.HttpIOExceptionHandler;
import com.google.api.client.http.HttpRequest;
import com.google.api.client.http.HttpResponse;
import com.google.api.client.http.HttpUnsuccessfulResponseHandler;
import com.google.api.client.util.BackOff;
import com.google.api.client.util.ExponentialBackOff;
import com.google.api.client.util.Sleeper;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retry policy for one logical Gong request (one page), plugged into google-http-client's retry
 * loop as its {@link HttpUnsuccessfulResponseHandler} and {@link HttpIOExceptionHandler}.
 *
 * <ul>
 *   <li>5xx, 408, and 429 without Retry-After: capped exponential back-off with jitter, delegated to
 *       {@link HttpBackOffUnsuccessfulResponseHandler} over an {@link ExponentialBackOff}.
 *   <li>Connection failures, resets and timeouts: the same back-off, via {@link
 *       HttpBackOffIOExceptionHandler}.
 *   <li>429 with Retry-After: waits exactly that long; if it is longer than {@code maxRetryAfter}
 *       (the daily quota is gone) throws {@link GongApiException.Kind#QUOTA_EXHAUSTED} at once
 *       instead of sleeping for hours.
 *   <li>Everything else (401/403/404/other 4xx): not retried here; the client classifies it.
 * </ul>
 *
 * <p>The library's retry budget counts attempts; {@link #backOffBeforeRetry} serves the client's own
 * retries for failures the library cannot see (a 200 with a malformed or truncated body), sharing
 * the same back-off state and attempt count. Every non-2xx body is read (bounded) and kept, so the
 * final error can quote Gong's {@code requestId} and {@code errors[]}.
 */
final class GongRetryPolicy implements HttpUnsuccessfulResponseHandler, HttpIOExceptionHandler {

  private static final Logger LOG = LoggerFactory.getLogger(GongRetryPolicy.class);
  private static final int MAX_ERROR_BODY_BYTES = 64 * 1024;

  private final GongEndpoint endpoint;
  private final int maxAttempts;
  private final Duration maxRetryAfter;
  private final Sleeper sleeper;
  private final Clock clock;
  private final StatsRecorder stats;
  private final BackOff backOff;
  private final HttpBackOffUnsuccessfulResponseHandler backOffOnStatus;
  private final HttpBackOffIOExceptionHandler backOffOnIo;

  private int attempts;
  private int rateLimitedWaits;

  /** Most 429 waits one request sits through before it fails as RATE_LIMITED. */
  static final int MAX_RATE_LIMITED_WAITS = 60;
  private @Nullable String lastErrorBody;
  private @Nullable Duration lastRetryAfter;

  GongRetryPolicy(
      GongEndpoint endpoint, GongClientConfig config, Sleeper sleeper, Clock clock, StatsRecorder stats) {
    this.endpoint = endpoint;
    this.maxAttempts = config.maxAttempts();
    this.maxRetryAfter = config.maxRetryAfter();
    this.clock = clock;
    this.stats = stats;
    // Every wait before a retry goes through here, so retries and wait time are counted once.
    this.sleeper =
        millis -> {
          stats.retry(millis);
          sleeper.sleep(millis);
        };
    this.backOff =
        new ExponentialBackOff.Builder()
            .setInitialIntervalMillis((int) config.initialBackoff().toMillis())
            .setMaxIntervalMillis((int) config.maxBackoff().toMillis())
            .setMultiplier(2.0)
            .setRandomizationFactor(0.5)
            // Attempts, not elapsed time, bound the retries.
            .setMaxElapsedTimeMillis(Integer.MAX_VALUE)
            .build();
    this.backOffOnStatus =
        new HttpBackOffUnsuccessfulResponseHandler(backOff)
            .setBackOffRequired(r -> isBackOffStatus(r.getStatusCode()))
            .setSleeper(this.sleeper);
    this.backOffOnIo = new HttpBackOffIOExceptionHandler(backOff).setSleeper(this.sleeper);
  }

  static boolean isBackOffStatus(int status) {
    return status >= 500 || status == 429 || status == 408;
  }

  /** Called by the client's execute interceptor before every attempt. */
  void beforeAttempt() {
    attempts++;
  }

  /**
   * A 429 is Gong asking us to wait, not a failed attempt: after waiting, the attempt is given
   * back, so a long rate-limit episode (other integrations sharing the company's budget) cannot
   * exhaust the retries meant for real failures. Bounded by {@link #MAX_RATE_LIMITED_WAITS}.
   *
   * @return false when the bound is reached
   */
  boolean forgiveRateLimitedAttempt() {
    if (rateLimitedWaits >= MAX_RATE_LIMITED_WAITS) {
      return false;
    }
    rateLimitedWaits++;
    attempts--;
    return true;
  }

  /** Waits after a 429 the library did not retry itself: Retry-After, else the back-off. */
  boolean waitAfterRateLimit() throws IOException {
    Duration retryAfter = lastRetryAfter;
    long millis = retryAfter != null ? retryAfter.toMillis() : backOff.nextBackOffMillis();
    if (millis == BackOff.STOP) {
      return false;
    }
    logRetry(429, millis, retryAfter != null ? "Retry-After" : "back-off");
    try {
      sleeper.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    return true;
  }

  int attempts() {
    return attempts;
  }

  /** Retries the library may still make, so that attempts never exceed maxAttempts. */
  int remainingRetries() {
    return Math.max(0, maxAttempts - attempts - 1);
  }

  boolean attemptsLeft() {
    return attempts < maxAttempts;
  }

  /** Body of the last non-2xx response (bounded), for classifying the final failure. */
  @Nullable
  String lastErrorBody() {
    return lastErrorBody;
  }

  @Nullable
  Duration lastRetryAfter() {
    return lastRetryAfter;
  }

  @Override
  public boolean handleResponse(HttpRequest request, HttpResponse response, boolean supportsRetry)
      throws IOException {
    int status = response.getStatusCode();
    stats.request(endpoint, status);
    lastErrorBody = readBounded(response);
    lastRetryAfter = null;
    if (status == 429) {
      Duration retryAfter =
          parseRetryAfter(response.getHeaders().getFirstHeaderStringValue("Retry-After"), clock);
      lastRetryAfter = retryAfter;
      if (retryAfter != null && retryAfter.compareTo(maxRetryAfter) > 0) {
        throw GongErrors.quotaExhausted(
            endpoint, lastErrorBody, attempts, retryAfter, maxRetryAfter);
      }
      if (retryAfter != null) {
        if (!supportsRetry || !forgiveRateLimitedAttempt()) {
          return false;
        }
        logRetry(status, retryAfter.toMillis(), "Retry-After");
        try {
          sleeper.sleep(retryAfter.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
        return true;
      }
    }
    if (!supportsRetry || !isBackOffStatus(status)) {
      return false;
    }
    logRetry(status, -1, "back-off");
    return backOffOnStatus.handleResponse(request, response, true);
  }

  @Override
  public boolean handleIOException(HttpRequest request, boolean supportsRetry) throws IOException {
    stats.request(endpoint, 0);
    if (!supportsRetry) {
      return false;
    }
    logRetry(0, -1, "back-off");
    return backOffOnIo.handleIOException(request, true);
  }

  /**
   * Waits before the client's own retry of a response the library considered successful.
   *
   * @return false if the back-off gives up
   */
  boolean backOffBeforeRetry(String reason) throws IOException {
    long wait = backOff.nextBackOffMillis();
    if (wait == BackOff.STOP) {
      return false;
    }
    LOG.warn(
        "Gong {}: {}; attempt {} of {}, retrying in {} ms",
        endpoint.describe(),
        reason,
        attempts,
        maxAttempts,
        wait);
    try {
      sleeper.sleep(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while backing off " + endpoint.describe());
    }
    return true;
  }

  private void logRetry(int status, long waitMillis, String how) {
    String requestId = GongErrors.requestIdOf(lastErrorBody);
    LOG.warn(
        "Gong {}: {} (requestId={}); attempt {} of {}, retrying after {}{}",
        endpoint.describe(),
        status == 0 ? "I/O failure" : "HTTP " + status,
        requestId == null ? "n/a" : requestId,
        attempts,
        maxAttempts,
        how,
        waitMillis >= 0 ? " " + waitMillis + " ms" : "");
  }

  /**
   * Retry-After as delta-seconds (integer or decimal) or an HTTP-date; null when absent or
   * unparseable (then the caller backs off exponentially).
   */
  static @Nullable Duration parseRetryAfter(@Nullable String header, Clock clock) {
    if (header == null || header.isBlank()) {
      return null;
    }
    String value = header.trim();
    try {
      double seconds = Double.parseDouble(value);
      if (seconds < 0 || Double.isNaN(seconds) || Double.isInfinite(seconds)) {
        return null;
      }
      return Duration.ofMillis((long) Math.ceil(seconds * 1000));
    } catch (NumberFormatException notANumber) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration d = Duration.between(clock.instant(), at.toInstant());
        return d.isNegative() ? Duration.ZERO : d;
      } catch (DateTimeParseException notADate) {
        LOG.warn("Ignoring unparseable Retry-After header '{}'", value);
        return null;
      }
    }
  }

  private static @Nullable String readBounded(HttpResponse response) {
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
