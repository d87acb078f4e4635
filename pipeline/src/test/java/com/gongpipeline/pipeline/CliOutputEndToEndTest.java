package com.gongpipeline.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.gongpipeline.gong.sim.GongSimulator;
import com.gongpipeline.gong.sim.SimulatorConfig;
import com.gongpipeline.testing.ChildJvm;
import com.gongpipeline.testing.ChildJvms;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 item 5: what a backfill prints on a terminal, run as users run it (its own JVM, the
 * job jar's logging configuration, stdout and stderr apart). Each progress line shows once; the
 * run ends with the human summary, not a Java Map; {@code --json} prints exactly one JSON object
 * on stdout; {@code --quiet} prints the status line alone and no progress.
 */
class CliOutputEndToEndTest {
  static final Instant FROM = Instant.parse("2026-06-01T00:00:00Z");
  static final Instant TO = FROM.plus(Duration.ofDays(1));

  @TempDir Path dir;
  @RegisterExtension final ChildJvms children = new ChildJvms();

  @Test
  void progressOnceThenTheSummary_jsonIsOneObject_quietIsTheStatusLineAlone() throws Exception {
    SimulatorConfig config = SimulatorConfig.builder().seed(14).calls(2).callsFrom(FROM)
        .callsTo(TO).privateCallRate(0).requestsPerSecond(50).build();
    String url = "jdbc:duckdb:" + dir.resolve("output.duckdb");
    try (GongSimulator sim = GongSimulator.start(config)) {
      // 1. Human output: every progress line once (stdout), then the summary.
      List<ChildJvm.Line> human = backfill(sim, config, url);
      List<String> progress = new ArrayList<>();
      for (ChildJvm.Line l : human) {
        if (l.text().contains("] calls ") && l.text().contains("chunks embedded")) {
          progress.add(l.stream() + " " + l.text().substring(l.text().indexOf('[')));
        }
      }
      assertThat("a 1 s progress interval over a run of seconds", progress.size(),
          greaterThan(0));
      Map<String, Integer> seen = new TreeMap<>();
      progress.forEach(p -> seen.merge(p.substring(p.indexOf(' ') + 1), 1, Integer::sum));
      seen.forEach((line, n) -> assertThat(line, n, equalTo(1)));
      assertThat(progress.stream().filter(p -> p.startsWith("ERR")).toList(), empty());
      List<String> out = texts(human, ChildJvm.Stream.OUT);
      int status = indexOfMatch(out, "Job backfill-\\S+ SUCCEEDED: 2 calls, \\d+ chunks in "
          + "[0-9.]+ s, 0 dead letters, exit 0");
      assertThat(String.join("\n", out), status, greaterThan(-1));
      List<String> summary = out.subList(status, out.size());
      String text = String.join("\n", summary);
      assertThat(text, containsString("throughput: "));
      assertThat(text, containsString("Gong API: "));
      assertThat(text, matchesPattern("(?s).*STG_TRANSFORMED.STG_GONG_CALLS +2 +2\\b.*"));
      // No Java Map rendering ({A=1, B=2}) anywhere in the summary.
      assertThat(text, not(containsString("{")));
      assertThat(text, not(containsString("=")));

      // 2. --json: stdout is exactly one line, one JSON object with the documented fields.
      List<ChildJvm.Line> json = backfill(sim, config, url, "--json");
      List<String> jsonOut = texts(json, ChildJvm.Stream.OUT);
      assertThat(jsonOut, hasSize(1));
      JsonNode o = new ObjectMapper().readTree(jsonOut.get(0));
      assertThat(o.isObject(), equalTo(true));
      for (String field : List.of("job_id", "job_type", "status", "exit_code", "runner",
          "window_from", "window_to", "started_at", "finished_at", "duration_s", "calls",
          "chunks", "calls_per_s", "chunks_per_s", "gong_requests", "gong_retries", "gong_429",
          "dead_letters", "calls_deleted", "pii_redactions", "tables", "rows_merged")) {
        assertThat(field, o.has(field), equalTo(true));
      }
      assertThat(o.get("status").asText(), equalTo("SUCCEEDED"));
      assertThat(o.get("exit_code").asInt(), equalTo(0));
      assertThat(o.get("calls").asLong(), equalTo(2L));
      assertThat(o.at("/tables/STG_TRANSFORMED.STG_GONG_CALLS").asLong(), equalTo(2L));
      // What the human run printed on stdout went to stderr instead.
      assertThat(texts(json, ChildJvm.Stream.ERR).stream()
          .anyMatch(l -> l.startsWith("Backfill backfill-")), equalTo(true));

      // 3. --quiet: the status line alone, no progress and no log lines on either stream.
      List<ChildJvm.Line> quiet = backfill(sim, config, url, "--quiet");
      List<String> quietOut = texts(quiet, ChildJvm.Stream.OUT);
      assertThat(quietOut, hasSize(1));
      assertThat(quietOut.get(0), matchesPattern("Job backfill-\\S+ SUCCEEDED: 2 calls, .*"));
      assertThat(texts(quiet, ChildJvm.Stream.ERR), empty());
    }
  }

  /** A backfill of the simulator's day in its own JVM: every line it printed, once it exited. */
  private List<ChildJvm.Line> backfill(GongSimulator sim, SimulatorConfig config, String url,
      String... more) throws Exception {
    List<String> args = new ArrayList<>(List.of("backfill", "--gongBaseUrl=" + sim.baseUrl(),
        "--from=" + FROM, "--to=" + TO, "--warehouse=" + url, "--progressSeconds=1",
        "--gongRequestsPerSecond=40", "--listWindow=P1D"));
    args.addAll(List.of(more));
    ChildJvm child = children.start(ChildJvm.main(GongPipelineCli.class.getName())
        .args(args).jvmArgs("-Xmx1g")
        .env("GONG_ACCESS_KEY", config.accessKey())
        .env("GONG_ACCESS_KEY_SECRET", config.accessKeySecret())
        .follow());
    int code = child.waitFor(Duration.ofSeconds(240));
    assertThat(child.tail(), code, equalTo(0));
    List<ChildJvm.Line> lines = new ArrayList<>();
    BlockingQueue<ChildJvm.Line> queue = child.lines();
    for (ChildJvm.Line l; (l = queue.poll(100, TimeUnit.MILLISECONDS)) != null; ) {
      lines.add(l);
    }
    lines.forEach(l -> System.out.println("child " + l.stream() + "> " + l.text()));
    return lines;
  }

  private static List<String> texts(List<ChildJvm.Line> lines, ChildJvm.Stream stream) {
    return lines.stream().filter(l -> l.stream() == stream).map(ChildJvm.Line::text).toList();
  }

  private static int indexOfMatch(List<String> lines, String regex) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).matches(regex)) {
        return i;
      }
    }
    return -1;
  }
}
