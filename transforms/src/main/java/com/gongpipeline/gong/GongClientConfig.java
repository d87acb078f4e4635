package com.gongpipeline.gong;

import com.gongpipeline.security.CleartextPolicy;
import java.io.Serializable;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Immutable, Serializable settings for {@link HttpGongClient}. This is what a Beam transform
 * carries in its graph; the live client (sockets, rate limiter, resolved secret) is built from it in
 * the DoFn's {@code @Setup}.
 *
 * <p>Defaults follow Gong's documented limits (3 requests/s per company, Retry-After on 429, ~1 h
 * cursor lifetime, ≤100 call ids per request): see {@code /work/shared/reference/gong-api.md} §1.3–1.5.
 *
 * <pre>{@code
 * GongClientConfig config = GongClientConfig.builder()
 *     .baseUrl("https://us-12345.api.gong.io")
 *     .credentials(GongCredentials.fromEnv())
 *     .build();
 * }</pre>
 */
public final class GongClientConfig implements Serializable {

  private static final long serialVersionUID = 1L;

  public static final double DEFAULT_REQUESTS_PER_SECOND = 2.5;
  public static final int DEFAULT_MAX_ATTEMPTS = 8;
  public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(500);
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(60);
  /**
   * A Retry-After above this is a quota pause, not a wait: at most {@code RetryPolicy.MAX_WAIT}
   * (5 minutes), so no DoFn sleeps through a Flink checkpoint (it was 30 minutes).
   */
  public static final Duration DEFAULT_MAX_RETRY_AFTER = Duration.ofMinutes(5);
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(60);
  public static final int DEFAULT_MAX_CALL_IDS_PER_REQUEST = 100;
  public static final int DEFAULT_CURSOR_EXPIRY_RESTARTS = 3;
  /** 64 MiB: far above any Gong page of 100 calls, far below a worker's heap. */
  public static final long DEFAULT_MAX_RESPONSE_BYTES = 64L * 1024 * 1024;

  private final String baseUrl;
  private final GongCredentials credentials;
  private final double requestsPerSecond;
  private final int maxAttempts;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final Duration maxRetryAfter;
  private final Duration connectTimeout;
  private final Duration readTimeout;
  private final boolean includePrivateCalls;
  private final int maxCallIdsPerRequest;
  private final int cursorExpiryRestarts;
  private final long maxResponseBytes;

  private GongClientConfig(Builder b) {
    this.baseUrl = b.baseUrl;
    this.credentials = b.credentials;
    this.requestsPerSecond = b.requestsPerSecond;
    this.maxAttempts = b.maxAttempts;
    this.initialBackoff = b.initialBackoff;
    this.maxBackoff = b.maxBackoff;
    this.maxRetryAfter = b.maxRetryAfter;
    this.connectTimeout = b.connectTimeout;
    this.readTimeout = b.readTimeout;
    this.includePrivateCalls = b.includePrivateCalls;
    this.maxCallIdsPerRequest = b.maxCallIdsPerRequest;
    this.cursorExpiryRestarts = b.cursorExpiryRestarts;
    this.maxResponseBytes = b.maxResponseBytes;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder pre-filled with this config's values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.baseUrl = baseUrl;
    b.credentials = credentials;
    b.requestsPerSecond = requestsPerSecond;
    b.maxAttempts = maxAttempts;
    b.initialBackoff = initialBackoff;
    b.maxBackoff = maxBackoff;
    b.maxRetryAfter = maxRetryAfter;
    b.connectTimeout = connectTimeout;
    b.readTimeout = readTimeout;
    b.includePrivateCalls = includePrivateCalls;
    b.maxCallIdsPerRequest = maxCallIdsPerRequest;
    b.cursorExpiryRestarts = cursorExpiryRestarts;
    b.maxResponseBytes = maxResponseBytes;
    return b;
  }

  /** Tenant base URL without a trailing slash, e.g. {@code https://us-12345.api.gong.io}. */
  public String baseUrl() {
    return baseUrl;
  }

  public GongCredentials credentials() {
    return credentials;
  }

  /** Client-side budget shared by all clients for the same (baseUrl, access key) in one JVM. */
  public double requestsPerSecond() {
    return requestsPerSecond;
  }

  /** Total HTTP attempts per request (first try included) for retryable failures. */
  public int maxAttempts() {
    return maxAttempts;
  }

  public Duration initialBackoff() {
    return initialBackoff;
  }

  public Duration maxBackoff() {
    return maxBackoff;
  }

  /** A 429 asking to wait longer than this fails with {@code QUOTA_EXHAUSTED} instead of sleeping. */
  public Duration maxRetryAfter() {
    return maxRetryAfter;
  }

  public Duration connectTimeout() {
    return connectTimeout;
  }

  public Duration readTimeout() {
    return readTimeout;
  }

