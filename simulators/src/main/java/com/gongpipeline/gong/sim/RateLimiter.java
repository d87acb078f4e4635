package com.gongpipeline.gong.sim;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Gong's limits per tenant (access key): a sliding one-second window of {@code requestsPerSecond}
 * requests and a daily quota that resets at UTC midnight. Rejected requests consume neither.
 *
 * <p>The window runs on a monotonic ticker (real elapsed time) rather than the simulator clock:
 * tests freeze or jump the clock to drive processing lag, and a frozen window would otherwise
 * never drain. The daily quota uses the simulator clock, so tests can move to the next day.
 */
final class RateLimiter {

  /** Outcome: allowed, or rejected with the Retry-After seconds and a message. */
  record Decision(boolean allowed, long retryAfterSeconds, String message) {}

  private static final Decision ALLOWED = new Decision(true, 0, null);

  private final int permits;
  private final long windowNanos;
  private final long dailyQuota;
  private final Clock clock;
  private final LongSupplier ticker;
  private final Map<String, Deque<Long>> windows = new HashMap<>();
  private final Map<String, Long> usedToday = new HashMap<>();
  private final Map<String, LocalDate> quotaDay = new HashMap<>();

  RateLimiter(double requestsPerSecond, long dailyQuota, Clock clock, LongSupplier ticker) {
    this.permits = requestsPerSecond <= 0 ? 0 : (int) Math.max(1, Math.floor(requestsPerSecond));
    this.windowNanos = requestsPerSecond <= 0 ? 0 : (long) (1e9 * permits / requestsPerSecond);
    this.dailyQuota = dailyQuota;
    this.clock = clock;
    this.ticker = ticker;
  }

  synchronized Decision acquire(String tenant) {
    Instant now = clock.instant();
    LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
    if (!today.equals(quotaDay.get(tenant))) {
      quotaDay.put(tenant, today);
      usedToday.put(tenant, 0L);
    }
    if (dailyQuota > 0 && usedToday.get(tenant) >= dailyQuota) {
      long toMidnight = now.until(today.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant(),
          java.time.temporal.ChronoUnit.SECONDS);
      return new Decision(false, Math.max(1, toMidnight),
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
        return new Decision(false, Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L),
            "API rate limit exceeded: too many requests per second");
      }
      window.addLast(t);
    }
    usedToday.merge(tenant, 1L, Long::sum);
    return ALLOWED;
  }
}
