package com.gongpipeline.metrics;

import java.io.Serializable;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Gauge;

/**
 * A Beam distribution plus its mirrors {@code X_sum}, {@code X_count} (counters) and {@code X_max}
 * (gauge: the largest value this worker JVM has seen), because Flink's Prometheus reporter exports
 * distributions as 0. Use it as a DoFn field in place of {@code Metrics.distribution}.
 */
public final class MirroredDistribution implements Serializable {
  private static final Map<String, AtomicLong> MAX_BY_METRIC = new ConcurrentHashMap<>();

  private final String key;
  private final Distribution distribution;
  private final Counter sum;
  private final Counter count;
  private final Gauge max;

  private MirroredDistribution(PipelineMetric metric) {
    this.key = metric.key();
    this.distribution = metric.distribution();
    this.sum = MetricNames.sumOf(metric).counter();
    this.count = MetricNames.countOf(metric).counter();
    this.max = MetricNames.maxOf(metric).gauge();
  }

  /** The mirrored distribution of a {@link PipelineMetric.Kind#DISTRIBUTION} metric. */
  public static MirroredDistribution of(PipelineMetric metric) {
    return new MirroredDistribution(metric);
  }

  public void update(long value) {
    distribution.update(value);
    sum.inc(value);
    count.inc();
    max.set(MAX_BY_METRIC.computeIfAbsent(key, k -> new AtomicLong(Long.MIN_VALUE))
        .accumulateAndGet(value, Math::max));
  }
}
