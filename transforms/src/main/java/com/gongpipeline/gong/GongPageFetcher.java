package com.gongpipeline.gong;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.api.client.http.ByteArrayContent;
import com.google.api.client.http.GenericUrl;
import com.google.api.client.http.HttpContent;
import com.google.api.client.http.HttpRequest;
import com.google.api.client.http.HttpRequestFactory;
import com.google.api.client.http.HttpResponse;
import com.google.api.client.util.Sleeper;
import com.google.common.util.concurrent.RateLimiter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches one page of a Gong endpoint over HTTP: builds the request (Basic auth, JSON body, cursor,
 * timeouts, no redirects, no wire logging), waits for the shared rate limiter before every attempt,
 * lets {@link GongRetryPolicy} drive retries inside google-http-client, retries malformed 2xx bodies
 * itself, and classifies the final answer: a JSON object, {@code null} for Gong's empty-result 404,
 * or a {@link GongApiException}.
 */
final class GongPageFetcher {

  private static final Logger LOG = LoggerFactory.getLogger(GongPageFetcher.class);
  private static final String USER_AGENT = "gong-pipeline-client/0.1";

  private final GongClientConfig config;
  private final HttpRequestFactory requestFactory;
  private final Sleeper sleeper;
  private final Clock clock;
  private final RateLimiter rateLimiter;
  private final String authorization;
  private final StatsRecorder stats;

  GongPageFetcher(
      GongClientConfig config,
      HttpRequestFactory requestFactory,
      Sleeper sleeper,
      Clock clock,
      RateLimiter rateLimiter,
      String authorization,
      StatsRecorder stats) {
    this.config = config;
    this.requestFactory = requestFactory;
    this.sleeper = sleeper;
    this.clock = clock;
    this.rateLimiter = rateLimiter;
    this.authorization = authorization;
    this.stats = stats;
  }

  /**
   * One page, with retries. Returns the parsed JSON object, or null for Gong's empty-result 404.
   *
   * @throws GongApiException CURSOR_EXPIRED for the caller to restart, anything else when final
   */
  @Nullable
  JsonNode fetch(GongRequest request, @Nullable String cursor) throws IOException {
    GongEndpoint endpoint = request.endpoint();
    GongRetryPolicy policy = new GongRetryPolicy(endpoint, config, sleeper, clock, stats);
    while (true) {
      HttpRequest http = buildRequest(request, cursor, policy);
      http.setNumberOfRetries(policy.remainingRetries());
      HttpResponse response;
      try {
        response = http.execute();
      } catch (GongApiException e) {
        throw e;
      } catch (IOException e) {
        throw new GongApiException(
            GongApiException.Kind.IO,
            endpoint.describe(),
            0,
            null,
            List.of(),
            policy.attempts(),
            null,
            e.getClass().getSimpleName() + ": " + e.getMessage(),
            e);
      }
      int status = response.getStatusCode();
      String failure;
      Throwable cause;
      GongApiException.Kind failureKind;
      try {
        if (!response.isSuccessStatusCode()) {
          GongErrors.ErrorBody body = GongErrors.parse(policy.lastErrorBody());
          if (GongErrors.isNoResults(status, body)) {
            LOG.debug("Gong {}: no results (requestId={})", endpoint.describe(), body.requestId);
            return null;
          }
          if (GongErrors.isCursorExpired(status, body)) {
            throw GongErrors.cursorExpired(endpoint, body, policy.attempts());
          }
          if (status == 429 && policy.forgiveRateLimitedAttempt()
              && policy.waitAfterRateLimit()) {
            // The library's retry count ran out on 429s; they are waits, not failures: go on.
            continue;
          }
          throw GongErrors.forStatus(
              endpoint, status, body, policy.attempts(), policy.lastRetryAfter());
        }
        stats.request(endpoint, status);
        try {
          // Bytes, not parseAsString(): Jackson detects the UTF encoding itself, whatever charset
          // (or none) the Content-Type names.
          InputStream content = response.getContent();
          JsonNode node = content == null ? null : GongJson.mapper().readTree(content);
          if (node != null && node.isObject()) {
            return node;
          }
          failure = "2xx body is not a JSON object";
          cause = null;
          failureKind = GongApiException.Kind.MALFORMED_RESPONSE;
        } catch (JsonProcessingException e) {
          failure = "2xx body is not valid JSON: " + e.getOriginalMessage();
          cause = e;
          failureKind = GongApiException.Kind.MALFORMED_RESPONSE;
        } catch (IOException e) {
          if (e instanceof InterruptedIOException && Thread.currentThread().isInterrupted()) {
            throw e;
          }
          failure = "reading the 2xx body failed: " + e;
          cause = e;
          failureKind = GongApiException.Kind.IO;
        }
      } finally {
        response.disconnect();
      }
      if (!policy.attemptsLeft() || !policy.backOffBeforeRetry(failure)) {
        throw new GongApiException(
            failureKind,
            endpoint.describe(),
            status,
            null,
            List.of(),
            policy.attempts(),
            null,
            failure,
            cause);
      }
    }
  }

  private HttpRequest buildRequest(
      GongRequest request, @Nullable String cursor, GongRetryPolicy policy) throws IOException {
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
    http.setUnsuccessfulResponseHandler(policy);
    http.setIOExceptionHandler(policy);
    http.setSleeper(sleeper);
    http.setInterceptor(
        r -> {
          policy.beforeAttempt();
          double waitedSeconds = rateLimiter.acquire();
          stats.throttled(Math.round(waitedSeconds * 1000));
        });
    return http;
  }
}
