package com.gongpipeline.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.gongpipeline.gong.GongCredentials;
import com.gongpipeline.gong.sim.GongSimulator;
import com.gongpipeline.gong.sim.SimulatorConfig;
import com.gongpipeline.metrics.MetricNames;
import com.gongpipeline.metrics.PipelineMetric;
import com.gongpipeline.pipeline.options.GongPipelineOptions;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.DoublePredicate;
import java.util.stream.Collectors;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Prometheus ({@code /usr/bin/prometheus}, Debian package {@code prometheus}) on
 * {@code runner-configs/prometheus.yml}, pointed at a backfill's {@code --metricsPort} and at a
 * stand-in for Flink's reporter: calls fetched appear and move while the job runs, the final
 * counts equal the job's own, every series is one {@link MetricNames} knows, and Flink's series
 * arrive under the same names. Skipped (with a message) where Prometheus is not installed; CI
 * installs it.
 */
class PrometheusScrapeTest {
  static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
  static final Path CONFIG = Path.of("../runner-configs/prometheus.yml");
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  int prometheusPort;

  @Test
  void prometheusScrapesARunningBackfillAndFlinkSeriesUnderTheSameNames() throws Exception {
    if (!Files.isExecutable(PROMETHEUS)) {
      System.err.println("SKIPPED PrometheusScrapeTest: " + PROMETHEUS + " not found "
          + "(apt-get install -y prometheus); CI installs it.");
      Assumptions.abort(PROMETHEUS + " not installed: nothing scrapes the endpoint here");
    }
    int jobPort = freePort();
    prometheusPort = freePort();
    Instant now = Instant.now();
    SimulatorConfig config = SimulatorConfig.builder().seed(11).calls(15)
        .callsFrom(now.minus(Duration.ofDays(5))).callsTo(now.minus(Duration.ofHours(1)))
        .callsPageSize(3).extensivePageSize(3).transcriptsPageSize(3)
        .serverErrorRate(0.05).requestsPerSecond(3).build();
    HttpServer flink = fakeFlinkReporter();
    Process prometheus = null;
    try (GongSimulator sim = GongSimulator.start(config)) {
      String yml = Files.readString(CONFIG)
          .replace("localhost:9464", "localhost:" + jobPort)
          .replaceAll("(?m)^(\\s*- targets: )\\[.*localhost:9250.*]$",
              "$1['localhost:" + flink.getAddress().getPort() + "']")
          .replaceAll("scrape_interval: \\S+", "scrape_interval: 1s");
      Files.writeString(dir.resolve("prometheus.yml"), yml);
      prometheus = new ProcessBuilder(PROMETHEUS.toString(),
          "--config.file=" + dir.resolve("prometheus.yml"),
          "--storage.tsdb.path=" + dir.resolve("data"),
          "--web.listen-address=127.0.0.1:" + prometheusPort)
          .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
      awaitReady();

      GongPipelineOptions o = PipelineOptionsFactory.fromArgs(
          "--gongBaseUrl=" + sim.baseUrl(), "--from=" + now.minus(Duration.ofDays(6)),
          "--to=" + now, "--warehouse=jdbc:duckdb:" + dir.resolve("w.duckdb"),
          "--gongRequestsPerSecond=4", "--progressSeconds=0",
          "--metricsPort=" + jobPort, "--metricsLingerSeconds=8")
          .as(GongPipelineOptions.class);
      CompletableFuture<JobRun.Summary> job = CompletableFuture.supplyAsync(() ->
          BackfillCommand.run(o, GongCredentials.of(config.accessKey(), config.accessKeySecret()),
              new PrintStream(new ByteArrayOutputStream())));

      String fetched = MetricNames.CALLS_FETCHED.prometheusName();
      double firstSeen = await("sum(" + fetched + "{job=\"gong-pipeline-direct\"})",
          v -> v > 0, job);
      JobRun.Summary s = job.get(5, TimeUnit.MINUTES);
      long parsed = s.metrics().get(MetricNames.CALLS_PARSED);
      assertThat(parsed, greaterThan(0L));
      // The last scrapes (during the linger) saw the job's final counts.
      assertThat(value("max_over_time(" + MetricNames.CALLS_PARSED.prometheusName()
          + "{job=\"gong-pipeline-direct\",job_id=\"" + s.log().jobId()
          + "\",mode=\"backfill\"}[10m])"), equalTo((double) parsed));
      double lastFetched = value("max_over_time(" + fetched + "[10m])");
      assertThat(lastFetched, equalTo((double) s.metrics().get(MetricNames.CALLS_FETCHED)));
      System.out.printf("Prometheus saw calls fetched %.0f first, %.0f at the end%n", firstSeen,
          lastFetched);
      assertThat(value("max_over_time(" + MetricNames.gongResponses(
          com.gongpipeline.gong.GongEndpoint.CALLS_EXTENSIVE, 200).prometheusName() + "[10m])"),
          greaterThan(0.0));

      // Freshness and the MERGE latency mirrors were exported too.
      assertThat(value("max_over_time(" + MetricNames.NEWEST_CALL_START.prometheusName()
          + "[10m])"), greaterThan((double) now.minus(Duration.ofDays(6)).getEpochSecond()));
      assertThat(value("max_over_time(" + MetricNames.countOf(MetricNames.MERGE_MS)
          .prometheusName() + "[10m])"), greaterThan(0.0));
      assertThat(unknownSeries(), empty());

      // Flink's reporter: two subtasks' series renamed to ours and summed by the dashboard.
      assertThat(await("sum(" + MetricNames.CALLS_PARSED.prometheusName()
          + "{runner=\"FlinkRunner\"})", v -> v == 7, null), equalTo(7.0));
      assertThat(value("count({__name__=~\"flink_taskmanager_job_task_operator_pipeline_.*\"})"
          + " or vector(0)"), equalTo(0.0));
    } finally {
      flink.stop(0);
      if (prometheus != null) {
        prometheus.destroy();
        if (!prometheus.waitFor(20, TimeUnit.SECONDS)) {
          prometheus.destroyForcibly();
        }
      }
    }
  }

