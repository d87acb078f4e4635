package com.gongpipeline.metrics;

/**
 * An API endpoint as the metric catalogue names it, so {@link MetricNames} can key per-endpoint
 * counters without knowing any client's types (the Gong client's {@code GongEndpoint} implements
 * it; the metrics package depends on nothing above it).
 */
public interface MeteredEndpoint {
  /** Short name used in metric names, e.g. {@code calls_extensive} in {@code requests_calls_extensive}. */
  String metricName();

  /** {@code "METHOD /path"}, used in the metric's help text. */
  String describe();
}
