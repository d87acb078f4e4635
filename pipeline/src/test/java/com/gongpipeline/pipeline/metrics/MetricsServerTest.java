package com.gongpipeline.pipeline.metrics;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The endpoint over real HTTP, with a fake metrics source. */
class MetricsServerTest {
  static final HttpClient HTTP = HttpClient.newHttpClient();
  final AtomicLong parsed = new AtomicLong();

  MetricsSnapshot source() {
    return new MetricsSnapshot(Map.of("pipeline:calls_parsed", parsed.get(),
        "pipeline:calls_listed", 100L, "gong:http_429", parsed.get() / 10), Map.of(), Map.of());
  }

  static HttpResponse<String> get(MetricsServer s, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + s.port() + path))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesMetricsStatusJsonAndPage() throws Exception {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("job_id", "backfill-x");
    labels.put("mode", "backfill");
    try (MetricsServer s = MetricsServer.start(0, this::source, labels, Duration.ZERO)) {
      parsed.set(30);
      HttpResponse<String> metrics = get(s, "/metrics");
      assertThat(metrics.statusCode(), equalTo(200));
      assertThat(metrics.headers().firstValue("Content-Type").orElse(""),
          startsWith("text/plain; version=0.0.4"));
      assertThat(metrics.body(), containsString(
          "gong_pipeline_pipeline_calls_parsed{job_id=\"backfill-x\",mode=\"backfill\"} 30"));

      s.sample();
      parsed.set(50);
      s.sample();
      JsonNode status = new ObjectMapper().readTree(get(s, "/status.json").body());
      assertThat(status.at("/job/job_id").asText(), equalTo("backfill-x"));
      assertThat(status.at("/totals/callsDone").asLong(), equalTo(50L));
      assertThat(status.at("/totals/http429").asLong(), equalTo(5L));
      assertThat(status.at("/progress/total").asLong(), equalTo(100L));
      assertThat(status.get("samples").size(), equalTo(2));
      assertThat(status.at("/samples/1/http429Delta").asLong(), equalTo(2L));

      HttpResponse<String> page = get(s, "/");
      assertThat(page.statusCode(), equalTo(200));
      assertThat(page.body(), containsString("status.json"));
      assertThat(get(s, "/status").statusCode(), equalTo(200));
      assertThat(get(s, "/nothing-here").statusCode(), equalTo(404));
    }
  }

  /** Issue 11 item 14: by default only this machine can reach the endpoint. */
  @Test
  void listensOnLoopbackOnlyByDefault() throws Exception {
    try (MetricsServer s = MetricsServer.start(0, this::source, Map.of(), Duration.ZERO)) {
      assertThat(s.boundAddress().isLoopbackAddress(), equalTo(true));
      java.net.InetAddress external = nonLoopbackAddress();
      if (external != null) {
        try (java.net.Socket socket = new java.net.Socket()) {
          assertThrows(java.io.IOException.class, () -> socket.connect(
              new java.net.InetSocketAddress(external, s.port()), 2_000));
        }
      }
    }
  }

  @Test
  void metricsBindWidensWhenAsked() throws Exception {
    try (MetricsServer s = MetricsServer.start("0.0.0.0", 0, this::source, Map.of(),
        Duration.ZERO)) {
      assertThat(s.boundAddress().isAnyLocalAddress(), equalTo(true));
      assertThat(get(s, "/metrics").statusCode(), equalTo(200));
    }
  }

  /** This host's first non-loopback IPv4 address, or null when it has none. */
  static java.net.InetAddress nonLoopbackAddress() throws Exception {
    for (java.net.NetworkInterface nif : java.util.Collections.list(
        java.net.NetworkInterface.getNetworkInterfaces())) {
      if (!nif.isUp() || nif.isLoopback()) {
        continue;
      }
      for (java.net.InetAddress a : java.util.Collections.list(nif.getInetAddresses())) {
        if (a instanceof java.net.Inet4Address && !a.isLoopbackAddress()) {
          return a;
        }
      }
    }
    return null;
  }

  @Test
  void aBusyPortIsAUsageErrorNamingTheFlag() {
    try (MetricsServer first = MetricsServer.start(0, this::source, Map.of(), Duration.ZERO)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> MetricsServer.start(first.port(), this::source, Map.of(), Duration.ZERO));
      assertThat(e.getMessage(), startsWith("--metricsPort=" + first.port() + ": cannot listen"));
    }
  }

  @Test
  void historyKeepsTheLastSamplesWithRatesAndEta() {
    StatusHistory h = new StatusHistory(3, Duration.ofSeconds(60));
    for (int i = 0; i <= 5; i++) {
      parsed.set(10L * i);
      h.add(1_000_000 + 5_000L * i, source());
    }
    assertThat(h.samples(), hasSize(3));
    assertThat(h.samples().get(2).callsPerSecond(), equalTo(2.0));
    assertThat(h.doneRate(), equalTo(2.0));
    // 50 of 100 done at 2/s: 25 s left.
    assertThat(h.json(Map.of()), containsString("\"etaSeconds\":25"));
    assertThat(h.samples().get(0).epochMillis(), greaterThan(1_000_000L));
    assertThat(h.json(Map.of()), containsString("\"pausedOnBudget\":false"));
  }

  @Test
  void aStreamPausedOnTheBudgetSaysSoInStatusJsonAndThePageShowsIt() throws Exception {
    StatusHistory h = new StatusHistory(3, Duration.ofSeconds(60));
    h.add(1_000_000, new MetricsSnapshot(Map.of(), Map.of("stream:budget_paused", 1L), Map.of()));
    assertThat(h.json(Map.of()), containsString("\"pausedOnBudget\":true"));
    h.add(1_005_000, new MetricsSnapshot(Map.of(), Map.of("stream:budget_paused", 0L), Map.of()));
    assertThat(h.json(Map.of()), containsString("\"pausedOnBudget\":false"));
    try (MetricsServer s = MetricsServer.start(0, this::source, Map.of(), Duration.ZERO)) {
      assertThat(get(s, "/").body(), containsString("status.pausedOnBudget"));
    }
  }
}
