package com.gongpipeline.errors;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;
import org.apache.beam.sdk.util.BackOff;
import org.apache.beam.sdk.util.FluentBackoff;
import org.apache.beam.sdk.util.Sleeper;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The one retry loop of the pipeline, for every remote call (a Gong page, a Cortex batch, a
 * Cortex SQL statement, a warehouse statement, opening the DuckDB file). Back-off comes from
 * Beam's {@link FluentBackoff} (exponential with jitter, capped); every wait goes through the
 * injected {@link Sleeper}, so tests record waits instead of sleeping. Callers never nest it: a
 * layer that calls a client which retries does not retry again.
 *
 * <p>What happens to a failure depends only on its {@link FailureKind} (from the {@link
 * Classifier}; by default {@link PipelineException#kindOf}):
 *
 * <ul>
 *   <li>{@link FailureKind#RETRYABLE}: waits the next back-off and tries again, up to {@code
 *       maxAttempts} attempts in all;
 *   <li>{@link FailureKind#RATE_LIMITED}: waits the service's Retry-After (else the next back-off)
 *       without using up an attempt, at most {@code maxRateLimitedWaits} times; a Retry-After longer
 *       than {@code maxRetryAfter} (a daily quota) fails at once instead of sleeping for hours;
 *   <li>{@link FailureKind#PERMANENT}, {@link FailureKind#FATAL_CONFIG}: fails at once.
 * </ul>
 *
 * All waiting together is capped by {@code maxTotalWait}, and neither it nor {@code maxRetryAfter}
 * may exceed {@link #MAX_WAIT}: a call that would wait longer fails (a long Retry-After is a
 * quota pause for the caller to handle, e.g. Gong's budget pause), so no DoFn sleeps through a
 * Flink checkpoint. The failure that ends the loop is
 * rethrown as is when it is a {@link PipelineException} (the caller built it from the attempt
 * number it was given), else wrapped in one with its kind and the attempt count.
 */
public final class RetryPolicy implements Serializable {
  private static final long serialVersionUID = 1L;

  /** One try; {@code attempt} counts from 1 (rate-limited waits do not advance it). */
  @FunctionalInterface
  public interface Attempt<T> {
    T run(int attempt) throws Exception;
  }

  /** Maps a failure to what the loop should do. */
  @FunctionalInterface
  public interface Classifier extends Serializable {
    Failure classify(Throwable error);
  }

  /** A classified failure: its kind and, for rate limiting, how long the service asked to wait. */
  public record Failure(FailureKind kind, @Nullable Duration retryAfter) {
    public static Failure of(FailureKind kind) {
      return new Failure(kind, null);
    }
  }

  /** Told before every wait (logging, retry counters, wait-time metrics). */
  @FunctionalInterface
  public interface Listener extends Serializable {
    void beforeWait(String what, int attempt, Failure failure, long waitMillis, Throwable error);
  }

  /** {@link Sleeper#DEFAULT}, but serializable, so DoFns can hold a policy. */
  private enum RealSleeper implements Sleeper {
    INSTANCE;

    @Override
    public void sleep(long millis) throws InterruptedException {
      Sleeper.DEFAULT.sleep(millis);
    }
  }

  /** The default classifier: a {@link PipelineException}'s kind and Retry-After, else RETRYABLE. */
  public static final Classifier BY_KIND = error -> {
    PipelineException p = PipelineException.find(error);
    return p == null ? Failure.of(FailureKind.RETRYABLE) : new Failure(p.kind(), p.retryAfter());
  };

  private static final Listener SILENT = (what, attempt, failure, waitMillis, error) -> {};

  /**
   * The most one call may wait in all, back-offs and Retry-After together: 5 minutes, half the
   * Flink checkpoint timeout ({@code execution.checkpointing.timeout: 10min} in
   * {@code runner-configs/flink/flink-conf.yaml}), so a DoFn blocked in a retry never makes a
   * checkpoint time out. Builders refuse larger {@code maxTotalWait} and {@code maxRetryAfter}.
   */
  public static final Duration MAX_WAIT = Duration.ofMinutes(5);

  private final int maxAttempts;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final Duration maxTotalWait;
  private final int maxRateLimitedWaits;
  private final Duration maxRetryAfter;
  private final Classifier classifier;
  private final Listener listener;
  private final Sleeper sleeper;

  private RetryPolicy(Builder b) {
    this.maxAttempts = b.maxAttempts;
    this.initialBackoff = b.initialBackoff;
    this.maxBackoff = b.maxBackoff;
    this.maxTotalWait = b.maxTotalWait;
    this.maxRateLimitedWaits = b.maxRateLimitedWaits;
    this.maxRetryAfter = b.maxRetryAfter;
    this.classifier = b.classifier;
    this.listener = b.listener;
    this.sleeper = b.sleeper;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.maxAttempts = maxAttempts;
    b.initialBackoff = initialBackoff;
    b.maxBackoff = maxBackoff;
    b.maxTotalWait = maxTotalWait;
    b.maxRateLimitedWaits = maxRateLimitedWaits;
    b.maxRetryAfter = maxRetryAfter;
    b.classifier = classifier;
    b.listener = listener;
    b.sleeper = sleeper;
    return b;
  }

  public int maxAttempts() {
    return maxAttempts;
  }

  public Duration maxRetryAfter() {
    return maxRetryAfter;
  }

  /** Runs {@code attempt} until it succeeds or its failure may not be retried (see class doc). */
  public <T> T call(String what, Attempt<T> attempt) {
    BackOff backOff = FluentBackoff.DEFAULT
        .withInitialBackoff(org.joda.time.Duration.millis(initialBackoff.toMillis()))
        .withMaxBackoff(org.joda.time.Duration.millis(maxBackoff.toMillis()))
        .backoff();
    long waited = 0;
    int rateLimitedWaits = 0;
    for (int n = 1; ; ) {
      Throwable error;
      try {
        return attempt.run(n);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new PipelineException(FailureKind.RETRYABLE, what + ": interrupted", e, n, null);
      } catch (Exception e) {
        error = e;
      }
      Failure failure = classifier.classify(error);
      long wait;
      if (failure.kind() == FailureKind.RATE_LIMITED) {
        Duration retryAfter = failure.retryAfter();
        if (retryAfter != null && retryAfter.compareTo(maxRetryAfter) > 0) {
          throw fail(what, error, failure, n, "Retry-After " + retryAfter.getSeconds()
              + " s exceeds the most we wait (" + maxRetryAfter.getSeconds() + " s)");
        }
        if (++rateLimitedWaits > maxRateLimitedWaits) {
          throw fail(what, error, failure, n, "still rate-limited after " + maxRateLimitedWaits
              + " waits");
        }
        wait = retryAfter != null ? retryAfter.toMillis() : backOff.nextBackOffMillis();
      } else if (failure.kind() == FailureKind.RETRYABLE) {
        if (n >= maxAttempts) {
          throw fail(what, error, failure, n, "gave up after " + n + " attempt(s)");
        }
        wait = backOff.nextBackOffMillis();
        n++;
      } else {
        throw fail(what, error, failure, n, null);
      }
      if (wait == BackOff.STOP || waited + wait > maxTotalWait.toMillis()) {
        throw fail(what, error, failure, n, "would wait more than " + maxTotalWait.toMillis()
            + " ms in all");
      }
      listener.beforeWait(what, n, failure, wait, error);
      try {
        sleeper.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new PipelineException(FailureKind.RETRYABLE, what + ": interrupted while waiting",
            error, n, null);
      }
      waited += wait;
    }
  }

  /** {@link #call} for an attempt with no result. */
  public void run(String what, Attempt<?> attempt) {
    call(what, attempt);
  }

  private static PipelineException fail(String what, Throwable error, Failure failure, int attempts,
      @Nullable String why) {
    if (error instanceof PipelineException p) {
      return p;
    }
    String message = what + " failed (" + failure.kind() + (why == null ? "" : ", " + why) + "): "
        + (error.getMessage() == null ? error.getClass().getName()
            : error.getClass().getSimpleName() + ": " + error.getMessage());
    return new PipelineException(failure.kind(), message, error, attempts, failure.retryAfter());
  }

  /** Builder with the defaults of a remote call: 5 attempts, 0.5 s doubling-ish to 30 s, 2 min. */
  public static final class Builder {
    private int maxAttempts = 5;
    private Duration initialBackoff = Duration.ofMillis(500);
    private Duration maxBackoff = Duration.ofSeconds(30);
    private Duration maxTotalWait = Duration.ofMinutes(2);
    private int maxRateLimitedWaits = 60;
    private Duration maxRetryAfter = Duration.ofMinutes(5);
    private Classifier classifier = BY_KIND;
    private Listener listener = SILENT;
    private Sleeper sleeper = RealSleeper.INSTANCE;

    private Builder() {}

    /** Attempts in all for {@link FailureKind#RETRYABLE} failures (1 = no retry). */
    public Builder withMaxAttempts(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("maxAttempts must be >= 1, got " + n);
      }
      this.maxAttempts = n;
      return this;
    }

    public Builder withInitialBackoff(Duration d) {
      this.initialBackoff = positive("initialBackoff", d);
      return this;
    }

    public Builder withMaxBackoff(Duration d) {
      this.maxBackoff = positive("maxBackoff", d);
      return this;
    }

    /** The cap on all waiting of one call (back-offs and rate-limited waits together). */
    public Builder withMaxTotalWait(Duration d) {
      this.maxTotalWait = atMostMaxWait("maxTotalWait", Objects.requireNonNull(d, "maxTotalWait"));
      return this;
    }

    public Builder withMaxRateLimitedWaits(int n) {
      this.maxRateLimitedWaits = n;
      return this;
    }

    /** A Retry-After above this fails at once ({@link FailureKind#RATE_LIMITED}) instead of waiting. */
    public Builder withMaxRetryAfter(Duration d) {
      this.maxRetryAfter = atMostMaxWait("maxRetryAfter",
          Objects.requireNonNull(d, "maxRetryAfter"));
      return this;
    }

    public Builder withClassifier(Classifier c) {
      this.classifier = Objects.requireNonNull(c, "classifier");
      return this;
    }

    public Builder withListener(Listener l) {
      this.listener = Objects.requireNonNull(l, "listener");
      return this;
    }

    /** Default: real sleeping. Held by DoFns, so it must be serializable to travel with one. */
    public Builder withSleeper(Sleeper s) {
      this.sleeper = Objects.requireNonNull(s, "sleeper");
      return this;
    }

    public RetryPolicy build() {
      if (maxBackoff.compareTo(initialBackoff) < 0) {
        throw new IllegalArgumentException("maxBackoff " + maxBackoff + " < initialBackoff "
            + initialBackoff);
      }
      return new RetryPolicy(this);
    }

    private static Duration atMostMaxWait(String name, Duration d) {
      if (d.compareTo(MAX_WAIT) > 0) {
        throw new IllegalArgumentException(name + " " + d + " exceeds RetryPolicy.MAX_WAIT "
            + MAX_WAIT + " (no wait may outlast a Flink checkpoint; a longer Retry-After is a "
            + "quota pause)");
      }
      return d;
    }

    private static Duration positive(String name, Duration d) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, got " + d);
      }
      return d;
    }
  }
}
