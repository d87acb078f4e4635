package com.gongpipeline.gong;

import com.gongpipeline.metrics.MetricNames;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.apache.beam.sdk.metrics.Counter;

/**
 * Thread-safe counters behind {@link GongClientStats}, mirrored into Beam counters (namespace
 * {@code gong}). Beam counters are no-ops outside a DoFn, so this works in plain unit tests too.
 */
final class StatsRecorder {

  static final String NAMESPACE = "gong";

  private static final Counter HTTP_429 = MetricNames.GONG_HTTP_429.counter();
  private static final Counter RETRIES = MetricNames.GONG_RETRIES.counter();
  private static final Counter RETRY_WAIT_MS = MetricNames.GONG_RETRY_WAIT_MS.counter();
  private static final Counter THROTTLE_WAIT_MS = MetricNames.GONG_THROTTLE_WAIT_MS.counter();
  private static final Counter CURSOR_RESTARTS = MetricNames.GONG_CURSOR_RESTARTS.counter();
  private static final Counter QUOTA_STOPS = MetricNames.GONG_QUOTA_STOPS.counter();
  private static final Counter PRIVATE_CALLS_SKIPPED =
      MetricNames.GONG_PRIVATE_CALLS_SKIPPED.counter();
  private static final Map<GongEndpoint, Counter> REQUESTS = new EnumMap<>(GongEndpoint.class);
  private static final Map<String, Counter> RESPONSES = new HashMap<>();

  static {
    for (GongEndpoint e : GongEndpoint.values()) {
      REQUESTS.put(e, MetricNames.gongRequests(e).counter());
      for (int status : new int[] {200, 429, 204, 400, 500, 0}) {
        RESPONSES.put(e.name() + MetricNames.statusClass(status),
            MetricNames.gongResponses(e, status).counter());
      }
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
    RESPONSES.get(endpoint.name() + MetricNames.statusClass(status)).inc();
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

  /** A request failed for good because the daily budget or Gong's daily quota is spent. */
  void quotaStop() {
    QUOTA_STOPS.inc();
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
