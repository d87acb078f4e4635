package com.gongpipeline.gong;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.gongpipeline.errors.RetryPolicy;
import com.google.api.client.http.ByteArrayContent;
import com.google.api.client.http.GenericUrl;
import com.google.api.client.http.HttpContent;
import com.google.api.client.http.HttpRequest;
import com.google.api.client.http.HttpRequestFactory;
import com.google.api.client.http.HttpResponse;
import com.google.common.util.concurrent.RateLimiter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches one page of a Gong endpoint over HTTP: builds the request (Basic auth, JSON body, cursor,
 * timeouts, no redirects, no wire logging, no retries inside google-http-client), waits for the
 * shared rate limiter before every attempt, and classifies each answer: a JSON object, {@code null}
 * for Gong's empty-result 404, or a {@link GongApiException}. The {@link RetryPolicy} from {@link
 * GongRetryPolicy} decides whether and when to try again.
 */
final class GongPageFetcher {

  private static final Logger LOG = LoggerFactory.getLogger(GongPageFetcher.class);
  private static final String USER_AGENT = "gong-pipeline-client/0.1";

  private final GongClientConfig config;
  private final HttpRequestFactory requestFactory;
  private final RetryPolicy retryPolicy;
  private final Clock clock;
  private final RateLimiter rateLimiter;
  private final String authorization;
  private final StatsRecorder stats;
  private final GongRequestBudget budget;

  GongPageFetcher(
      GongClientConfig config,
      HttpRequestFactory requestFactory,
      RetryPolicy retryPolicy,
      Clock clock,
      RateLimiter rateLimiter,
      String authorization,
      StatsRecorder stats,
      GongRequestBudget budget) {
    this.config = config;
    this.requestFactory = requestFactory;
    this.retryPolicy = retryPolicy;
    this.clock = clock;
    this.rateLimiter = rateLimiter;
    this.authorization = authorization;
    this.stats = stats;
    this.budget = budget;
  }

  /**
   * One page, with retries. Returns the parsed JSON object, or null for Gong's empty-result 404.
   *
   * @throws GongApiException CURSOR_EXPIRED for the caller to restart, anything else when final
   */
  @Nullable
  JsonNode fetch(GongRequest request, @Nullable String cursor) {
    try {
      return retryPolicy.call(
          request.endpoint().describe(), attempt -> fetchOnce(request, cursor, attempt));
    } catch (GongApiException e) {
      if (e.gongKind() == GongApiException.Kind.BUDGET_EXHAUSTED
          || e.gongKind() == GongApiException.Kind.QUOTA_EXHAUSTED) {
        stats.quotaStop();
      }
      throw e;
    }
  }

  /** One HTTP execution: the page, null (no results), or the failure of this attempt. */
  private @Nullable JsonNode fetchOnce(GongRequest request, @Nullable String cursor, int attempt)
      throws IOException, InterruptedException {
    GongEndpoint endpoint = request.endpoint();
    // Counted before it is sent: a request the budget refuses is never sent.
    if (!budget.tryAcquire(endpoint)) {
      Instant now = clock.instant();
      Instant midnight = now.atZone(ZoneOffset.UTC).toLocalDate().plusDays(1)
          .atStartOfDay(ZoneOffset.UTC).toInstant();
      throw GongErrors.budgetExhausted(endpoint, attempt, Duration.between(now, midnight));
    }
    double waitedSeconds = rateLimiter.acquire();
    stats.throttled(Math.round(waitedSeconds * 1000));
    HttpRequest http = buildRequest(request, cursor);
    HttpResponse response;
    try {
      response = http.execute();
    } catch (IOException e) {
      if (e instanceof InterruptedIOException && Thread.currentThread().isInterrupted()) {
        throw new InterruptedException("interrupted during " + endpoint.describe());
      }
      stats.request(endpoint, 0);
      throw new GongApiException(
          GongApiException.Kind.IO,
          endpoint.describe(),
          0,
          null,
          List.of(),
          attempt,
          null,
          e.getClass().getSimpleName() + ": " + e.getMessage(),
          e);
    }
    int status = response.getStatusCode();
    stats.request(endpoint, status);
    try {
      if (!response.isSuccessStatusCode()) {
        GongApiException failure = failureOf(endpoint, response, attempt);
        if (failure == null) {
          return null; // "No … found corresponding to the provided filters"
        }
        throw failure;
      }
      try {
        // Bytes, not parseAsString(): Jackson detects the UTF encoding itself, whatever charset
        // (or none) the Content-Type names.
        // Bounded: a body above --gongMaxResponseBytes fails the request (BODY_TOO_LARGE).
        BoundedBody.checkAnnounced(response.getHeaders().getContentLength(),
            config.maxResponseBytes());
        InputStream raw = response.getContent();
        JsonNode node = raw == null ? null
            : GongJson.mapper().readTree(new BoundedBody(raw, config.maxResponseBytes()));
        if (node != null && node.isObject()) {
          return node;
        }
        throw malformed(endpoint, status, attempt, "2xx body is not a JSON object", null);
      } catch (JsonProcessingException e) {
        throw malformed(
            endpoint, status, attempt, "2xx body is not valid JSON: " + e.getOriginalMessage(), e);
      } catch (BoundedBody.TooLarge e) {
        throw new GongApiException(
            GongApiException.Kind.BODY_TOO_LARGE, endpoint.describe(), status, null, List.of(),
            attempt, null, e.getMessage(), e);
      } catch (IOException e) {
        if (e instanceof InterruptedIOException && Thread.currentThread().isInterrupted()) {
          throw new InterruptedException("interrupted reading " + endpoint.describe());
        }
        throw new GongApiException(
            GongApiException.Kind.IO, endpoint.describe(), status, null, List.of(), attempt, null,
            "reading the 2xx body failed: " + e, e);
      }
    } finally {
      response.disconnect();
    }
  }

