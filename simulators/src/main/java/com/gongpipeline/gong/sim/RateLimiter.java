package com.gongpipeline.gong.sim;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Gong's limits per tenant (company): a sliding window of {@code requestsPerSecond} requests and a
 * daily quota. Rejected requests consume neither.
 *
 * <p>The window runs on a monotonic ticker (real elapsed time) rather than the simulator clock:
 * tests freeze or jump the clock to drive processing lag, and a frozen window would otherwise
 * never drain. The daily quota uses the simulator clock, so tests can move to the next day; a quota
 * day is {@code quotaDayLength} long and aligned to the epoch (one day: UTC midnight to midnight).
 * In strict mode the window is Gong's 3 requests per second, whatever {@code requestsPerSecond}.
 */
final class RateLimiter {

  /** Why a request was rejected. */
  enum Reason { NONE, RATE, QUOTA }

  /** Outcome: allowed, or rejected with the reason, the Retry-After seconds and a message. */
  record Decision(boolean allowed, Reason reason, long retryAfterSeconds, String message) {}

  /** Gong's documented rate: 3 requests per second per company. */
  static final int STRICT_PERMITS_PER_SECOND = 3;

  private static final Decision ALLOWED = new Decision(true, Reason.NONE, 0, null);

  private final int permits;
  private final long windowNanos;
  private final long dailyQuota;
  private final long dayMillis;
  private final Clock clock;
  private final LongSupplier ticker;
  private final Map<String, Deque<Long>> windows = new HashMap<>();
  private final Map<String, Long> usedToday = new HashMap<>();
  private final Map<String, Long> quotaDay = new HashMap<>();

  RateLimiter(double requestsPerSecond, long dailyQuota, Clock clock, LongSupplier ticker) {
    this(requestsPerSecond, false, dailyQuota, Duration.ofDays(1), clock, ticker);
  }

  RateLimiter(double requestsPerSecond, boolean strict, long dailyQuota, Duration quotaDayLength,
      Clock clock, LongSupplier ticker) {
    double rate = strict ? STRICT_PERMITS_PER_SECOND : requestsPerSecond;
    this.permits = rate <= 0 ? 0 : (int) Math.max(1, Math.floor(rate));
    this.windowNanos = rate <= 0 ? 0 : (long) (1e9 * permits / rate);
    this.dailyQuota = dailyQuota;
    this.dayMillis = quotaDayLength.toMillis();
    this.clock = clock;
    this.ticker = ticker;
  }

  /** The limits of a simulator with this configuration. */
  static RateLimiter of(SimulatorConfig config, LongSupplier ticker) {
    return new RateLimiter(config.requestsPerSecond(), config.strictRate(), config.dailyQuota(),
        config.quotaDayLength(), config.clock(), ticker);
  }

  synchronized Decision acquire(String tenant) {
    Instant now = clock.instant();
    long day = Math.floorDiv(now.toEpochMilli(), dayMillis);
    Long current = quotaDay.get(tenant);
    if (current == null || current != day) {
      quotaDay.put(tenant, day);
      usedToday.put(tenant, 0L);
    }
    if (dailyQuota > 0 && usedToday.get(tenant) >= dailyQuota) {
      long toDayEndMillis = (day + 1) * dayMillis - now.toEpochMilli();
      return new Decision(false, Reason.QUOTA, Math.max(1, (toDayEndMillis + 999) / 1000),
          "Daily API call quota of " + dailyQuota + " requests exceeded");
    }
    if (permits > 0) {
      long t = ticker.getAsLong();
      Deque<Long> window = windows.computeIfAbsent(tenant, k -> new ArrayDeque<>());
      while (!window.isEmpty() && t - window.peekFirst() >= windowNanos) {
        window.pollFirst();
      }
      if (window.size() >= permits) {
        long waitNanos = window.peekFirst() + windowNanos - t;
        return new Decision(false, Reason.RATE,
            Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L),
            "API rate limit exceeded: too many requests per second");
      }
      window.addLast(t);
    }
    usedToday.merge(tenant, 1L, Long::sum);
    return ALLOWED;
  }
}
