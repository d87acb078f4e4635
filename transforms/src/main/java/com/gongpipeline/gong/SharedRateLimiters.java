package com.gongpipeline.gong;

import com.google.common.util.concurrent.RateLimiter;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Guava {@link RateLimiter} per (base URL, access key) per JVM, so every client and DoFn thread
 * of a worker draws from one budget: Gong limits the <em>company</em>, not the connection.
 *
 * <p>The limiter is created with a short warm-up ({@link RateLimiter#create(double, Duration)}), which
 * never lets idle time accumulate into a burst above the configured rate (the plain "bursty" limiter
 * would allow up to one second's worth of permits at once after an idle period, enough to trip
 * Gong's 3 req/s). If two configs for the same tenant and key ask for different rates, the lower
 * rate wins. The limiter itself is per JVM; it holds job-wide because {@code GongIO} sends all of
 * a tenant's requests from one keyed stage ({@code CallGongFn}, keyed by {@link
 * GongClientFactory#tenantKey()}), which runs on one worker at a time.
 */
final class SharedRateLimiters {

  private static final Logger LOG = LoggerFactory.getLogger(SharedRateLimiters.class);
  private static final ConcurrentMap<String, RateLimiter> LIMITERS = new ConcurrentHashMap<>();

  private SharedRateLimiters() {}

  static RateLimiter forTenant(String baseUrl, String accessKey, double requestsPerSecond) {
    String key = baseUrl + "|" + accessKey;
    RateLimiter limiter = LIMITERS.computeIfAbsent(key, k -> create(requestsPerSecond));
    synchronized (limiter) {
      if (requestsPerSecond < limiter.getRate()) {
        LOG.info(
            "Lowering shared Gong rate limit for {} from {} to {} req/s",
            baseUrl,
            limiter.getRate(),
            requestsPerSecond);
        limiter.setRate(requestsPerSecond);
      }
    }
    return limiter;
  }

  static RateLimiter create(double requestsPerSecond) {
    long intervalMicros = (long) Math.ceil(1_000_000d / requestsPerSecond);
    return RateLimiter.create(requestsPerSecond, Duration.ofNanos(intervalMicros * 1000));
  }
}