  /** Whether calls flagged {@code isPrivate} are kept (default: dropped). */
  public boolean includePrivateCalls() {
    return includePrivateCalls;
  }

  public int maxCallIdsPerRequest() {
    return maxCallIdsPerRequest;
  }

  /** How many times one pagination sequence is restarted from page 1 after "cursor has expired". */
  public int cursorExpiryRestarts() {
    return cursorExpiryRestarts;
  }

  /**
   * The most bytes one response body may have; a bigger one fails its request with {@code
   * BODY_TOO_LARGE} (read no further, so it never exhausts the heap).
   */
  public long maxResponseBytes() {
    return maxResponseBytes;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof GongClientConfig)) {
      return false;
    }
    GongClientConfig that = (GongClientConfig) o;
    return Double.compare(requestsPerSecond, that.requestsPerSecond) == 0
        && maxAttempts == that.maxAttempts
        && includePrivateCalls == that.includePrivateCalls
        && maxCallIdsPerRequest == that.maxCallIdsPerRequest
        && cursorExpiryRestarts == that.cursorExpiryRestarts
        && maxResponseBytes == that.maxResponseBytes
        && baseUrl.equals(that.baseUrl)
        && credentials.equals(that.credentials)
        && initialBackoff.equals(that.initialBackoff)
        && maxBackoff.equals(that.maxBackoff)
        && maxRetryAfter.equals(that.maxRetryAfter)
        && connectTimeout.equals(that.connectTimeout)
        && readTimeout.equals(that.readTimeout);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        baseUrl,
        credentials,
        requestsPerSecond,
        maxAttempts,
        initialBackoff,
        maxBackoff,
        maxRetryAfter,
        connectTimeout,
        readTimeout,
        includePrivateCalls,
        maxCallIdsPerRequest,
        cursorExpiryRestarts,
        maxResponseBytes);
  }

  @Override
  public String toString() {
    return "GongClientConfig{baseUrl="
        + baseUrl
        + ", credentials="
        + credentials
        + ", requestsPerSecond="
        + requestsPerSecond
        + ", maxAttempts="
        + maxAttempts
        + ", initialBackoff="
        + initialBackoff
        + ", maxBackoff="
        + maxBackoff
        + ", maxRetryAfter="
        + maxRetryAfter
        + ", connectTimeout="
        + connectTimeout
        + ", readTimeout="
        + readTimeout
        + ", includePrivateCalls="
        + includePrivateCalls
        + ", maxCallIdsPerRequest="
        + maxCallIdsPerRequest
        + ", cursorExpiryRestarts="
        + cursorExpiryRestarts
        + ", maxResponseBytes="
        + maxResponseBytes
        + "}";
  }

  /** Mutable builder; {@link #build()} validates and normalises. */
  public static final class Builder {
    private String baseUrl;
    private GongCredentials credentials;
    private double requestsPerSecond = DEFAULT_REQUESTS_PER_SECOND;
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;
    private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
    private Duration maxRetryAfter = DEFAULT_MAX_RETRY_AFTER;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration readTimeout = DEFAULT_READ_TIMEOUT;
    private boolean includePrivateCalls = false;
    private int maxCallIdsPerRequest = DEFAULT_MAX_CALL_IDS_PER_REQUEST;
    private int cursorExpiryRestarts = DEFAULT_CURSOR_EXPIRY_RESTARTS;
    private long maxResponseBytes = DEFAULT_MAX_RESPONSE_BYTES;

    private Builder() {}

    /** Required. The tenant's own host, e.g. {@code https://us-12345.api.gong.io}; no path. */
    public Builder baseUrl(String baseUrl) {
      this.baseUrl = baseUrl;
      return this;
    }

    /** Required. */
    public Builder credentials(GongCredentials credentials) {
      this.credentials = credentials;
      return this;
    }

    /** Default 2.5 (Gong allows 3/s per company; leave headroom for other integrations). */
    public Builder requestsPerSecond(double requestsPerSecond) {
      this.requestsPerSecond = requestsPerSecond;
      return this;
    }

    /** Default 8. */
    public Builder maxAttempts(int maxAttempts) {
      this.maxAttempts = maxAttempts;
      return this;
    }

    /** Default 500 ms. */
    public Builder initialBackoff(Duration initialBackoff) {
      this.initialBackoff = initialBackoff;
      return this;
    }

    /** Default 60 s. */
    public Builder maxBackoff(Duration maxBackoff) {
      this.maxBackoff = maxBackoff;
      return this;
    }

    /** Default 5 min, at most {@code RetryPolicy.MAX_WAIT}; a longer Retry-After is a quota pause. */
    public Builder maxRetryAfter(Duration maxRetryAfter) {
      this.maxRetryAfter = maxRetryAfter;
      return this;
    }

    /** Default 10 s. */
    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = connectTimeout;
      return this;
    }

    /** Default 60 s. */
    public Builder readTimeout(Duration readTimeout) {
      this.readTimeout = readTimeout;
      return this;
    }

    /** Default false: private calls are dropped. */
    public Builder includePrivateCalls(boolean includePrivateCalls) {
      this.includePrivateCalls = includePrivateCalls;
      return this;
    }

    /** Default 100 (the value validated on live tenants). */
    public Builder maxCallIdsPerRequest(int maxCallIdsPerRequest) {
      this.maxCallIdsPerRequest = maxCallIdsPerRequest;
      return this;
    }

    /** Default 3. */
    /** Cap on one response body (default {@link #DEFAULT_MAX_RESPONSE_BYTES}). */
    public Builder maxResponseBytes(long maxResponseBytes) {
      this.maxResponseBytes = maxResponseBytes;
      return this;
    }

    public Builder cursorExpiryRestarts(int cursorExpiryRestarts) {
      this.cursorExpiryRestarts = cursorExpiryRestarts;
      return this;
    }

    public GongClientConfig build() {
      baseUrl = normaliseBaseUrl(baseUrl);
      check(credentials != null, "credentials() is required");
      check(
          requestsPerSecond > 0 && !Double.isInfinite(requestsPerSecond),
          "requestsPerSecond must be > 0 and finite, was " + requestsPerSecond);
      check(maxAttempts >= 1, "maxAttempts must be >= 1, was " + maxAttempts);
      checkPositive(initialBackoff, "initialBackoff");
      checkPositive(maxBackoff, "maxBackoff");
      check(
          maxBackoff.compareTo(initialBackoff) >= 0,
          "maxBackoff (" + maxBackoff + ") must be >= initialBackoff (" + initialBackoff + ")");
      check(
          maxBackoff.toMillis() <= Integer.MAX_VALUE,
          "maxBackoff too large: " + maxBackoff);
      check(
          maxRetryAfter != null && !maxRetryAfter.isNegative()
              && maxRetryAfter.compareTo(com.gongpipeline.errors.RetryPolicy.MAX_WAIT) <= 0,
          "maxRetryAfter must be between 0 and " + com.gongpipeline.errors.RetryPolicy.MAX_WAIT
              + " (a longer Retry-After is a quota pause), was " + maxRetryAfter);
      checkPositive(connectTimeout, "connectTimeout");
      checkPositive(readTimeout, "readTimeout");
      check(
          connectTimeout.toMillis() <= Integer.MAX_VALUE && readTimeout.toMillis() <= Integer.MAX_VALUE,
          "timeouts too large");
      check(
          maxCallIdsPerRequest >= 1,
          "maxCallIdsPerRequest must be >= 1, was " + maxCallIdsPerRequest);
      check(
          maxResponseBytes >= 1024,
          "maxResponseBytes must be >= 1024, was " + maxResponseBytes);
      check(
          cursorExpiryRestarts >= 0,
          "cursorExpiryRestarts must be >= 0, was " + cursorExpiryRestarts);
      return new GongClientConfig(this);
    }

    private static String normaliseBaseUrl(String raw) {
      check(raw != null && !raw.isBlank(), "baseUrl() is required (e.g. https://us-12345.api.gong.io)");
      String trimmed = raw.trim();
      while (trimmed.endsWith("/")) {
        trimmed = trimmed.substring(0, trimmed.length() - 1);
      }
      // Checked first and without echoing the value: "https://key:secret@host" must not leak.
      check(
          !trimmed.contains("@"),
          "baseUrl must not carry credentials or '@'; use credentials() instead");
      URI uri;
      try {
        uri = new URI(trimmed);
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException("baseUrl is not a valid URL: " + trimmed, e);
      }
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      check(
          scheme.equals("https") || scheme.equals("http"),
          "baseUrl must be an http(s) URL, was: " + trimmed);
      check(uri.getHost() != null, "baseUrl has no host: " + trimmed);
      CleartextPolicy.requireSecureTransport("--gongBaseUrl (baseUrl)", trimmed);
      check(
          uri.getRawQuery() == null && uri.getRawFragment() == null,
          "baseUrl must not have a query or fragment: " + trimmed);
      String path = uri.getRawPath() == null ? "" : uri.getRawPath();
      check(
          path.isEmpty(),
          "baseUrl must be the host only (paths such as /v2 are added by the client), was: "
              + trimmed);
      return trimmed;
    }

    private static void checkPositive(Duration d, String name) {
      check(d != null && !d.isNegative() && !d.isZero(), name + " must be > 0, was " + d);
    }

    private static void check(boolean condition, String message) {
      if (!condition) {
        throw new IllegalArgumentException(message);
      }
    }
  }
}
