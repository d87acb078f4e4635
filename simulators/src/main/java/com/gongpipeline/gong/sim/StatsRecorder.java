package com.gongpipeline.gong.sim;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Thread-safe counters behind {@link SimulatorStats}. */
final class StatsRecorder {

  private final AtomicLong total = new AtomicLong();
  private final AtomicLong tooMany = new AtomicLong();
  private final AtomicLong rateLimited = new AtomicLong();
  private final AtomicLong quotaExhausted = new AtomicLong();
  private final AtomicLong faultsTotal = new AtomicLong();
  private final ConcurrentHashMap<String, AtomicLong> requests = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, AtomicLong> faults = new ConcurrentHashMap<>();

  void request(String route, int status) {
    total.incrementAndGet();
    if (status == 429) {
      tooMany.incrementAndGet();
    }
    requests.computeIfAbsent(route + " " + status, k -> new AtomicLong()).incrementAndGet();
  }

  /** A 429 the limits sent (counted with its route and status by {@link #request} as well). */
  void limited(RateLimiter.Reason reason) {
    switch (reason) {
      case RATE -> rateLimited.incrementAndGet();
      case QUOTA -> quotaExhausted.incrementAndGet();
      default -> { }
    }
  }

  void fault(FaultInjector.Fault kind) {
    faultsTotal.incrementAndGet();
    faults.computeIfAbsent(kind.name(), k -> new AtomicLong()).incrementAndGet();
  }

  SimulatorStats snapshot() {
    return new SimulatorStats(total.get(), copy(requests), tooMany.get(), rateLimited.get(),
        quotaExhausted.get(), faultsTotal.get(),
        copy(faults));
  }

  private static Map<String, Long> copy(Map<String, AtomicLong> counters) {
    Map<String, Long> out = new TreeMap<>();
    counters.forEach((k, v) -> out.put(k, v.get()));
    return java.util.Collections.unmodifiableMap(out);
  }
}
