package com.gongpipeline.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.gongpipeline.errors.SecretRedaction;
import com.gongpipeline.parse.JsonSupport;
import com.gongpipeline.warehouse.SearchHit;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The {@code search} command's fast path: a {@code serve} already running on the default port
 * (model loaded, index warm) answers in milliseconds instead of a JVM start and a model load. Used
 * only when it answers /health within {@link #PROBE} and serves the same warehouse; otherwise
 * search falls back to the direct path.
 */
final class ServedSearch {
  static final String DEFAULT_URL = "http://127.0.0.1:" + ServeCommand.DEFAULT_PORT;
  static final Duration PROBE = Duration.ofMillis(300);
  static final Duration QUERY = Duration.ofSeconds(30);

  private ServedSearch() {}

  /** The served hits, or null when no matching serve answers. */
  static @Nullable List<SearchHit> tryServe(String base, String warehouse, String query, int k,
      @Nullable String account, @Nullable Instant since, @Nullable String speaker) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(PROBE).build();
    try {
      JsonNode health = get(http, base + "/health", PROBE);
      if (health == null || !SecretRedaction.redact(warehouse)
          .equals(health.path("warehouse").asText(null))) {
        return null;
      }
      StringBuilder url = new StringBuilder(base).append("/api/search?q=").append(enc(query))
          .append("&k=").append(k);
      if (account != null) {
        url.append("&account=").append(enc(account));
      }
      if (since != null) {
        url.append("&since=").append(enc(since.toString()));
      }
      if (speaker != null) {
        url.append("&speaker=").append(enc(speaker));
      }
      JsonNode result = get(http, url.toString(), QUERY);
      if (result == null) {
        return null;
      }
      List<SearchHit> hits = new ArrayList<>();
      for (JsonNode h : result.path("hits")) {
        hits.add(new SearchHit(h.path("score").asDouble(), h.path("memory_id").asText(),
            h.path("call_id").asText(), text(h, "title"),
            h.hasNonNull("started") ? Instant.parse(h.get("started").asText()) : null,
            text(h, "account"), text(h, "speaker"), text(h, "affiliation"),
            h.hasNonNull("start_ms") ? h.get("start_ms").asLong() : null,
            h.hasNonNull("end_ms") ? h.get("end_ms").asLong() : null, h.path("text").asText()));
      }
      return hits;
    } catch (Exception e) {
      return null; // not running, or not answering: the direct path
    }
  }

  private static @Nullable JsonNode get(HttpClient http, String url, Duration timeout)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(timeout);
    String token = System.getenv("SERVE_TOKEN");
    if (token != null && !token.isBlank()) {
      b.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return r.statusCode() == 200 ? JsonSupport.parse(r.body()) : null;
  }

  private static @Nullable String text(JsonNode h, String f) {
    return h.hasNonNull(f) ? h.get(f).asText() : null;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
