package com.gongpipeline.gong.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** Test-side HTTP client for the simulator: real requests through {@link HttpClient}. */
final class SimHttp {

  static final ObjectMapper JSON = new ObjectMapper();

  /** One answer; {@code json} is null when the body is not valid JSON. */
  record Response(int status, String body, JsonNode json, HttpResponse<String> raw) {
    Optional<String> header(String name) {
      return raw.headers().firstValue(name);
    }

    String firstError() {
      return json.path("errors").path(0).asText();
    }
  }

  private final HttpClient client = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final String baseUrl;
  private final String auth;

  SimHttp(GongSimulator sim) {
    this(sim.baseUrl(), sim.config().accessKey(), sim.config().accessKeySecret());
  }

  SimHttp(String baseUrl, String key, String secret) {
    this.baseUrl = baseUrl;
    this.auth = key == null ? null : "Basic " + Base64.getEncoder()
        .encodeToString((key + ":" + secret).getBytes(StandardCharsets.UTF_8));
  }

  Response get(String pathAndQuery) throws IOException {
    return send(builder(pathAndQuery).GET().build());
  }

  Response post(String path, String json) throws IOException {
    return send(builder(path).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build());
  }

  Response post(String path, JsonNode json) throws IOException {
    return post(path, json.toString());
  }

  /** {@code GET /v2/calls} for [from, to), with an optional cursor. */
  Response listCalls(Instant from, Instant to, String cursor) throws IOException {
    return get("/v2/calls?fromDateTime=" + enc(from.toString()) + "&toDateTime=" + enc(to.toString())
        + (cursor == null ? "" : "&cursor=" + enc(cursor)));
  }

  /**
   * Follows cursors until the last page; returns every page. {@code request} turns a cursor
   * (null for the first page) into a response; every page must be a 200.
   */
  static List<Response> allPages(IoFunction<String, Response> request) throws IOException {
    List<Response> pages = new ArrayList<>();
    String cursor = null;
    do {
      Response r = request.apply(cursor);
      if (r.status() != 200) {
        throw new AssertionError("page " + pages.size() + " failed: " + r.status() + " " + r.body());
      }
      pages.add(r);
      cursor = r.json().path("records").path("cursor").asText(null);
    } while (cursor != null);
    return pages;
  }

  /** A function that may throw IOException. */
  interface IoFunction<A, B> {
    B apply(A a) throws IOException;
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  static <T> List<T> flatMapPages(List<Response> pages, String array, Function<JsonNode, T> f) {
    List<T> out = new ArrayList<>();
    pages.forEach(p -> p.json().path(array).forEach(n -> out.add(f.apply(n))));
    return out;
  }

  private HttpRequest.Builder builder(String pathAndQuery) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery))
        .timeout(Duration.ofSeconds(20));
    if (auth != null) {
      b.header("Authorization", auth);
    }
    return b;
  }

  private Response send(HttpRequest request) throws IOException {
    try {
      HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
      JsonNode json;
      try {
        json = JSON.readTree(r.body());
      } catch (IOException e) {
        json = null;
      }
      return new Response(r.statusCode(), r.body(), json, r);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }
}
