package com.gongpipeline.gong.sim;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Thread-safe counters behind {@link SimulatorStats}. */
final class StatsRecorder {

  private final AtomicLong total = new AtomicLong();
  private final AtomicLong tooMany = new AtomicLong();
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

  void fault(FaultInjector.Fault kind) {
    faultsTotal.incrementAndGet();
    faults.computeIfAbsent(kind.name(), k -> new AtomicLong()).incrementAndGet();
  }

  SimulatorStats snapshot() {
    return new SimulatorStats(total.get(), copy(requests), tooMany.get(), faultsTotal.get(),
        copy(faults));
  }

  private static Map<String, Long> copy(Map<String, AtomicLong> counters) {
    Map<String, Long> out = new TreeMap<>();
    counters.forEach((k, v) -> out.put(k, v.get()));
    return java.util.Collections.unmodifiableMap(out);
  }
}
