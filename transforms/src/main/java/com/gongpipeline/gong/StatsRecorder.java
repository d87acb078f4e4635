package com.gongpipeline.gong;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;

/**
 * Thread-safe counters behind {@link GongClientStats}, mirrored into Beam counters (namespace
 * {@code gong}). Beam counters are no-ops outside a DoFn, so this works in plain unit tests too.
 */
final class StatsRecorder {

  static final String NAMESPACE = "gong";

  private static final Counter HTTP_429 = Metrics.counter(NAMESPACE, "http_429");
  private static final Counter RETRIES = Metrics.counter(NAMESPACE, "retries");
  private static final Counter RETRY_WAIT_MS = Metrics.counter(NAMESPACE, "retry_wait_ms");
  private static final Counter THROTTLE_WAIT_MS = Metrics.counter(NAMESPACE, "throttle_wait_ms");
  private static final Counter CURSOR_RESTARTS = Metrics.counter(NAMESPACE, "cursor_restarts");
  private static final Counter PRIVATE_CALLS_SKIPPED =
      Metrics.counter(NAMESPACE, "private_calls_skipped");
  private static final Map<GongEndpoint, Counter> REQUESTS = new EnumMap<>(GongEndpoint.class);

  static {
    for (GongEndpoint e : GongEndpoint.values()) {
      REQUESTS.put(e, Metrics.counter(NAMESPACE, "requests_" + e.metricName()));
    }
  }

  private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
  private final LongAdder retries = new LongAdder();
  private final LongAdder http429 = new LongAdder();
  private final LongAdder retryWaitMillis = new LongAdder();
  private final LongAdder throttleWaitMillis = new LongAdder();
  private final LongAdder cursorRestarts = new LongAdder();
  private final LongAdder privateCallsSkipped = new LongAdder();

  /** One HTTP attempt finished with {@code status}, or with no response when status is 0. */
  void request(GongEndpoint endpoint, int status) {
    String statusClass = status <= 0 ? GongClientStats.IO_FAILURE : (status / 100) + "xx";
    requests
        .computeIfAbsent(GongClientStats.key(endpoint, statusClass), k -> new LongAdder())
        .increment();
    REQUESTS.get(endpoint).inc();
    if (status == 429) {
      http429.increment();
      HTTP_429.inc();
    }
  }

  /** A retry is about to happen after waiting {@code waitMillis}. */
  void retry(long waitMillis) {
    retries.increment();
    RETRIES.inc();
    retryWaitMillis.add(waitMillis);
    RETRY_WAIT_MS.inc(waitMillis);
  }

  void throttled(long waitMillis) {
    if (waitMillis > 0) {
      throttleWaitMillis.add(waitMillis);
      THROTTLE_WAIT_MS.inc(waitMillis);
    }
  }

  void cursorRestart() {
    cursorRestarts.increment();
    CURSOR_RESTARTS.inc();
  }

  void privateCallSkipped() {
    privateCallsSkipped.increment();
    PRIVATE_CALLS_SKIPPED.inc();
  }

  GongClientStats snapshot() {
    Map<String, Long> copy = new HashMap<>();
    requests.forEach((k, v) -> copy.put(k, v.sum()));
    return new GongClientStats(
        copy,
        retries.sum(),
        http429.sum(),
        retryWaitMillis.sum(),
        throttleWaitMillis.sum(),
        cursorRestarts.sum(),
        privateCallsSkipped.sum());
  }
}
