package com.gongpipeline.errors;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.gongpipeline.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Issue 11 item 8: a service that keeps failing is not called until a cool-down, then probed. */
class CircuitBreakerTest {
  final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
  final CircuitBreaker breaker = new CircuitBreaker("cortex", 3, Duration.ofSeconds(60), clock);

  @Test
  void opensAfterConsecutiveFailuresFailsFastThenLetsOneProbeThrough() {
    for (int i = 0; i < 3; i++) {
      assertThat(breaker.allowRequest(), equalTo(true));
      breaker.recordFailure();
    }
    assertThat(breaker.state(), equalTo(CircuitBreaker.State.OPEN));
    assertThat(breaker.allowRequest(), equalTo(false));
    clock.advance(Duration.ofSeconds(59));
    assertThat(breaker.allowRequest(), equalTo(false));
    assertThat(breaker.openFailure().kind(), equalTo(FailureKind.RETRYABLE));
    assertThat(breaker.openFailure().getMessage(), containsString("open after 3"));

    clock.advance(Duration.ofSeconds(1));
    assertThat("one probe", breaker.allowRequest(), equalTo(true));
    assertThat("only one", breaker.allowRequest(), equalTo(false));
    breaker.recordFailure();
    assertThat("a failed probe reopens at once", breaker.state(),
        equalTo(CircuitBreaker.State.OPEN));
    assertThat(breaker.openUntil(), equalTo(clock.instant().plusSeconds(60)));
    assertThat(breaker.allowRequest(), equalTo(false));

    clock.advance(Duration.ofSeconds(60));
    assertThat(breaker.allowRequest(), equalTo(true));
    breaker.recordSuccess();
    assertThat(breaker.state(), equalTo(CircuitBreaker.State.CLOSED));
    assertThat(breaker.allowRequest(), equalTo(true));
    assertThat(breaker.allowRequest(), equalTo(true));
  }

  @Test
  void aSuccessResetsTheCount() {
    breaker.recordFailure();
    breaker.recordFailure();
    breaker.recordSuccess();
    breaker.recordFailure();
    breaker.recordFailure();
    assertThat(breaker.state(), equalTo(CircuitBreaker.State.CLOSED));
  }
}
