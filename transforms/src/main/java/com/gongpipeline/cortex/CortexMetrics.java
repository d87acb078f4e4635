package com.gongpipeline.cortex;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import com.gongpipeline.metrics.MetricNames;
import com.gongpipeline.metrics.MirroredDistribution;

/**
 * What the Cortex client counts, twice: as Beam metrics (the {@code cortex} section of {@link
 * MetricNames}; attributed to the step whose DoFn made the call, no-ops outside a pipeline) and as
 * plain counters for {@link CortexEmbedder#stats()}.
 *
 * <p>Beam names: {@code requests} and {@code requests_<status class>}, {@code texts}, {@code
 * tokens} ({@code usage.total_tokens}), {@code retries}, {@code throttled_429}, {@code failures}
 * (batches given up on or rejected), {@code latency_ms} (a distribution mirrored as {@code
 * latency_ms_sum}/{@code _count}/{@code _max}, because Flink reports distributions as 0).
 */
final class CortexMetrics {
  private final MirroredDistribution latency =
      MirroredDistribution.of(MetricNames.CORTEX_LATENCY_MS);
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
    MetricNames.CORTEX_REQUESTS.counter().inc();
    MetricNames.cortexResponses(status).counter().inc();
    latency.update(millis);
    if (status == 429) {
      throttled.incrementAndGet();
      MetricNames.CORTEX_THROTTLED.counter().inc();
    }
  }

  void embedded(int textCount, long totalTokens) {
    texts.addAndGet(textCount);
    tokens.addAndGet(totalTokens);
    MetricNames.CORTEX_TEXTS.counter().inc(textCount);
    MetricNames.CORTEX_TOKENS.counter().inc(totalTokens);
  }

  void retry() {
    retries.incrementAndGet();
    MetricNames.CORTEX_RETRIES.counter().inc();
  }

  void failure() {
    failures.incrementAndGet();
    MetricNames.CORTEX_FAILURES.counter().inc();
  }

  CortexStats snapshot() {
    Map<Integer, Long> statuses = new TreeMap<>();
    byStatus.forEach((k, v) -> statuses.put(k, v.get()));
    return new CortexStats(requests.get(), Map.copyOf(statuses), texts.get(), tokens.get(),
        retries.get(), throttled.get(), failures.get(), latencySum.get());
  }
}
