package com.gongpipeline.errors;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.sameInstance;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.beam.sdk.util.Sleeper;
import org.junit.jupiter.api.Test;

/** The one retry loop: what each failure kind does, the caps, and that waits are recorded. */
class RetryPolicyTest {

  private final List<Long> waits = new ArrayList<>();
  private final Sleeper recording = waits::add;

  private RetryPolicy.Builder policy() {
    return RetryPolicy.builder().withSleeper(recording)
        .withInitialBackoff(Duration.ofMillis(100)).withMaxBackoff(Duration.ofSeconds(2));
  }

  @Test
  void retryableFailuresAreRetriedUpToMaxAttemptsThenTheLastErrorIsThrown() {
    AtomicInteger calls = new AtomicInteger();
    PipelineException last = new PipelineException(FailureKind.RETRYABLE, "still down");
    PipelineException thrown = assertThrows(PipelineException.class,
        () -> policy().withMaxAttempts(4).build().call("thing", n -> {
          calls.incrementAndGet();
          throw last;
        }));
    assertThat(calls.get(), equalTo(4));
    assertThat(thrown, sameInstance(last));
    assertThat(waits, hasSize(3));
    assertThat(waits, everyItem(allOf(greaterThan(0L), lessThanOrEqualTo(2000L))));
  }

  @Test
  void succeedsOnALaterAttemptAndPassesTheAttemptNumber() {
    List<Integer> seen = new ArrayList<>();
    String result = policy().build().call("thing", n -> {
      seen.add(n);
      if (n < 3) {
        throw new java.io.IOException("reset");
      }
      return "ok";
    });
    assertThat(result, equalTo("ok"));
    assertThat(seen, equalTo(List.of(1, 2, 3)));
    assertThat(waits, hasSize(2));
  }

  @Test
  void permanentAndFatalFailuresAreNotRetried() {
    for (FailureKind kind : List.of(FailureKind.PERMANENT, FailureKind.FATAL_CONFIG)) {
      AtomicInteger calls = new AtomicInteger();
      PipelineException e = assertThrows(PipelineException.class,
          () -> policy().build().call("thing", n -> {
            calls.incrementAndGet();
            throw new PipelineException(kind, "no");
          }));
      assertThat(e.kind(), equalTo(kind));
      assertThat(calls.get(), equalTo(1));
    }
    assertThat(waits, hasSize(0));
  }

  @Test
  void rateLimitedWaitsHonourRetryAfterAndUseUpNoAttempts() {
    AtomicInteger calls = new AtomicInteger();
    String result = policy().withMaxAttempts(1).build().call("thing", n -> {
      if (calls.incrementAndGet() <= 3) {
        throw new PipelineException(FailureKind.RATE_LIMITED, "429", null, n,
            Duration.ofSeconds(7));
      }
      return "ok";
    });
    assertThat(result, equalTo("ok"));
    assertThat(waits, equalTo(List.of(7000L, 7000L, 7000L)));
  }

  @Test
  void aRetryAfterBeyondTheMaximumFailsAtOnceInsteadOfSleepingForHours() {
    PipelineException e = assertThrows(PipelineException.class,
        () -> policy().withMaxRetryAfter(Duration.ofMinutes(5)).build().call("thing", n -> {
          throw new PipelineException(FailureKind.RATE_LIMITED, "quota", null, n,
              Duration.ofHours(9));
        }));
    assertThat(e.kind(), equalTo(FailureKind.RATE_LIMITED));
    assertThat(waits, hasSize(0));
  }