  /** Series names Prometheus holds that the pipeline does not declare (a distribution's _min aside). */
  List<String> unknownSeries() throws Exception {
    Set<String> declared = MetricNames.all().stream().map(PipelineMetric::prometheusName)
        .collect(Collectors.toSet());
    List<String> unknown = new ArrayList<>();
    for (JsonNode n : get("/api/v1/label/__name__/values").get("data")) {
      String name = n.asText();
      if (name.startsWith(MetricNames.PROMETHEUS_PREFIX) && !declared.contains(name)
          && !(name.endsWith("_min") && declared.contains(name.replaceAll("_min$", "")))) {
        unknown.add(name);
      }
    }
    return unknown;
  }

  static HttpServer fakeFlinkReporter() throws IOException {
    HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 4);
    byte[] body = ("# TYPE flink_taskmanager_job_task_operator_pipeline_calls_parsed gauge\n"
        + "flink_taskmanager_job_task_operator_pipeline_calls_parsed{job_name=\"gong\","
        + "operator_name=\"ParseCalls\",subtask_index=\"0\"} 3.0\n"
        + "flink_taskmanager_job_task_operator_pipeline_calls_parsed{job_name=\"gong\","
        + "operator_name=\"ParseCalls\",subtask_index=\"1\"} 4.0\n"
        + "# TYPE flink_taskmanager_Status_JVM_CPU_Load gauge\n"
        + "flink_taskmanager_Status_JVM_CPU_Load 0.5\n").getBytes(StandardCharsets.UTF_8);
    s.createContext("/metrics", ex -> {
      ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    s.start();
    return s;
  }

  void awaitReady() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      try {
        if (HTTP.send(request("/-/ready"), HttpResponse.BodyHandlers.discarding()).statusCode()
            == 200) {
          return;
        }
      } catch (IOException notYet) {
        // starting
      }
      Thread.sleep(250);
    }
    throw new AssertionError("Prometheus not ready; log:\n" + log());
  }

  /** Polls an instant query until its value passes, or the job ends, or 3 minutes pass. */
  double await(String query, DoublePredicate ok, CompletableFuture<?> job) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    double v = Double.NaN;
    while (System.nanoTime() < deadline) {
      v = value(query);
      if (ok.test(v)) {
        return v;
      }
      if (job != null && job.isDone()) {
        job.join(); // a failed job fails here with its own error
        break;
      }
      Thread.sleep(500);
    }
    throw new AssertionError(query + " = " + v + "; Prometheus log:\n" + log());
  }

  /** The value of a query's single result, NaN when it has none. */
  double value(String query) throws Exception {
    JsonNode result = get("/api/v1/query?query="
        + URLEncoder.encode(query, StandardCharsets.UTF_8)).at("/data/result");
    return result.size() == 0 ? Double.NaN : result.get(0).at("/value/1").asDouble();
  }

  JsonNode get(String path) throws Exception {
    HttpResponse<String> r = HTTP.send(request(path), HttpResponse.BodyHandlers.ofString());
    assertThat(path + ": " + r.body(), r.statusCode(), equalTo(200));
    return JSON.readTree(r.body());
  }

  HttpRequest request(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + prometheusPort + path))
        .timeout(Duration.ofSeconds(10)).build();
  }

  String log() throws IOException {
    List<String> lines = Files.readAllLines(dir.resolve("prometheus.log"));
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
