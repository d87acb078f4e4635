package com.gongpipeline.errors;

import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;

/**
 * Every stage that can dead-letter, with the name stored in {@code OPS_MONITORING.DEAD_LETTER.STAGE}
 * and the Beam counter ({@code pipeline:dead_letters_<counter>}) its DoFn increments. The metric
 * catalogue ({@code MetricNames}) lists these counters from here, so a new stage is declared once.
 */
public enum DeadLetterStage {
  LIST_CALLS("list_calls", "list_calls", FailureKind.RETRYABLE),
  FETCH_CALLS("fetch_calls", "fetch_calls", FailureKind.RETRYABLE),
  PARSE_CALL("parse_call", "parse_call", FailureKind.PERMANENT),
  RAW("raw", "raw", FailureKind.PERMANENT),
  SENTIMENT("sentiment", "sentiment", FailureKind.RETRYABLE),
  CHUNK("chunk", "chunk", FailureKind.PERMANENT),
  EMBED("embed", "embed", FailureKind.RETRYABLE),
  /** Summarising a call Gong sent no brief for (its rows are still written, without a summary). */
  SUMMARISE("summarise", "summarise", FailureKind.RETRYABLE),
  WRITE("write", "write", FailureKind.RETRYABLE),
  REPLACE_CHILDREN("replace_children", "replace_children", FailureKind.RETRYABLE),
  /** Finding or removing calls Gong no longer lists (private or deleted). */
  DELETE_CALLS("delete_calls", "delete_calls", FailureKind.RETRYABLE),
  /** Users and workspaces share one counter ({@code dead_letters_directory}). */
  LIST_USERS("list_users", "directory", FailureKind.RETRYABLE),
  LIST_WORKSPACES("list_workspaces", "directory", FailureKind.RETRYABLE);

  /** Beam namespace of the per-stage counters. */
  public static final String COUNTER_NAMESPACE = "pipeline";

  private final String stageName;
  private final String counterSuffix;
  private final FailureKind unclassifiedKind;

  DeadLetterStage(String stageName, String counterSuffix, FailureKind unclassifiedKind) {
    this.stageName = stageName;
    this.counterSuffix = counterSuffix;
    this.unclassifiedKind = unclassifiedKind;
  }

  /**
   * The kind of a failure here that carries none ({@link PipelineException#find} finds no kind):
   * stages that only transform their input (parsing, chunking, RAW rows) fail the same way on the
   * same input, so PERMANENT; stages that call a service, RETRYABLE.
   */
  public FailureKind unclassifiedKind() {
    return unclassifiedKind;
  }

  /** The value of {@code DEAD_LETTER.STAGE}, e.g. {@code list_calls}. */
  public String stageName() {
    return stageName;
  }

  /** The Beam counter name, e.g. {@code dead_letters_list_calls}. */
  public String counterName() {
    return "dead_letters_" + counterSuffix;
  }

  /** This stage's dead-letter counter (create it in a DoFn field, as Beam metrics are). */
  public Counter counter() {
    return Metrics.counter(COUNTER_NAMESPACE, counterName());
  }

  /** The stage stored under {@code name}, if any. */
  public static java.util.Optional<DeadLetterStage> byName(String name) {
    for (DeadLetterStage s : values()) {
      if (s.stageName.equals(name)) {
        return java.util.Optional.of(s);
      }
    }
    return java.util.Optional.empty();
  }
}
