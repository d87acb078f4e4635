package com.gongpipeline.pipeline;

import com.gongpipeline.gong.GongEndpoint;
import com.gongpipeline.metrics.MetricNames;
import com.gongpipeline.metrics.PipelineMetric;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;

/**
 * A snapshot of a running or finished job's Beam counters, summed over steps, keyed
 * {@code namespace:name}. Used for progress lines, the job log row and the demo/bench summaries.
 */
public final class JobMetrics {
  private final Map<String, Long> counters;

  private JobMetrics(Map<String, Long> counters) {
    this.counters = counters;
  }

  /** A snapshot of given counters ({@code namespace:name} to value), e.g. in tests. */
  static JobMetrics of(Map<String, Long> counters) {
    return new JobMetrics(new TreeMap<>(counters));
  }

  public static JobMetrics of(PipelineResult result) {
    Map<String, Long> counters = new TreeMap<>();
    try {
      MetricQueryResults q = result.metrics().queryMetrics(MetricsFilter.builder().build());
      for (MetricResult<Long> c : q.getCounters()) {
        Long v = value(c);
        if (v != null) {
          counters.merge(c.getName().getNamespace() + ":" + c.getName().getName(), v, Long::sum);
        }
      }
    } catch (RuntimeException e) {
      // Some runners cannot report metrics mid-run; an empty snapshot is fine for progress.
    }
    return new JobMetrics(counters);
  }

  /** The counters of two runs of one job (e.g. a backfill's slices), summed. */
  public JobMetrics plus(JobMetrics other) {
    Map<String, Long> sum = new TreeMap<>(counters);
    other.counters.forEach((k, v) -> sum.merge(k, v, Long::sum));
    return new JobMetrics(sum);
  }

  private static Long value(MetricResult<Long> c) {
    try {
      return c.getCommitted();
    } catch (UnsupportedOperationException e) {
      return c.getAttempted();
    }
  }

  public long get(PipelineMetric metric) {
    return get(metric.namespace(), metric.name());
  }

  /**
   * HTTP attempts to Gong over all endpoints ({@code requests_<endpoint>}; the per-status
   * {@code requests_<endpoint>_<status>} counters split the same attempts and are not added).
   */
  public long gongRequests() {
    long total = 0;
    for (GongEndpoint e : GongEndpoint.values()) {
      total += get(MetricNames.gongRequests(e));
    }
    return total;
  }

  public long get(String namespace, String name) {
    return counters.getOrDefault(namespace + ":" + name, 0L);
  }

  /** Sum of the counters of a namespace whose name starts with a prefix. */
  public long sum(String namespace, String prefix) {
    long total = 0;
    for (Map.Entry<String, Long> e : counters.entrySet()) {
      if (e.getKey().startsWith(namespace + ":" + prefix)) {
        total += e.getValue();
      }
    }
    return total;
  }

  /** Counters whose name starts with a prefix, keyed by the rest of the name. */
  public Map<String, Long> byPrefix(String namespace, String prefix) {
    Map<String, Long> out = new TreeMap<>();
    String p = namespace + ":" + prefix;
    for (Map.Entry<String, Long> e : counters.entrySet()) {
      if (e.getKey().startsWith(p)) {
        out.put(e.getKey().substring(p.length()), e.getValue());
      }
    }
    return out;
  }

  public Map<String, Long> all() {
    return counters;
  }
}
