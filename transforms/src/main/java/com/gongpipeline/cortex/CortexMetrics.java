package com.gongpipeline.cortex;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;

/**
 * What the Cortex client counts, twice: as Beam metrics in namespace {@value #NAMESPACE} (they are
 * attributed to the step whose DoFn made the call; outside a pipeline they are no-ops) and as
 * plain counters for {@link CortexEmbedder#stats()}.
 *
 * <p>Beam names: {@code requests} and {@code requests_<status>} (0 = I/O failure), {@code texts},
 * {@code tokens} ({@code usage.total_tokens}), {@code retries}, {@code throttled_429}, {@code
 * failures} (batches given up on or rejected), {@code latency_ms} (a distribution) and, because
 * Flink reports distributions as 0, {@code latency_ms_sum} + {@code latency_ms_count} counters.
 */
final class CortexMetrics {
  static final String NAMESPACE = "cortex";

  private final Distribution latency = Metrics.distribution(NAMESPACE, "latency_ms");
  private final Map<Integer, AtomicLong> byStatus = new ConcurrentHashMap<>();
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong texts = new AtomicLong();
  private final AtomicLong tokens = new AtomicLong();
  private final AtomicLong retries = new AtomicLong();
  private final AtomicLong throttled = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final AtomicLong latencySum = new AtomicLong();

  void response(int status, long millis) {
    requests.incrementAndGet();
    byStatus.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
    latencySum.addAndGet(millis);
    Metrics.counter(NAMESPACE, "requests").inc();
    Metrics.counter(NAMESPACE, "requests_" + status).inc();
    latency.update(millis);
    Metrics.counter(NAMESPACE, "latency_ms_sum").inc(millis);
    Metrics.counter(NAMESPACE, "latency_ms_count").inc();
    if (status == 429) {
      throttled.incrementAndGet();
      Metrics.counter(NAMESPACE, "throttled_429").inc();
    }
  }

  void embedded(int textCount, long totalTokens) {
    texts.addAndGet(textCount);
    tokens.addAndGet(totalTokens);
    Metrics.counter(NAMESPACE, "texts").inc(textCount);
    Metrics.counter(NAMESPACE, "tokens").inc(totalTokens);
  }

  void retry() {
    retries.incrementAndGet();
    Metrics.counter(NAMESPACE, "retries").inc();
  }

  void failure() {
    failures.incrementAndGet();
    Metrics.counter(NAMESPACE, "failures").inc();
  }

  CortexStats snapshot() {
    Map<Integer, Long> statuses = new TreeMap<>();
    byStatus.forEach((k, v) -> statuses.put(k, v.get()));
    return new CortexStats(requests.get(), Map.copyOf(statuses), texts.get(), tokens.get(),
        retries.get(), throttled.get(), failures.get(), latencySum.get());
  }
}
