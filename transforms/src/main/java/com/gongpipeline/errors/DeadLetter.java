package com.gongpipeline.errors;

import java.io.PrintWriter;
import java.io.Serializable;
import java.io.StringWriter;
import java.time.Instant;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A record that a stage could not process, kept with its original payload so that nothing is lost
 * silently (after DataflowTemplates' FailsafeElement). Every fallible stage emits these on its
 * dead-letter output; the pipeline flattens them into {@code OPS_MONITORING.DEAD_LETTER}.
 *
 * @param stage the stage that failed
 * @param recordKey the natural key of what failed (call id, window, chunk id), for re-processing
 * @param kind what kind of failure it was, so an operator can tell "retry later" from "this input
 *     is bad"
 * @param payload the original input (JSON text, possibly malformed), truncated to a bounded size
 */
public record DeadLetter(
    DeadLetterStage stage,
    String recordKey,
    FailureKind kind,
    String errorMessage,
    @Nullable String stackTrace,
    @Nullable String payload,
    int attempts,
    Instant failedAt)
    implements Serializable {

  /** Payloads above this many characters are cut, so one huge poison record cannot sink a batch. */
  public static final int MAX_PAYLOAD_CHARS = 1_000_000;

  /**
   * A dead letter for {@code error}; its kind comes from the error ({@link PipelineException}),
   * else from the stage ({@link DeadLetterStage#unclassifiedKind()}).
   */
  public static DeadLetter of(
      DeadLetterStage stage, String recordKey, Throwable error, @Nullable String payload,
      int attempts) {
    StringWriter sw = new StringWriter();
    error.printStackTrace(new PrintWriter(sw));
    String message = error.getMessage() == null ? error.getClass().getName()
        : error.getClass().getSimpleName() + ": " + error.getMessage();
    PipelineException classified = PipelineException.find(error);
    FailureKind kind = classified == null ? stage.unclassifiedKind() : classified.kind();
    return new DeadLetter(stage, recordKey, kind, message,
        sw.toString(), truncate(payload), attempts, Instant.now());
  }

  /** A dead letter without an exception (a condition the stage detected itself). */
  public static DeadLetter of(DeadLetterStage stage, String recordKey, FailureKind kind,
      String message, @Nullable String payload) {
    return new DeadLetter(stage, recordKey, kind, message, null, truncate(payload), 1,
        Instant.now());
  }

  private static @Nullable String truncate(@Nullable String payload) {
    if (payload == null || payload.length() <= MAX_PAYLOAD_CHARS) {
      return payload;
    }
    return payload.substring(0, MAX_PAYLOAD_CHARS) + "…[truncated " + payload.length() + " chars]";
  }
}
