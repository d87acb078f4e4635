package com.gongpipeline.gong;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Immutable snapshot of what one {@link HttpGongClient} has done so far: HTTP attempts by endpoint
 * and status class, retries and the time spent waiting for them, 429s, cursor-expiry restarts and
 * private calls dropped. The same numbers are also reported as Beam counters in namespace
 * {@code gong} while running inside a DoFn; this snapshot is for logs, tests and the simulator
 * harness.
 */
public final class GongClientStats {

  /** Status class used for attempts that got no HTTP response (connect failure, reset, timeout). */
  public static final String IO_FAILURE = "io";

  private final Map<String, Long> requests;
  private final long retries;
  private final long http429;
  private final long retryWaitMillis;
  private final long throttleWaitMillis;
  private final long cursorRestarts;
  private final long privateCallsSkipped;

  GongClientStats(
      Map<String, Long> requests,
      long retries,
      long http429,
      long retryWaitMillis,
      long throttleWaitMillis,
      long cursorRestarts,
      long privateCallsSkipped) {
    this.requests = Collections.unmodifiableMap(new TreeMap<>(requests));
    this.retries = retries;
    this.http429 = http429;
    this.retryWaitMillis = retryWaitMillis;
    this.throttleWaitMillis = throttleWaitMillis;
    this.cursorRestarts = cursorRestarts;
    this.privateCallsSkipped = privateCallsSkipped;
  }

  static String key(GongEndpoint endpoint, String statusClass) {
    return endpoint.metricName() + "/" + statusClass;
  }

  /**
   * HTTP attempts keyed {@code "<endpoint>/<status class>"}, e.g. {@code "calls_extensive/2xx"},
   * {@code "calls/4xx"}, {@code "users/io"}; sorted by key.
   */
  public Map<String, Long> requestsByEndpointAndStatusClass() {
    return requests;
  }

  /** Attempts for one endpoint and status class ({@code "2xx"}, {@code "4xx"}, {@code "5xx"}, {@code "io"}). */
  public long requests(GongEndpoint endpoint, String statusClass) {
    return requests.getOrDefault(key(endpoint, statusClass), 0L);
  }

  /** All attempts for one endpoint, any outcome. */
  public long requests(GongEndpoint endpoint) {
    String prefix = endpoint.metricName() + "/";
    return requests.entrySet().stream()
        .filter(e -> e.getKey().startsWith(prefix))
        .mapToLong(Map.Entry::getValue)
        .sum();
  }

  /** All HTTP attempts. */
  public long totalRequests() {
    return requests.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Attempts that were retried (one per back-off or Retry-After wait). */
  public long retries() {
    return retries;
  }

  /** 429 responses received. */
  public long http429() {
    return http429;
  }

  /** Total time slept before retries (back-off and Retry-After), in ms. */
  public long retryWaitMillis() {
    return retryWaitMillis;
  }

  /** Total time spent waiting for the client-side rate limiter, in ms. */
  public long throttleWaitMillis() {
    return throttleWaitMillis;
  }

  /** Pagination sequences restarted from page 1 after "cursor has expired". */
  public long cursorRestarts() {
    return cursorRestarts;
  }

  /** Calls dropped because {@code isPrivate} was true and private calls are excluded. */
  public long privateCallsSkipped() {
    return privateCallsSkipped;
  }

  @Override
  public String toString() {
    return "GongClientStats{requests="
        + requests
        + ", retries="
        + retries
        + ", http429="
        + http429
        + ", retryWaitMillis="
        + retryWaitMillis
        + ", throttleWaitMillis="
        + throttleWaitMillis
        + ", cursorRestarts="
        + cursorRestarts
        + ", privateCallsSkipped="
        + privateCallsSkipped
        + "}";
  }
}
