package com.gongpipeline.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import com.gongpipeline.cortex.sim.CortexSimulator;
import com.gongpipeline.cortex.sim.CortexSimulatorConfig;
import com.gongpipeline.gong.sim.GongSimulator;
import com.gongpipeline.gong.sim.SimulatorConfig;
import com.gongpipeline.parse.JsonSupport;
import com.gongpipeline.serving.CortexSearchBackend;
import com.gongpipeline.serving.Serve;
import com.gongpipeline.snowflake.SnowflakeCredentials;
import com.gongpipeline.testing.FakeEnrichmentProvider;
import com.gongpipeline.testing.MutableClock;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve --searchBackend=cortex}: /api/search answered by a Cortex Search Service through
 * its REST API (the Cortex stand-in answering from the same warehouse) over real HTTP, filters
 * sent as the service's filter, hits cited from the local index, the token never echoed.
 */
class ServeCortexSearchTest {
  final HttpClient http = HttpClient.newHttpClient();
  @TempDir Path dir;

  @Test
  void searchesGoToTheCortexSearchServiceWithFiltersAndCitations() throws Exception {
    SimulatorConfig config = SimulatorConfig.builder().seed(13).calls(4)
        .callsFrom(ServeEndToEndTest.DAY1.from()).callsTo(ServeEndToEndTest.DAY1.to())
        .clock(new MutableClock(ServeEndToEndTest.DAY.plus(Duration.ofDays(10))))
        .requestsPerSecond(50).build();
    String url = "jdbc:duckdb:" + dir.resolve("cortex-serve.duckdb");
    try (GongSimulator sim = GongSimulator.start(config);
        CortexSimulator cortex = CortexSimulator.start(CortexSimulatorConfig.builder().build())) {
      ServeEndToEndTest.backfill(sim, url, "cs-1", ServeEndToEndTest.DAY1);
      cortex.serveSearchFrom(url);
      try (Serve serve = Serve.start(Serve.Settings.of(url).withPort(0).withRefreshSeconds(0)
          .withIndexDir(":memory:"), new FakeEnrichmentProvider().embedder())) {
        var auth = SnowflakeCredentials.pat(CortexSimulatorConfig.DEMO_PAT, null, null).resolve();
        serve.api().useCortexSearch(new CortexSearchBackend(new CortexSearchBackend.Config(
            cortex.baseUrl(), "GONG", "AI_MEMORY", "GONG_CALL_SEARCH", () -> auth,
            Duration.ofSeconds(30))));
        String base = serve.baseUrl();

        JsonNode r = get(base + "/api/search?q=pricing&k=3", 200);
        assertThat(r.get("mode").asText(), equalTo("cortex"));
        assertThat(r.get("hits").size(), greaterThan(0));
        assertThat(r.get("hits").size(), lessThanOrEqualTo(3));
        for (JsonNode h : r.get("hits")) {
          assertThat(h.get("text").asText().toLowerCase(Locale.ROOT), containsString("pricing"));
          // Cited from the local index: title, speaker and mm:ss are there.
          assertThat(h.get("title").isNull(), equalTo(false));
          assertThat(h.get("citation").asText(), containsString(h.get("call_id").asText()));
        }
        CortexSimulator.SearchRequestSeen seen = cortex.searches().get(0);
        assertThat(seen.path(), equalTo("/api/v2/databases/GONG/schemas/AI_MEMORY"
            + "/cortex-search-services/GONG_CALL_SEARCH:query"));
        assertThat(seen.query(), equalTo("pricing"));
        assertThat(seen.limit(), equalTo(3));

        // Filters travel as the service's filter and hold for every hit.
        String account = r.get("hits").get(0).get("account").asText();
        JsonNode f = get(base + "/api/search?q=pricing&k=20&speaker=external&account="
            + URLEncoder.encode(account, StandardCharsets.UTF_8), 200);
        assertThat(cortex.searches().get(1).filter(), containsString("@and"));
        for (JsonNode h : f.get("hits")) {
          assertThat(h.get("affiliation").asText(), equalTo("External"));
          assertThat(h.get("account").asText(), equalTo(account));
        }
        // since is inclusive and until exclusive, as in the local index: a call started exactly
        // at `until` is left out, and is in when the same instant is `since`.
        JsonNode first = r.get("hits").get(0);
        String at = URLEncoder.encode(first.get("started").asText(), StandardCharsets.UTF_8);
        JsonNode before = get(base + "/api/search?q=pricing&k=50&until=" + at, 200);
        for (JsonNode h : before.get("hits")) {
          assertThat(h.get("call_id").asText(), not(equalTo(first.get("call_id").asText())));
        }
        assertThat(cortex.searches().get(2).filter(), containsString("@not"));
        JsonNode from = get(base + "/api/search?q=pricing&k=50&since=" + at, 200);
        assertThat(from.findValuesAsText("call_id"), hasItem(first.get("call_id").asText()));
        get(base + "/api/search?q=pricing&risk=pricing", 400);
        assertThat(get(base + "/health", 200).get("search_backend").asText(),
            equalTo("cortex"));

        // A refused token: an error, and the token is in no answer.
        var wrong = SnowflakeCredentials.pat("not-the-pat-s3cret", null, null).resolve();
        serve.api().useCortexSearch(new CortexSearchBackend(new CortexSearchBackend.Config(
            cortex.baseUrl(), "GONG", "AI_MEMORY", "GONG_CALL_SEARCH", () -> wrong,
            Duration.ofSeconds(30))));
        HttpResponse<String> refused = raw(base + "/api/search?q=pricing");
        assertThat(refused.statusCode(), equalTo(500));
        assertThat(refused.body(), not(containsString("not-the-pat-s3cret")));
        assertThat(cortex.authRefusals().size(), equalTo(1));
      }
    }
  }

  private JsonNode get(String url, int status) throws Exception {
    HttpResponse<String> r = raw(url);
    assertThat(url + " -> " + r.body(), r.statusCode(), equalTo(status));
    return JsonSupport.parse(r.body());
  }

  private HttpResponse<String> raw(String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
        .build(), HttpResponse.BodyHandlers.ofString());
  }
}
