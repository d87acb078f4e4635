package com.gongpipeline.pipeline.metrics;

import com.gongpipeline.gong.GongEndpoint;
import com.gongpipeline.metrics.MetricNames;
import com.gongpipeline.metrics.PipelineMetric;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.DistributionResult;
import org.apache.beam.sdk.metrics.GaugeResult;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;

/**
 * Every Beam metric of a running or finished job at one moment, summed over steps and keyed
 * {@code namespace:name}: counters, gauges (the latest value set) and distributions.
 *
 * @param counters counter values
 * @param gauges gauge values
 * @param distributions distribution sum, count, min and max
 */
public record MetricsSnapshot(Map<String, Long> counters, Map<String, Long> gauges,
    Map<String, Dist> distributions) {

  /** A distribution's sum, count, min and max. */
  public record Dist(long sum, long count, long min, long max) {
    Dist merge(Dist o) {
      return new Dist(sum + o.sum, count + o.count, Math.min(min, o.min), Math.max(max, o.max));
    }
  }

  public static final MetricsSnapshot EMPTY = new MetricsSnapshot(Map.of(), Map.of(), Map.of());

  /** Queries the job's metrics; a runner that cannot report them mid-run gives an empty snapshot. */
  public static MetricsSnapshot of(PipelineResult result) {
    MetricQueryResults q;
    try {
      q = result.metrics().queryMetrics(MetricsFilter.builder().build());
    } catch (RuntimeException e) {
      return EMPTY;
    }
    Map<String, Long> counters = new TreeMap<>();
    for (MetricResult<Long> c : q.getCounters()) {
      Long v = value(c);
      if (v != null) {
        counters.merge(key(c), v, Long::sum);
      }
    }
    Map<String, Long> gauges = new TreeMap<>();
    Map<String, Long> gaugeTimes = new TreeMap<>();
    for (MetricResult<GaugeResult> g : q.getGauges()) {
      GaugeResult v = value(g);
      if (v == null || v.equals(GaugeResult.empty())) {
        continue;
      }
      long at = v.getTimestamp().getMillis();
      String key = key(g);
      if (!gaugeTimes.containsKey(key) || at >= gaugeTimes.get(key)) {
        gaugeTimes.put(key, at);
        gauges.put(key, v.getValue());
      }
    }
    Map<String, Dist> distributions = new TreeMap<>();
    for (MetricResult<DistributionResult> d : q.getDistributions()) {
      DistributionResult v = value(d);
      if (v != null && v.getCount() > 0) {
        distributions.merge(key(d), new Dist(v.getSum(), v.getCount(), v.getMin(), v.getMax()),
            Dist::merge);
      }
    }
    return new MetricsSnapshot(counters, gauges, distributions);
  }

  /**
   * This snapshot followed by {@code later} (the next run of one job, e.g. a backfill's next
   * slice): counters summed, distributions merged, gauges from {@code later} where it has them.
   */
  public MetricsSnapshot plus(MetricsSnapshot later) {
    Map<String, Long> c = new TreeMap<>(counters);
    later.counters.forEach((k, v) -> c.merge(k, v, Long::sum));
    Map<String, Long> g = new TreeMap<>(gauges);
    g.putAll(later.gauges);
    Map<String, Dist> d = new TreeMap<>(distributions);
    later.distributions.forEach((k, v) -> d.merge(k, v, Dist::merge));
    return new MetricsSnapshot(c, g, d);
  }

  private static String key(MetricResult<?> r) {
    return r.getName().getNamespace() + ":" + r.getName().getName();
  }

  private static <T> T value(MetricResult<T> r) {
    try {
      return r.getCommitted();
    } catch (UnsupportedOperationException e) {
      return r.getAttempted();
    }
  }

  public long counter(PipelineMetric m) {
    return counters.getOrDefault(m.key(), 0L);
  }

  /** A gauge's value, or null when it was never set. */
  public Long gauge(PipelineMetric m) {
    return gauges.get(m.key());
  }

  /** HTTP attempts to Gong over all endpoints. */
  public long gongRequests() {
    long total = 0;
    for (GongEndpoint e : GongEndpoint.values()) {
      total += counter(MetricNames.gongRequests(e));
    }
    return total;
  }

  /** Dead letters over all stages (the counter at the dead-letter writer). */
  public long deadLetters() {
    return counter(MetricNames.DEAD_LETTERS);
  }
}