  /** The failure a non-2xx answer means, or null for Gong's empty-result 404. */
  private @Nullable GongApiException failureOf(GongEndpoint endpoint, HttpResponse response, int attempt) {
    int status = response.getStatusCode();
    String rawBody = GongRetryPolicy.readBounded(response);
    GongErrors.ErrorBody body = GongErrors.parse(rawBody);
    if (GongErrors.isNoResults(status, body)) {
      LOG.debug("Gong {}: no results (requestId={})", endpoint.describe(), body.requestId);
      return null;
    }
    if (GongErrors.isCursorExpired(status, body)) {
      return GongErrors.cursorExpired(endpoint, body, attempt);
    }
    Duration retryAfter = null;
    if (status == 429) {
      retryAfter = GongRetryPolicy.parseRetryAfter(
          response.getHeaders().getFirstHeaderStringValue("Retry-After"), clock);
      if (retryAfter != null && retryAfter.compareTo(config.maxRetryAfter()) > 0) {
        return GongErrors.quotaExhausted(
            endpoint, rawBody, attempt, retryAfter, config.maxRetryAfter());
      }
    }
    return GongErrors.forStatus(endpoint, status, body, attempt, retryAfter);
  }

  private static GongApiException malformed(
      GongEndpoint endpoint, int status, int attempt, String detail, @Nullable Throwable cause) {
    return new GongApiException(
        GongApiException.Kind.MALFORMED_RESPONSE, endpoint.describe(), status, null, List.of(),
        attempt, null, detail, cause);
  }

  private HttpRequest buildRequest(GongRequest request, @Nullable String cursor)
      throws IOException {
    GongEndpoint endpoint = request.endpoint();
    GenericUrl url = new GenericUrl(config.baseUrl() + endpoint.path());
    request.queryFor(cursor).forEach(url::set);
    HttpContent content = null;
    ObjectNode body = request.bodyFor(cursor);
    if (body != null) {
      byte[] json = GongJson.mapper().writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
      content = new ByteArrayContent("application/json", json);
    }
    HttpRequest http = requestFactory.buildRequest(endpoint.method(), url, content);
    http.getHeaders().setAuthorization(authorization);
    http.getHeaders().setAccept("application/json");
    http.getHeaders().setUserAgent(USER_AGENT);
    http.setConnectTimeout((int) config.connectTimeout().toMillis());
    http.setReadTimeout((int) config.readTimeout().toMillis());
    http.setThrowExceptionOnExecuteError(false);
    http.setFollowRedirects(false); // never carry the Authorization header to another host
    http.setLoggingEnabled(false); // keep headers and bodies out of java.util.logging
    http.setNumberOfRetries(0); // one execution per attempt: RetryPolicy is the only retry loop
    http.setUnsuccessfulResponseHandler(null);
    http.setIOExceptionHandler(null);
    return http;
  }
}
