package com.gongpipeline.errors;

import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;

/**
 * Every stage that can dead-letter, with the name stored in {@code OPS_MONITORING.DEAD_LETTER.STAGE}
 * and the Beam counter ({@code pipeline:dead_letters_<counter>}) its DoFn increments. The metric
 * catalogue ({@code MetricNames}) lists these counters from here, so a new stage is declared once.
 */
public enum DeadLetterStage {
  LIST_CALLS("list_calls", "list_calls"),
  FETCH_CALLS("fetch_calls", "fetch_calls"),
  PARSE_CALL("parse_call", "parse_call"),
  RAW("raw", "raw"),
  SENTIMENT("sentiment", "sentiment"),
  CHUNK("chunk", "chunk"),
  EMBED("embed", "embed"),
  WRITE("write", "write"),
  REPLACE_CHILDREN("replace_children", "replace_children"),
  /** Users and workspaces share one counter ({@code dead_letters_directory}). */
  LIST_USERS("list_users", "directory"),
  LIST_WORKSPACES("list_workspaces", "directory");

  /** Beam namespace of the per-stage counters. */
  public static final String COUNTER_NAMESPACE = "pipeline";

  private final String stageName;
  private final String counterSuffix;

  DeadLetterStage(String stageName, String counterSuffix) {
    this.stageName = stageName;
    this.counterSuffix = counterSuffix;
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
