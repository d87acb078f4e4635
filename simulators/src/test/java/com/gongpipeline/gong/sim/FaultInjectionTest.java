package com.gongpipeline.gong.sim;

import static com.gongpipeline.gong.sim.SimFixtures.FROM;
import static com.gongpipeline.gong.sim.SimFixtures.TO;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.oneOf;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each fault knob at rate 1.0 does what it says; at 0 nothing is injected; /sim is exempt. */
class FaultInjectionTest {

  @Test
  void serverErrorRateOneAnswers5xxWithGongErrorBody() throws Exception {
    try (GongSimulator sim = GongSimulator.start(SimFixtures.config().serverErrorRate(1.0).build())) {
      SimHttp.Response r = new SimHttp(sim).get("/v2/workspaces");
      assertThat(r.status(), oneOf(500, 502, 503));
      assertThat(r.json().path("requestId").isTextual(), is(true));
      assertThat(r.json().path("errors").size(), is(1));
      assertThat(sim.stats().faults("SERVER_ERROR"), is(1L));
    }
  }

  @Test
  void slowResponseRateOneDelaysButStillAnswers() throws Exception {
    try (GongSimulator sim = GongSimulator.start(SimFixtures.config().slowResponseRate(1.0)
        .slowResponseMillis(400).build())) {
      long start = System.nanoTime();
      SimHttp.Response r = new SimHttp(sim).get("/v2/workspaces");
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertThat(r.status(), is(200));
      assertThat(millis, greaterThanOrEqualTo(400L));
      assertThat(sim.stats().faults("SLOW_RESPONSE"), is(1L));
    }
  }

  @Test
  void connectionResetRateOneClosesTheSocketWithoutAResponse() throws Exception {
    try (GongSimulator sim = GongSimulator.start(SimFixtures.config().connectionResetRate(1.0).build())) {
      assertThrows(IOException.class, () -> new SimHttp(sim).get("/v2/workspaces"));
      assertThat(sim.stats().faults("CONNECTION_RESET"), greaterThanOrEqualTo(1L));
      assertThat(sim.stats().requests("GET /v2/workspaces", 0), greaterThanOrEqualTo(1L));
    }
  }

  @Test
  void cursorExpiryRateOneExpiresOnlyRequestsThatCarryACursor() throws Exception {
    try (GongSimulator sim = GongSimulator.start(SimFixtures.config().cursorExpiryRate(1.0).build())) {
      SimHttp http = new SimHttp(sim);
      SimHttp.Response first = http.listCalls(FROM, TO, null);
      assertThat(first.status(), is(200));
      SimHttp.Response next = http.listCalls(FROM, TO, first.json().path("records").path("cursor").asText());
      assertThat(next.status(), is(400));
      assertThat(next.firstError(), is("cursor has expired"));
      assertThat(sim.stats().faults("CURSOR_EXPIRED"), is(1L));
    }
  }

  @Test
  void malformedPageRateOneTruncates200BodiesButNotErrors() throws Exception {
    try (GongSimulator sim = GongSimulator.start(SimFixtures.config().malformedPageRate(1.0).build())) {
      SimHttp http = new SimHttp(sim);
      SimHttp.Response page = http.listCalls(FROM, TO, null);
      assertThat(page.status(), is(200));
      assertThat("body must not parse", page.json(), nullValue());
      assertThat(page.body().startsWith("{\"requestId\""), is(true));
      SimHttp.Response error = http.get("/v2/calls/1");
      assertThat(error.status(), is(404));
      assertThat(error.json(), notNullValue());
      assertThat(sim.stats().faults("MALFORMED_PAGE"), is(1L));
    }
  }

  @Test
  void retryAfterMissingRateOneAnswers429WithoutTheHeader() throws Exception {
    try (GongSimulator sim = GongSimulator.start(SimFixtures.config().retryAfterMissingRate(1.0).build())) {
      SimHttp.Response r = new SimHttp(sim).get("/v2/users");
      assertThat(r.status(), is(429));
      assertThat(r.header("Retry-After").isPresent(), is(false));
      assertThat(sim.stats().tooManyRequests(), is(1L));
    }
  }

  @Test
  void ratesOfZeroNeverInjectAnything() throws Exception {
    try (GongSimulator sim = GongSimulator.start(SimFixtures.config().build())) {
      SimHttp http = new SimHttp(sim);
      List<SimHttp.Response> pages = SimHttp.allPages(c -> http.listCalls(FROM, TO, c));
      for (int i = 0; i < 20; i++) {
        assertThat(http.get("/v2/users").status(), is(200));
      }
      assertThat(pages.size(), greaterThanOrEqualTo(3));
      assertThat(sim.stats().faultsInjected(), is(0L));
      assertThat(sim.stats().faults().isEmpty(), is(true));
    }
  }

  @Test
  void simEndpointsAreNeverFaultedRateLimitedOrAuthenticated() throws Exception {
    try (GongSimulator sim = GongSimulator.start(SimFixtures.config().requestsPerSecond(1)
        .dailyQuota(1).serverErrorRate(1).connectionResetRate(1).malformedPageRate(1)
        .retryAfterMissingRate(1).build())) {
      SimHttp anonymous = new SimHttp(sim.baseUrl(), null, null);
      for (int i = 0; i < 5; i++) {
        SimHttp.Response stats = anonymous.get("/sim/stats");
        assertThat(stats.status(), is(200));
        assertThat(stats.json(), notNullValue());
      }
      SimHttp.Response truth = anonymous.get("/sim/ground-truth?fromDateTime=2026-01-01T00:00:00Z"
          + "&toDateTime=2026-01-05T00:00:00Z");
      assertThat(truth.status(), is(200));
      assertThat(truth.json().path("calls").size(), is(sim.groundTruth(FROM, FROM.plusSeconds(4 * 86400)).calls().size()));
      assertThat(sim.stats().totalRequests(), is(0L));
      assertThat(sim.stats().faultsInjected(), is(0L));
    }
  }
}