  @Test
  void rateLimitedWaitsAreCappedInNumberAndAllWaitingInTotal() {
    assertThrows(PipelineException.class,
        () -> policy().withMaxRateLimitedWaits(2).build().call("thing", n -> {
          throw new PipelineException(FailureKind.RATE_LIMITED, "429", null, n,
              Duration.ofSeconds(1));
        }));
    assertThat(waits, hasSize(2));
    waits.clear();
    PipelineException e = assertThrows(PipelineException.class,
        () -> policy().withMaxTotalWait(Duration.ofSeconds(10)).build().call("thing", n -> {
          throw new PipelineException(FailureKind.RATE_LIMITED, "429", null, n,
              Duration.ofSeconds(4));
        }));
    assertThat(waits, equalTo(List.of(4000L, 4000L)));
    assertThat(e.kind(), equalTo(FailureKind.RATE_LIMITED));
  }

  /** Issue 11 item 8: no policy may wait longer than MAX_WAIT (below the checkpoint timeout). */
  @Test
  void noPolicyWaitsLongerThanMaxWait() {
    assertThrows(IllegalArgumentException.class,
        () -> policy().withMaxTotalWait(RetryPolicy.MAX_WAIT.plusSeconds(1)));
    assertThrows(IllegalArgumentException.class,
        () -> policy().withMaxRetryAfter(Duration.ofMinutes(30)));
    PipelineException e = assertThrows(PipelineException.class,
        () -> policy().withMaxTotalWait(RetryPolicy.MAX_WAIT).build().call("thing", n -> {
          throw new PipelineException(FailureKind.RATE_LIMITED, "429", null, n,
              Duration.ofMinutes(2));
        }));
    assertThat(waits, equalTo(List.of(120_000L, 120_000L)));
    assertThat(e.kind(), equalTo(FailureKind.RATE_LIMITED));
  }

  @Test
  void anUnclassifiedErrorIsWrappedWithItsKindAndAttemptsAndTheListenerHearsEveryWait() {
    List<String> heard = new ArrayList<>();
    PipelineException e = assertThrows(PipelineException.class,
        () -> policy().withMaxAttempts(2)
            .withListener((what, n, f, ms, err) -> heard.add(what + "#" + n + ":" + f.kind()))
            .build().call("GET /thing", n -> {
              throw new IOException("connection reset");
            }));
    assertThat(e.kind(), equalTo(FailureKind.RETRYABLE));
    assertThat(e.attempts(), equalTo(2));
    assertThat(e.getMessage(), allOf(containsString("GET /thing"),
        containsString("connection reset")));
    assertThat(heard, equalTo(List.of("GET /thing#2:RETRYABLE")));
  }

  @Test
  void aCustomClassifierDecides() {
    AtomicInteger calls = new AtomicInteger();
    assertThrows(PipelineException.class, () -> policy()
        .withClassifier(err -> RetryPolicy.Failure.of(FailureKind.PERMANENT)).build()
        .call("thing", n -> {
          calls.incrementAndGet();
          throw new IOException("x");
        }));
    assertThat(calls.get(), equalTo(1));
  }

  @Test
  void interruptionStopsTheLoopAndKeepsTheInterruptFlag() {
    RetryPolicy p = RetryPolicy.builder().withSleeper(ms -> {
      throw new InterruptedException();
    }).build();
    assertThrows(PipelineException.class, () -> p.call("thing", n -> {
      throw new IOException("x");
    }));
    assertThat(Thread.interrupted(), equalTo(true));
  }

  @Test
  void theDefaultPolicySurvivesJavaSerializationAsDoFnsNeed() throws Exception {
    RetryPolicy p = RetryPolicy.builder().withMaxAttempts(3).build();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(p);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      RetryPolicy copy = (RetryPolicy) in.readObject();
      assertThat(copy.maxAttempts(), equalTo(3));
      assertThat(copy.call("thing", n -> "ok"), equalTo("ok"));
    }
  }

  @Test
  void kindOfReadsTheCauseChain() {
    assertThat(PipelineException.kindOf(new RuntimeException(
        new PipelineException(FailureKind.PERMANENT, "bad row"))), equalTo(FailureKind.PERMANENT));
    assertThat(PipelineException.kindOf(new IllegalStateException("?")),
        equalTo(FailureKind.RETRYABLE));
  }
}
