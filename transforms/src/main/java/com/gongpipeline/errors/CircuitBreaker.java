package com.gongpipeline.errors;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stops calling a service that keeps failing: after {@code failureThreshold} consecutive failures
 * of the service (not of the input) the breaker opens, and for {@code coolDown} every caller fails
 * fast without a request; then one caller is let through as a probe (half-open): its success
 * closes the breaker, its failure opens it for another cool-down. The retry loop
 * ({@link RetryPolicy}) still bounds each call; the breaker bounds how many calls pay for it, so a
 * Cortex outage costs a few batches' retries, not every batch's six attempts and minutes.
 *
 * <p>Breakers are shared per name inside a JVM ({@link #shared}), so every instance of a DoFn on a
 * worker sees the same state. Thread-safe; the clock is injected (tests use a fake one).
 */
public final class CircuitBreaker {
  /** Consecutive service failures that open the breaker. */
  public static final int DEFAULT_FAILURE_THRESHOLD = 3;
  /** How long an open breaker fails fast before it lets one probe through. */
  public static final Duration DEFAULT_COOL_DOWN = Duration.ofSeconds(60);

  private static final Map<String, CircuitBreaker> SHARED = new ConcurrentHashMap<>();

  /** The breaker's state. */
  public enum State { CLOSED, OPEN, HALF_OPEN }

  private final String name;
  private final int failureThreshold;
  private final Duration coolDown;
  private final Clock clock;
  private State state = State.CLOSED;
  private int consecutiveFailures;
  private Instant openUntil = Instant.MIN;
  private boolean probeOut;

  public CircuitBreaker(String name, int failureThreshold, Duration coolDown, Clock clock) {
    if (failureThreshold < 1) {
      throw new IllegalArgumentException("failureThreshold must be >= 1, got " + failureThreshold);
    }
    this.name = name;
    this.failureThreshold = failureThreshold;
    this.coolDown = coolDown;
    this.clock = clock;
  }

  /** The JVM's breaker called {@code name}, created with these settings on first use. */
  public static CircuitBreaker shared(String name, int failureThreshold, Duration coolDown,
      Clock clock) {
    return SHARED.computeIfAbsent(name, n -> new CircuitBreaker(n, failureThreshold, coolDown,
        clock));
  }

  /**
   * Whether a call may go out now: always when closed; when open, no until the cool-down ends,
   * then yes for exactly one caller (the probe) until it reports back.
   */
  public synchronized boolean allowRequest() {
    switch (state) {
      case CLOSED:
        return true;
      case OPEN:
        if (clock.instant().isBefore(openUntil)) {
          return false;
        }
        state = State.HALF_OPEN;
        probeOut = true;
        return true;
      default: // HALF_OPEN: the probe is out
        if (!probeOut) {
          probeOut = true;
          return true;
        }
        return false;
    }
  }

  /** The call reached the service and it answered (whatever the input's fate). */
  public synchronized void recordSuccess() {
    state = State.CLOSED;
    consecutiveFailures = 0;
    probeOut = false;
  }

  /** The service failed (down, throttled past the retries, refused credentials). */
  public synchronized void recordFailure() {
    consecutiveFailures++;
    if (state == State.HALF_OPEN || consecutiveFailures >= failureThreshold) {
      state = State.OPEN;
      openUntil = clock.instant().plus(coolDown);
      probeOut = false;
    }
  }

  public synchronized State state() {
    return state;
  }

  /** When an open breaker lets its next probe through. */
  public synchronized Instant openUntil() {
    return openUntil;
  }

  /** The failure a caller reports instead of calling while the breaker is open. */
  public PipelineException openFailure() {
    Instant until = openUntil();
    return new PipelineException(FailureKind.RETRYABLE, "circuit breaker '" + name + "' open after "
        + failureThreshold + " consecutive service failures: not calling until " + until
        + " (then one probe)", null, 0, null);
  }
}
