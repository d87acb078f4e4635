package com.gongpipeline.pipeline.metrics;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live status page rendered by a real headless Chromium: it fetches {@code /status.json},
 * writes the totals the test put in and draws one SVG polyline point per sample. Skipped (with a
 * message) where {@code chromium} is not installed; CI installs it.
 */
class StatusPageChromiumTest {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");

  @TempDir Path profile;

  static MetricsSnapshot snapshot(long listed, long parsed, long chunks, long dead, long http429,
      long newestStart) {
    return new MetricsSnapshot(
        Map.of("pipeline:calls_listed", listed, "pipeline:calls_parsed", parsed,
            "enrich:chunks_embedded", chunks, "pipeline:dead_letters", dead,
            "gong:http_429", http429, "gong:requests_calls_extensive", 321L),
        Map.of("pipeline:newest_call_start_epoch_s", newestStart), Map.of());
  }

  @Test
  void pageShowsTotalsProgressAndChartsFromStatusJson() throws Exception {
    if (!Files.isExecutable(CHROMIUM)) {
      System.err.println("SKIPPED StatusPageChromiumTest: " + CHROMIUM + " not found "
          + "(apt-get install -y chromium chromium-driver); CI installs it.");
      Assumptions.abort(CHROMIUM + " not installed: the status page is not rendered here");
    }
    long now = System.currentTimeMillis();
    List<MetricsSnapshot> snapshots = List.of(
        snapshot(800, 0, 0, 0, 0, now / 1000 - 900),
        snapshot(800, 120, 600, 1, 3, now / 1000 - 600),
        snapshot(800, 250, 1300, 4, 3, now / 1000 - 300),
        snapshot(800, 437, 2011, 6, 9, now / 1000 - 120));
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("job_id", "backfill-page-test");
    labels.put("mode", "backfill");
    int[] next = {0};
    try (MetricsServer server = MetricsServer.start(0,
        () -> snapshots.get(Math.min(next[0], snapshots.size() - 1)), labels, Duration.ZERO)) {
      for (int i = 0; i < snapshots.size(); i++) {
        next[0] = i;
        server.history().add(now - 5000L * (snapshots.size() - i), snapshots.get(i));
      }
      String dom = dumpDom("http://localhost:" + server.port() + "/");

      assertThat(dom, containsString("data-rendered=\"4\""));
      assertThat(text(dom, "total-callsDone"), equalTo("437"));
      assertThat(text(dom, "total-callsListed"), equalTo("800"));
      assertThat(text(dom, "total-chunksEmbedded"), equalTo("2011"));
      assertThat(text(dom, "total-deadLetters"), equalTo("6"));
      assertThat(text(dom, "total-http429"), equalTo("9"));
      assertThat(text(dom, "total-gongRequests"), equalTo("321"));
      // Lag at the newest sample (taken 5 s before now): its time minus the newest call start.
      assertThat(Long.parseLong(text(dom, "total-freshnessLagSeconds")),
          equalTo((now - 5000) / 1000 - (now / 1000 - 120)));
      assertThat(text(dom, "progress-text"), containsString("calls 437/800"));
      assertThat(dom, containsString("backfill-page-test"));
      // One point per sample in each chart's series.
      for (String field : List.of("callsPerSecond", "chunksPerSecond", "deadLettersDelta",
          "http429Delta", "freshnessLagSeconds")) {
        assertThat(field, points(dom, field), equalTo(snapshots.size()));
      }
    }
  }

  String dumpDom(String url) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox",
        "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
        "--user-data-dir=" + profile, "--virtual-time-budget=5000", "--dump-dom", url));
    Path out = profile.resolve("dom.html");
    Path err = profile.resolve("chromium.log");
    Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
        .start();
    if (!p.waitFor(90, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("chromium did not finish; log:\n" + Files.readString(err));
    }
    String dom = Files.readString(out, StandardCharsets.UTF_8);
    assertThat("chromium exit " + p.exitValue() + "; log:\n" + Files.readString(err),
        dom.contains("</html>"), equalTo(true));
    return dom;
  }

  static String text(String dom, String id) {
    Matcher m = Pattern.compile("id=\"" + id + "\"[^>]*>([^<]*)<").matcher(dom);
    assertThat("element #" + id + " in the rendered page", m.find(), equalTo(true));
    return m.group(1).trim();
  }

  static int points(String dom, String field) {
    Matcher m = Pattern.compile("<polyline[^>]*data-field=\"" + field + "\"[^>]*points=\"([^\"]*)\""
        + "|<polyline[^>]*points=\"([^\"]*)\"[^>]*data-field=\"" + field + "\"").matcher(dom);
    assertThat("a polyline for " + field, m.find(), equalTo(true));
    String pts = m.group(1) != null ? m.group(1) : m.group(2);
    return pts.trim().split("\\s+").length;
  }
}
