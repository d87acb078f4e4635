package com.gongpipeline.errors;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.format.DateTimeParseException;
import org.junit.jupiter.api.Test;

/** A dead letter records its stage and the failure's kind, and survives its coder. */
class DeadLetterTest {

  @Test
  void aClassifiedFailureKeepsItsKindWhateverTheStage() {
    DeadLetter d = DeadLetter.of(DeadLetterStage.PARSE_CALL, "c1",
        new RuntimeException(new PipelineException(FailureKind.RATE_LIMITED, "429")), null, 3);
    assertThat(d.kind(), equalTo(FailureKind.RATE_LIMITED));
    assertThat(d.attempts(), equalTo(3));
  }

  @Test
  void anUnclassifiedFailureTakesItsStagesKind() {
    Exception badDate = new DateTimeParseException("bad", "not-a-date", 0);
    assertThat(DeadLetter.of(DeadLetterStage.PARSE_CALL, "c1", badDate, "{}", 1).kind(),
        equalTo(FailureKind.PERMANENT));
    assertThat(DeadLetter.of(DeadLetterStage.FETCH_CALLS, "c1", new java.io.IOException("reset"),
        null, 1).kind(), equalTo(FailureKind.RETRYABLE));
  }

  @Test
  void theCoderRoundTripsStageAndKind() throws Exception {
    DeadLetter d = DeadLetter.of(DeadLetterStage.LIST_WORKSPACES, "/v2/workspaces",
        FailureKind.FATAL_CONFIG, "401", "payload ✓");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    DeadLetterCoder.of().encode(d, out);
    DeadLetter back = DeadLetterCoder.of().decode(new ByteArrayInputStream(out.toByteArray()));
    // The coder keeps failedAt to the millisecond (the warehouse column's precision).
    assertThat(back, equalTo(new DeadLetter(d.stage(), d.recordKey(), d.kind(), d.errorMessage(),
        d.stackTrace(), d.payload(), d.attempts(),
        d.failedAt().truncatedTo(java.time.temporal.ChronoUnit.MILLIS))));
    assertThat(back.stage().stageName(), equalTo("list_workspaces"));
  }
}
