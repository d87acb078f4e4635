package com.gongpipeline.metrics;

import java.io.Serializable;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Gauge;
import org.apache.beam.sdk.metrics.Metrics;

/**
 * One Beam metric the pipeline emits: namespace, name and kind. {@link MetricNames} lists them
 * all; the Prometheus endpoint, the Grafana dashboard and the status page use the names from there.
 *
 * @param namespace Beam metric namespace ({@code gong}, {@code pipeline}, {@code enrich}, …)
 * @param name Beam metric name within the namespace
 * @param kind counter, gauge or distribution
 * @param help one line for {@code # HELP} and the docs
 */
public record PipelineMetric(String namespace, String name, Kind kind, String help)
    implements Serializable {

  /** The Beam metric type. */
  public enum Kind { COUNTER, GAUGE, DISTRIBUTION }

  /** {@code namespace:name}, the key {@code JobMetrics} uses. */
  public String key() {
    return namespace + ":" + name;
  }

  /**
   * The series name in Prometheus: {@code gong_pipeline_<namespace>_<name>}, identical for the
   * DirectRunner endpoint and (after relabelling) Flink's reporter.
   */
  public String prometheusName() {
    return MetricNames.PROMETHEUS_PREFIX + namespace + "_" + name;
  }

  public Counter counter() {
    check(Kind.COUNTER);
    return Metrics.counter(namespace, name);
  }

  public Gauge gauge() {
    check(Kind.GAUGE);
    return Metrics.gauge(namespace, name);
  }

  public Distribution distribution() {
    check(Kind.DISTRIBUTION);
    return Metrics.distribution(namespace, name);
  }

  private void check(Kind expected) {
    if (kind != expected) {
      throw new IllegalStateException(key() + " is a " + kind + ", not a " + expected);
    }
  }
}
