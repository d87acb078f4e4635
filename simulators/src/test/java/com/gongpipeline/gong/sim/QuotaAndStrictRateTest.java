package com.gongpipeline.gong.sim;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import com.gongpipeline.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The simulator's budget modes: a daily quota with a test-sized day (429 with a Retry-After to the
 * day's end once spent, served again the next day) and Gong's strict 3 requests per sliding second,
 * whose 429s are counted apart from every other 429.
 */
class QuotaAndStrictRateTest {

  @Test
  void aSpentQuotaAnswers429WithRetryAfterToTheDaysEndThenTheNextDayIsServed() throws Exception {
    // Ten-minute "days" aligned to the epoch: 12:00–12:10, 12:10–12:20, ...
    MutableClock clock = new MutableClock(Instant.parse("2026-02-01T12:03:00Z"));
    try (GongSimulator sim = GongSimulator.start(SimFixtures.config().clock(clock)
        .dailyQuota(4).quotaDayLength(Duration.ofMinutes(10)).build())) {
      SimHttp http = new SimHttp(sim);
      for (int i = 0; i < 4; i++) {
        assertThat(http.get("/v2/workspaces").status(), is(200));
      }
      SimHttp.Response spent = http.get("/v2/workspaces");
      assertThat(spent.status(), is(429));
      assertThat(spent.header("Retry-After").orElseThrow(), is("420"));
      clock.advance(Duration.ofSeconds(410));
      SimHttp.Response later = http.post("/v2/calls/transcript",
          SimFixtures.transcriptBody(java.util.List.of("1")));
      assertThat(later.status(), is(429));
      assertThat(later.header("Retry-After").orElseThrow(), is("10"));

      clock.set(Instant.parse("2026-02-01T12:10:00Z"));
      for (int i = 0; i < 4; i++) {
        assertThat("the next day has its whole quota", http.get("/v2/workspaces").status(), is(200));
      }
      assertThat(http.get("/v2/workspaces").status(), is(429));

      SimulatorStats stats = sim.stats();
      assertThat(stats.quotaExhausted(), is(3L));
      assertThat(stats.rateLimited(), is(0L));
      assertThat(stats.tooManyRequests(), is(3L));
      assertThat(stats.requests("GET /v2/workspaces", 200), is(8L));
    }
  }

  @Test
  void theDefaultQuotaDayRunsFromUtcMidnightToUtcMidnight() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-02-01T23:59:00Z"));
    try (GongSimulator sim = GongSimulator.start(SimFixtures.config().clock(clock).dailyQuota(1).build())) {
      SimHttp http = new SimHttp(sim);
      assertThat(http.get("/v2/workspaces").status(), is(200));
      assertThat(http.get("/v2/workspaces").header("Retry-After").orElseThrow(), is("60"));
      clock.set(Instant.parse("2026-02-02T00:00:00Z"));
      assertThat(http.get("/v2/workspaces").status(), is(200));
    }
  }

  @Test
  void strictRateOverHttp_theFourthRequestInsideOneSecondIsA429AndCounted() throws Exception {
    // requestsPerSecond(0) (no limit) is overridden by strict mode.
    try (GongSimulator sim = GongSimulator.start(SimFixtures.config().strictRate(true).build())) {
      SimHttp http = new SimHttp(sim);
      long start = System.nanoTime();
      int[] statuses = new int[4];
      for (int i = 0; i < 4; i++) {
        statuses[i] = http.get("/v2/workspaces").status();
      }
      org.junit.jupiter.api.Assumptions.assumeTrue(System.nanoTime() - start < 900_000_000L,
          "four local requests took most of a second: the machine is too busy to tell");
      assertThat(statuses, is(new int[] {200, 200, 200, 429}));
      SimulatorStats stats = sim.stats();
      assertThat(stats.rateLimited(), is(1L));
      assertThat(stats.quotaExhausted(), is(0L));
      assertThat(stats.requests("GET /v2/workspaces", 429), is(1L));
    }
  }

  @Test
  void strictRateIsASlidingSecond() {
    AtomicLong nanos = new AtomicLong();
    RateLimiter limiter = RateLimiter.of(SimFixtures.config().strictRate(true).build(), nanos::get);
    for (int i = 0; i < 3; i++) {
      assertThat(limiter.acquire("company").allowed(), is(true));
      nanos.addAndGet(300_000_000L); // t = 0, 0.3, 0.6 s
    }
    nanos.set(900_000_000L);
    RateLimiter.Decision fourth = limiter.acquire("company");
    assertThat(fourth.allowed(), is(false));
    assertThat(fourth.reason(), is(RateLimiter.Reason.RATE));
    assertThat(fourth.retryAfterSeconds(), is(1L));
    nanos.set(1_000_000_000L); // the request at t = 0 has left the window
    assertThat(limiter.acquire("company").allowed(), is(true));
    nanos.set(1_200_000_000L); // 0.3, 0.6, 1.0 still inside
    assertThat(limiter.acquire("company").allowed(), is(false));
    nanos.set(1_300_000_000L);
    assertThat(limiter.acquire("company").allowed(), is(true));
  }

  @Test
  void withoutStrictModeTheConfiguredRateApplies() {
    AtomicLong nanos = new AtomicLong();
    RateLimiter limiter = RateLimiter.of(SimFixtures.config().requestsPerSecond(10).build(), nanos::get);
    for (int i = 0; i < 10; i++) {
      assertThat(limiter.acquire("company").allowed(), is(true));
    }
    assertThat(limiter.acquire("company").allowed(), is(false));
  }
}
