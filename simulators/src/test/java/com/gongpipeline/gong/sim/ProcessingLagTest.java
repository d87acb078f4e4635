package com.gongpipeline.gong.sim;

import com.gongpipeline.testing.MutableClock;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Calls become visible only once processed: started + lag <= clock now, on every endpoint. */
class ProcessingLagTest {

  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

  private static SimulatorConfig.Builder config(MutableClock clock) {
    // 240 calls over the last 10 days: one every hour, the newest ones still "processing".
    return SimulatorConfig.builder().seed(9).calls(240).callsFrom(NOW.minus(Duration.ofDays(10)))
        .callsTo(NOW).requestsPerSecond(0).clock(clock);
  }

  @Test
  void recentCallsAreHiddenUntilTheClockPassesTheirLag() throws Exception {
    MutableClock clock = new MutableClock(NOW);
    try (GongSimulator sim = GongSimulator.start(config(clock).processingLag(Duration.ofHours(3)).build())) {
      SimHttp http = new SimHttp(sim);
      Instant windowFrom = NOW.minus(Duration.ofHours(6));
      GroundTruth before = sim.groundTruth(windowFrom, NOW);
      assertThat(before.calls().stream().map(GroundTruth.Call::started).toList(),
          everyItem(lessThan(NOW.minus(Duration.ofHours(3)).plusMillis(1))));
      List<String> listed = SimHttp.flatMapPages(SimHttp.allPages(c -> http.listCalls(windowFrom, NOW, c)),
          "calls", n -> n.path("id").asText());
      assertThat(listed, is(before.callIds()));

      clock.advance(Duration.ofHours(3));
      GroundTruth after = sim.groundTruth(windowFrom, NOW);
      assertThat(after.calls().size(), greaterThan(before.calls().size()));
      String late = after.callIds().get(after.callIds().size() - 1);
      assertThat(before.callIds(), not(hasItem(late)));
      assertThat(http.get("/v2/calls/" + late).status(), is(200));
      assertThat(http.post("/v2/calls/transcript", SimFixtures.transcriptBody(List.of(late))).status(), is(200));
    }
  }

  @Test
  void aHiddenCallIsA404OnEveryEndpoint() throws Exception {
    MutableClock clock = new MutableClock(NOW.minus(Duration.ofDays(20)));
    try (GongSimulator sim = GongSimulator.start(config(clock).processingLag(Duration.ofHours(1)).build())) {
      clock.set(NOW);
      String newest = sim.groundTruth(NOW.minus(Duration.ofDays(1)), NOW).callIds().get(0);
      clock.set(NOW.minus(Duration.ofDays(5)));
      SimHttp http = new SimHttp(sim);
      assertThat(http.get("/v2/calls/" + newest).firstError(), is("Call ID " + newest + " was not found"));
      assertThat(http.post("/v2/calls/extensive", SimFixtures.extensiveBody(List.of(newest))).status(), is(404));
      assertThat(http.post("/v2/calls/transcript", SimFixtures.transcriptBody(List.of(newest))).status(), is(404));
      assertThat(sim.groundTruth(NOW.minus(Duration.ofDays(1)), NOW).calls(), empty());
    }
  }

  @Test
  void groundTruthAgreesWithTheApiUnderRandomLags() throws Exception {
    MutableClock clock = new MutableClock(NOW);
    try (GongSimulator sim = GongSimulator.start(config(clock).minProcessingLag(Duration.ZERO)
        .maxProcessingLag(Duration.ofHours(12)).build())) {
      SimHttp http = new SimHttp(sim);
      Instant from = NOW.minus(Duration.ofDays(2));
      for (int step = 0; step < 3; step++) {
        GroundTruth truth = sim.groundTruth(from, NOW);
        List<String> listed = SimHttp.flatMapPages(SimHttp.allPages(c -> http.listCalls(from, NOW, c)),
            "calls", n -> n.path("id").asText());
        assertThat(listed, is(truth.callIds()));
        clock.advance(Duration.ofHours(5));
      }
    }
  }

  @Test
  void aCursorSequenceKeepsTheSnapshotOfItsFirstPage() throws Exception {
    MutableClock clock = new MutableClock(NOW);
    try (GongSimulator sim = GongSimulator.start(config(clock).processingLag(Duration.ofHours(30))
        .callsPageSize(5).cursorTtl(Duration.ofDays(1)).build())) {
      SimHttp http = new SimHttp(sim);
      Instant from = NOW.minus(Duration.ofDays(3));
      Instant firstPageAt = NOW.plus(Duration.ofMinutes(30));
      List<String> ids = SimHttp.flatMapPages(SimHttp.allPages(c -> {
        clock.advance(Duration.ofMinutes(30)); // more calls finish processing between pages
        return http.listCalls(from, NOW, c);
      }), "calls", n -> n.path("id").asText());
      assertThat(ids, is(sim.groundTruth(from, NOW, firstPageAt).callIds()));
      assertThat(sim.groundTruth(from, NOW).calls().size(), greaterThan(ids.size()));
    }
  }

  @Test
  void aTenantHasMostCallsVisibleTenToSixtyMinutesAfterTheyStartAndSomeUpToADay() {
    SimulatorConfig config = SimulatorConfig.tenant(1_000, 3).clock(new MutableClock(NOW)).build();
    assertThat(config.calls(), is(3_000));
    assertThat(config.callsTo(), is(NOW.minus(Duration.ofHours(1))));
    assertThat(config.callsFrom(), is(config.callsTo().minus(Duration.ofDays(3))));
    CallCatalog catalog = new CallCatalog(config, new Directory(config));
    int usual = 0;
    int late = 0;
    int overTwelveHours = 0;
    for (int i = 0; i < config.calls(); i++) {
      Duration lag = catalog.header(i).lag();
      assertThat(lag.compareTo(Duration.ofMinutes(10)) >= 0, is(true));
      assertThat(lag.compareTo(Duration.ofHours(24)) <= 0, is(true));
      if (lag.compareTo(Duration.ofMinutes(60)) <= 0) {
        usual++;
      } else {
        late++;
      }
      if (lag.compareTo(Duration.ofHours(12)) > 0) {
        overTwelveHours++;
      }
    }
    // 90 % within 10–60 min, 10 % spread over 1–24 h (half of those beyond 12 h); seeded, with slack.
    assertThat("usual " + usual, usual > 2_600 && usual < 2_800, is(true));
    assertThat("late " + late, late > 200 && late < 400, is(true));
    assertThat("beyond 12 h " + overTwelveHours, overTwelveHours > 90 && overTwelveHours < 220, is(true));
  }

  @Test
  void withoutLateCallsTheLagDrawIsUnchanged() {
    SimulatorConfig config = config(new MutableClock(NOW)).minProcessingLag(Duration.ZERO)
        .maxProcessingLag(Duration.ofHours(10)).build();
    assertThat(config.processingLag(0.25), is(Duration.ofMinutes(150)));
    SimulatorConfig profile = config.toBuilder().lateCallRate(0.5)
        .maxLateProcessingLag(Duration.ofHours(20)).build();
    assertThat(profile.processingLag(0.25), is(Duration.ofHours(15)));
    assertThat(profile.processingLag(0.75), is(Duration.ofHours(5)));
  }
}
