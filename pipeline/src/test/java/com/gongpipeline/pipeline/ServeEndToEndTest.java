package com.gongpipeline.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.gongpipeline.gong.GongCredentials;
import com.gongpipeline.gong.sim.GongSimulator;
import com.gongpipeline.gong.sim.SimulatorConfig;
import com.gongpipeline.model.TimeWindow;
import com.gongpipeline.parse.JsonSupport;
import com.gongpipeline.pipeline.options.GongPipelineOptions;
import com.gongpipeline.serving.Serve;
import com.gongpipeline.testing.FakeEnrichmentProvider;
import com.gongpipeline.testing.MutableClock;
import com.gongpipeline.warehouse.Warehouse;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13 end to end: {@code serve} on a warehouse backfilled from the Gong simulator answers
 * every HTTP route, the page and each MCP tool (through the SDK's own client); a call written
 * after it started appears after one refresh, a call deleted in Gong disappears after the sweep
 * that flags it and one refresh; a non-loopback bind needs the token.
 */
class ServeEndToEndTest {
  static final Instant DAY = Instant.parse("2026-06-01T00:00:00Z");
  static final TimeWindow DAY1 = new TimeWindow(DAY, DAY.plus(Duration.ofDays(1)));
  static final TimeWindow BOTH = new TimeWindow(DAY, DAY.plus(Duration.ofDays(2)));
  final HttpClient http = HttpClient.newHttpClient();

  @TempDir Path dir;

  @Test
  void servesRoutesMcpAndPageStaysFreshAndForgetsDeletedCalls() throws Exception {
    SimulatorConfig config = SimulatorConfig.builder()
        .seed(13).calls(8).callsFrom(BOTH.from()).callsTo(BOTH.to())
        .clock(new MutableClock(DAY.plus(Duration.ofDays(10)))).requestsPerSecond(50).build();
    String url = "jdbc:duckdb:" + dir.resolve("serve.duckdb");
    try (GongSimulator sim = GongSimulator.start(config)) {
      backfill(sim, url, "sv-1", DAY1);
      try (Serve serve = Serve.start(Serve.Settings.of(url).withPort(0).withRefreshSeconds(0)
          .withIndexDir(":memory:"), new FakeEnrichmentProvider().embedder())) {
        String base = serve.baseUrl();
        JsonNode health = get(base + "/health", 200);
        assertThat(health.get("model").asText(), equalTo("fake-4d"));
        int rows = health.get("rows_indexed").asInt();
        assertThat(rows, greaterThan(0));
        assertThat(rows, equalTo(count(url, "SELECT COUNT(*) AS V FROM AI_MEMORY.MEMORY_RECORDS")));

        JsonNode search = get(base + "/api/search?q=pricing&k=3", 200);
        assertThat(search.get("hits"), org.hamcrest.Matchers.iterableWithSize(3));
        JsonNode hit = search.get("hits").get(0);
        for (String f : List.of("score", "call_id", "memory_id", "title", "started", "account",
            "speaker", "affiliation", "start_ms", "end_ms", "text", "url")) {
          assertThat(f, hit.has(f), equalTo(true));
        }
        assertThat(search.get("took_ms"), notNullValue());
        String callId = hit.get("call_id").asText();
        // The search CLI's fast path: this serve answers for this warehouse, not for another.
        List<com.gongpipeline.warehouse.SearchHit> viaServe =
            ServedSearch.tryServe(base, url, "pricing", 3, null, null, null);
        assertThat(viaServe, hasSize(3));
        assertThat(viaServe.get(0).callId(), equalTo(callId));
        assertThat(ServedSearch.tryServe(base, "jdbc:duckdb:/elsewhere.duckdb", "pricing", 3, null,
            null, null), org.hamcrest.Matchers.nullValue());
        JsonNode call = get(base + "/api/calls/" + callId, 200);
        assertThat(call.get("title").asText(), equalTo(hit.get("title").asText()));
        // The call's intelligence as stored: every tracker row, every next step, the summary.
        assertThat(call.get("trackers").size(), equalTo(count(url, "SELECT COUNT(*) AS V FROM"
            + " STG_TRANSFORMED.STG_GONG_CALL_TRACKERS WHERE CALL_ID = '" + callId + "'")));
        assertThat(call.get("next_steps").size(), equalTo(count(url, "SELECT"
            + " COALESCE(json_array_length(NEXT_STEPS), 0) AS V FROM"
            + " STG_TRANSFORMED.STG_GONG_CALLS WHERE CALL_ID = '" + callId + "'")));
        assertThat(call.get("summary").isNull(), equalTo(count(url, "SELECT COUNT(*) AS V FROM"
            + " STG_TRANSFORMED.STG_GONG_CALLS WHERE CALL_ID = '" + callId + "' AND"
            + " COALESCE(CALL_SUMMARY, CALL_BRIEF) IS NULL") == 1));
        get(base + "/api/calls/no-such-call", 404);
        get(base + "/api/search?q=x&mode=fuzzy", 400);
        get(base + "/api/search?q=x&risk=weather", 400);
        // tracker=: only calls where Gong's tracker counted a mention, however far they rank.
        String tracker;
        List<String> tracked = new ArrayList<>();
        try (Warehouse wh = Warehouse.open(url)) {
          tracker = String.valueOf(wh.query("SELECT TRACKER_NAME AS V FROM"
              + " STG_TRANSFORMED.STG_GONG_CALL_TRACKERS WHERE MENTION_COUNT > 0 GROUP BY 1"
              + " ORDER BY COUNT(*), 1 LIMIT 1").get(0).get("V"));
          wh.query("SELECT DISTINCT CALL_ID AS V FROM STG_TRANSFORMED.STG_GONG_CALL_TRACKERS"
              + " WHERE TRACKER_NAME = ? AND MENTION_COUNT > 0", tracker)
              .forEach(r -> tracked.add(String.valueOf(r.get("V"))));
        }
        JsonNode byTracker = get(base + "/api/search?q=pricing&k=100&tracker="
            + enc(tracker.toLowerCase(java.util.Locale.ROOT)), 200);
        List<String> trackerCalls = new ArrayList<>();
        byTracker.get("hits").forEach(h -> trackerCalls.add(h.get("call_id").asText()));
        assertThat(trackerCalls.isEmpty(), equalTo(false));
        assertThat(tracked.containsAll(trackerCalls), equalTo(true));
        // risk=: this warehouse's chunks were embedded by a 4-d test model, so none is classified.
        assertThat(get(base + "/api/search?q=pricing&risk=pricing", 200).get("hits").size(),
            equalTo(count(url, "SELECT COUNT(*) AS V FROM STG_TRANSFORMED.STG_GONG_CALLS"
                + " WHERE CAST(RISK_INDICATORS AS VARCHAR) LIKE '%memory_id%'")));

        JsonNode page = get(base + "/api/calls/" + callId + "/transcript?offset=1&limit=2", 200);
        assertThat(page.get("source").asText(), equalTo("ai_memory"));
        assertThat(page.get("items").get(0).get("index").asInt(), equalTo(1));
        // Keyword mode finds a chunk by its own words; speaker filter keeps only that side.
        JsonNode chunk = page.get("items").get(0);
        JsonNode kw = get(base + "/api/search?mode=keyword&k=10&speaker="
            + chunk.get("affiliation").asText() + "&q=" + enc(chunk.get("text").asText()), 200);
        assertThat(memoryIds(kw), hasItem(chunk.get("memory_id").asText()));
        kw.get("hits").forEach(h -> assertThat(h.get("affiliation").asText(),
            equalTo(chunk.get("affiliation").asText())));
        // Similar calls: the similar command's ranking over AI_MEMORY.CALL_VECTORS, same scores.
        JsonNode similar = get(base + "/api/calls/" + callId + "/similar?k=5", 200);
        assertThat(similar.get("method").asText(), equalTo("call_vectors"));
        List<SimilarCommand.Hit> cli = SimilarCommand.run(new String[] {"--call=" + callId,
            "--k=5", "--json", "--warehouse=" + url}, new PrintStream(new ByteArrayOutputStream()));
        assertThat(cli.size(), greaterThan(1));
        List<String> served = new ArrayList<>();
        similar.get("hits").forEach(h -> served.add(h.get("call_id").asText()));
        assertThat(served, equalTo(cli.stream().map(h -> h.call().callId()).toList()));
        for (int i = 0; i < cli.size(); i++) {
          assertThat(similar.get("hits").get(i).get("score").asDouble(),
              org.hamcrest.Matchers.closeTo(cli.get(i).score(), 1e-9));
        }
        if (!hit.get("account").isNull()) {
          JsonNode brief = get(base + "/api/accounts/" + enc(hit.get("account").asText())
              + "/brief", 200);
          assertThat(brief.get("calls").size(), greaterThan(0));
        }
        HttpResponse<String> html = raw(base + "/", null);
        assertThat(html.statusCode(), equalTo(200));
        assertThat(html.headers().firstValue("Content-Type").orElse(""), containsString("html"));
        assertThat(html.body(), not(containsString("https://cdn")));
        pageInChromium(base, callId, hit.get("chunk_index").asInt());

        mcp(base, callId);

        // Freshness: day 2's calls are written after serve started; one refresh shows them.
        List<String> before = calls(url);
        backfill(sim, url, "sv-2", BOTH);
        List<String> added = new ArrayList<>(calls(url));
        added.removeAll(before);
        assertThat(added.isEmpty(), equalTo(false));
        get(base + "/api/calls/" + added.get(0) + "/transcript", 404);
        serve.api().refresher().refresh();
        get(base + "/api/calls/" + added.get(0) + "/transcript", 200);
        assertThat(get(base + "/health", 200).get("rows_indexed").asInt(),
            equalTo(count(url, "SELECT COUNT(*) AS V FROM AI_MEMORY.MEMORY_RECORDS")));

        // Deletion: gone from Gong, flagged by the next complete sweep, gone after one refresh.
        sim.deleteCall(callId);
        backfill(sim, url, "sv-3", BOTH);
        serve.api().refresher().refresh();
        get(base + "/api/calls/" + callId + "/transcript", 404);
        get(base + "/api/calls/" + callId, 404);
        JsonNode all = get(base + "/api/search?q=pricing&k=100&mode=semantic", 200);
        all.get("hits").forEach(h -> assertThat(h.get("call_id").asText(), not(equalTo(callId))));
      }

      // The token rule: no token, no non-loopback bind; with one, every request must carry it.
      IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
          () -> Serve.start(Serve.Settings.of(url).withPort(0).withBind("0.0.0.0", null)
              .withIndexDir(":memory:"), new FakeEnrichmentProvider().embedder()));
      assertThat(refused.getMessage(), containsString("SERVE_TOKEN"));
      try (Serve open = Serve.start(Serve.Settings.of(url).withPort(0).withRefreshSeconds(0)
          .withBind("0.0.0.0", "s3cret").withIndexDir(":memory:"),
          new FakeEnrichmentProvider().embedder())) {
        String base = "http://127.0.0.1:" + URI.create(open.baseUrl()).getPort();
        assertThat(raw(base + "/health", null).statusCode(), equalTo(401));
        assertThat(raw(base + "/health", "wrong").statusCode(), equalTo(401));
        assertThat(raw(base + "/health", "s3cret").statusCode(), equalTo(200));
      }
    }
  }

  /**
   * The page in headless Chromium: {@code /#q=…} runs the search and opens the first hit's call
   * with the hit's transcript chunk marked current. Skipped (saying so) without Chromium.
   */
  private void pageInChromium(String base, String callId, int chunk) throws Exception {
    Path chromium = Path.of("/usr/bin/chromium");
    if (!java.nio.file.Files.isExecutable(chromium)) {
      System.err.println("SKIPPED the search page in Chromium: " + chromium + " not found");
      return;
    }
    Path profile = dir.resolve("chromium");
    Path out = dir.resolve("dom.html");
    Process p = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox",
        "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
        "--user-data-dir=" + profile, "--virtual-time-budget=8000", "--dump-dom",
        base + "/#q=pricing&k=3").redirectOutput(out.toFile())
        .redirectError(dir.resolve("chromium.log").toFile()).start();
    if (!p.waitFor(90, java.util.concurrent.TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("chromium did not finish");
    }
    String dom = java.nio.file.Files.readString(out);
    assertThat(dom, containsString("data-hits=\"3\""));
    assertThat(dom, containsString("data-call=\"" + callId + "\""));
    assertThat(dom, containsString("class=\"turn current\" id=\"turn-" + chunk + "\""));
  }

  /** initialize, list the five tools, call each through the SDK client. */
  private void mcp(String base, String callId) {
    McpSyncClient client = McpClient.sync(HttpClientStreamableHttpTransport.builder(base)
        .endpoint("/mcp").build()).requestTimeout(Duration.ofSeconds(30)).build();
    try {
      client.initialize();
      List<String> names = client.listTools().tools().stream().map(McpSchema.Tool::name).toList();
      assertThat(names, org.hamcrest.Matchers.containsInAnyOrder("search_calls", "get_call",
          "get_transcript", "similar_calls", "account_brief"));
      JsonNode found = tool(client, "search_calls", Map.of("query", "pricing", "k", 2));
      assertThat(found.get("hits").size(), equalTo(2));
      JsonNode h = found.get("hits").get(0);
      assertThat(h.get("citation").asText(), containsString(h.get("call_id").asText()));
      assertThat(h.get("citation").asText(), containsString(h.get("at").asText()));
      assertThat(tool(client, "get_call", Map.of("call_id", callId)).get("call_id").asText(),
          equalTo(callId));
      assertThat(tool(client, "get_transcript", Map.of("call_id", callId, "limit", 1))
          .get("items").size(), equalTo(1));
      assertThat(tool(client, "similar_calls", Map.of("call_id", callId, "k", 1)).get("hits")
          .size(), equalTo(1));
      if (!h.get("account").isNull()) {
        assertThat(tool(client, "account_brief", Map.of("account", h.get("account").asText()))
            .get("calls").size(), greaterThan(0));
      }
      McpSchema.CallToolResult missing = client.callTool(new McpSchema.CallToolRequest("get_call",
          Map.of("call_id", "no-such-call")));
      assertThat(missing.isError(), equalTo(true));
    } finally {
      client.closeGracefully();
    }
  }

  private static JsonNode tool(McpSyncClient client, String name, Map<String, Object> args) {
    McpSchema.CallToolResult r = client.callTool(new McpSchema.CallToolRequest(name, args));
    assertThat(name, r.isError(), equalTo(false));
    return JsonSupport.parse(((McpSchema.TextContent) r.content().get(0)).text());
  }

  private static List<String> memoryIds(JsonNode result) {
    List<String> out = new ArrayList<>();
    result.get("hits").forEach(h -> out.add(h.get("memory_id").asText()));
    return out;
  }

  private JsonNode get(String url, int status) throws Exception {
    HttpResponse<String> r = raw(url, null);
    assertThat(url + " -> " + r.body(), r.statusCode(), equalTo(status));
    return JsonSupport.parse(r.body());
  }

  private HttpResponse<String> raw(String url, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static List<String> calls(String url) {
    try (Warehouse wh = Warehouse.open(url)) {
      List<String> out = new ArrayList<>();
      wh.query("SELECT DISTINCT SOURCE_ID AS V FROM AI_MEMORY.MEMORY_RECORDS ORDER BY 1")
          .forEach(r -> out.add(String.valueOf(r.get("V"))));
      return out;
    }
  }

  private static int count(String url, String sql) {
    try (Warehouse wh = Warehouse.open(url)) {
      return ((Number) wh.query(sql).get(0).get("V")).intValue();
    }
  }

  static void backfill(GongSimulator sim, String url, String jobId, TimeWindow range) {
    GongPipelineOptions o = PipelineOptionsFactory.fromArgs("--gongBaseUrl=" + sim.baseUrl(),
        "--warehouse=" + url, "--gongRequestsPerSecond=40", "--progressSeconds=0",
        "--listWindow=P1D").as(GongPipelineOptions.class);
    GongCredentials credentials = GongCredentials.of(sim.config().accessKey(),
        sim.config().accessKeySecret());
    Pipeline p = Pipeline.create(o);
    GongBackfill.buildPipeline(p, o,
        GongBackfill.Seams.of(GongBackfill.gongConfig(o, credentials), o, jobId),
        new FakeEnrichmentProvider(), range, jobId);
    JobRun.run(p, o, jobId, "backfill", range.from(), range.to(),
        new PrintStream(new ByteArrayOutputStream()));
  }
}
