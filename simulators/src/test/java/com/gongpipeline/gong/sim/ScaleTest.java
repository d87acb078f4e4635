package com.gongpipeline.gong.sim;

import com.gongpipeline.testing.MutableClock;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Data is generated per call on demand: a million-call tenant starts and answers instantly. */
class ScaleTest {

  @Test
  void aMillionCallCatalogueServesAnHourWindowWithoutGeneratingTheRest() throws Exception {
    Instant to = Instant.parse("2026-01-01T00:00:00Z");
    long start = System.nanoTime();
    try (GongSimulator sim = GongSimulator.start(SimulatorConfig.builder().calls(1_000_000)
        .callsFrom(to.minus(Duration.ofDays(365))).callsTo(to).requestsPerSecond(0)
        .clock(new MutableClock(to)).build())) {
      Instant from = Instant.parse("2025-07-01T10:00:00Z");
      SimHttp.Response page = new SimHttp(sim).listCalls(from, from.plus(Duration.ofHours(1)), null);
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertThat(page.status(), is(200));
      int total = page.json().path("records").path("totalRecords").asInt();
      assertThat(total, greaterThan(100)); // ~114 calls per hour
      assertThat(total, lessThan(130));
      assertThat(sim.groundTruth(from, from.plus(Duration.ofHours(1))).calls().size(), is(total));
      assertThat(millis, lessThan(10_000L));
    }
  }
}
