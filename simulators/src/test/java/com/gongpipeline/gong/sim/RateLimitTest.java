package com.gongpipeline.gong.sim;

import com.gongpipeline.testing.MutableClock;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.oneOf;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Gong's 3 requests/second and 10,000/day limits, answered with 429 and Retry-After. */
class RateLimitTest {

  @Test
  void burstOfTenWithinASecondGetsThreeThroughAndSeven429sWithRetryAfter() throws Exception {
    try (GongSimulator sim = GongSimulator.start(SimFixtures.config().requestsPerSecond(3.0).build())) {
      HttpClient client = HttpClient.newHttpClient();
      String auth = "Basic " + Base64.getEncoder().encodeToString(
          "sim-access-key:sim-access-secret".getBytes(StandardCharsets.UTF_8));
      HttpRequest request = HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/v2/workspaces"))
          .header("Authorization", auth).build();
      List<CompletableFuture<HttpResponse<String>>> burst = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        burst.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
      }
      int ok = 0;
      int limited = 0;
      for (CompletableFuture<HttpResponse<String>> f : burst) {
        HttpResponse<String> r = f.get();
        if (r.statusCode() == 200) {
          ok++;
        } else {
          assertThat(r.statusCode(), is(429));
          assertThat(r.headers().firstValue("Retry-After").orElse("missing"), oneOf("1", "2"));
          assertThat(SimHttp.JSON.readTree(r.body()).path("errors").size(), is(1));
          limited++;
        }
      }
      assertThat(ok, is(3));
      assertThat(limited, is(7));
      assertThat(sim.stats().tooManyRequests(), is(7L));
      assertThat(sim.stats().requests("GET /v2/workspaces", 429), is(7L));
    }
  }

  @Test
  void dailyQuotaAnswers429UntilUtcMidnightThenResets() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-02-01T20:00:00Z"));
    try (GongSimulator sim = GongSimulator.start(SimFixtures.config().dailyQuota(5).clock(clock).build())) {
      SimHttp http = new SimHttp(sim);
      for (int i = 0; i < 5; i++) {
        assertThat(http.get("/v2/workspaces").status(), is(200));
      }
      SimHttp.Response over = http.get("/v2/workspaces");
      assertThat(over.status(), is(429));
      assertThat(over.header("Retry-After").orElseThrow(), is(Long.toString(4 * 3600)));
      clock.advance(Duration.ofMinutes(30));
      assertThat(http.get("/v2/workspaces").header("Retry-After").orElseThrow(),
          is(Long.toString(3 * 3600 + 1800)));
      clock.set(Instant.parse("2026-02-02T00:00:00Z"));
      for (int i = 0; i < 5; i++) {
        assertThat("rejected requests must not have used the new day's quota",
            http.get("/v2/workspaces").status(), is(200));
      }
      assertThat(http.get("/v2/workspaces").status(), is(429));
    }
  }

  @Test
  void rateLimitOffServesEveryRequest() throws Exception {
    try (GongSimulator sim = GongSimulator.start(SimFixtures.config().build())) {
      SimHttp http = new SimHttp(sim);
      for (int i = 0; i < 20; i++) {
        assertThat(http.get("/v2/workspaces").status(), is(200));
      }
      assertThat(sim.stats().tooManyRequests(), is(0L));
    }
  }
}
