package com.gongpipeline.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.gongpipeline.parse.JsonSupport;
import com.gongpipeline.snowflake.SnowflakeAuth;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * {@code serve --searchBackend=cortex}: search answered by a Snowflake Cortex Search Service over
 * AI_MEMORY ({@code sql/snowflake/admin/130_cortex_search_service.sql} creates {@code
 * AI_MEMORY.GONG_CALL_SEARCH}) through its REST API: {@code POST
 * /api/v2/databases/{db}/schemas/{schema}/cortex-search-services/{name}:query} with {@code
 * {"query", "columns", "filter", "limit"}}. The account, speaker side and date filters become the
 * service's filter ({@code @eq}, {@code @gte}, and {@code @not @gte} for the exclusive {@code
 * until}, over its attributes, inside the search). One request per query, no retry (a person or an agent is waiting; an error is
 * answered as such). The bearer token goes only into the request header, never into a log line or
 * an exception message.
 */
public final class CortexSearchBackend {
  /** The service's columns a hit needs (the attributes of admin/130's service). */
  static final List<String> COLUMNS = List.of("MEMORY_ID", "CONTENT", "SOURCE_ID", "AFFILIATION",
      "ACCOUNT_NAME", "CALL_DATETIME_UTC");

  /** Where the service is and how to authenticate. */
  public record Config(String accountUrl, String database, String schema, String service,
      Supplier<SnowflakeAuth> auth, Duration timeout) {
    @Override
    public String toString() {
      return "CortexSearchBackend.Config[" + queryPath() + " at " + accountUrl + "]";
    }

    String queryPath() {
      return "/api/v2/databases/" + enc(database) + "/schemas/" + enc(schema)
          + "/cortex-search-services/" + enc(service) + ":query";
    }
  }

  /** One result row: the service's columns, and its score when the service sent one. */
  public record Row(String memoryId, String callId, @Nullable String content,
      @Nullable String affiliation, @Nullable String account, @Nullable Double score) {}

  private final Config config;
  private final HttpClient http;

  public CortexSearchBackend(Config config) {
    this.config = config;
    this.http = HttpClient.newBuilder().connectTimeout(config.timeout()).build();
  }

  public Config config() {
    return config;
  }

  /** The request body for a search (package-private for tests). */
  static ObjectNode body(SearchRequest r) {
    ObjectNode b = JsonNodeFactory.instance.objectNode();
    b.put("query", r.query());
    ArrayNode cols = b.putArray("columns");
    COLUMNS.forEach(cols::add);
    List<ObjectNode> clauses = new ArrayList<>();
    if (r.account() != null) {
      clauses.add(op("@eq", "ACCOUNT_NAME", r.account()));
    }
    if (r.affiliation() != null) {
      String a = r.affiliation().trim();
      clauses.add(op("@eq", "AFFILIATION", a.substring(0, 1).toUpperCase(java.util.Locale.ROOT)
          + a.substring(1).toLowerCase(java.util.Locale.ROOT)));
    }
    if (r.since() != null) {
      clauses.add(op("@gte", "CALL_DATETIME_UTC", r.since().toString()));
    }
    if (r.until() != null) {
      // `until` is exclusive, as in the local index: NOT (>= until); the filter has no @lt.
      ObjectNode not = JsonNodeFactory.instance.objectNode();
      not.set("@not", op("@gte", "CALL_DATETIME_UTC", r.until().toString()));
      clauses.add(not);
    }
    if (clauses.size() == 1) {
      b.set("filter", clauses.get(0));
    } else if (clauses.size() > 1) {
      ArrayNode and = b.putObject("filter").putArray("@and");
      clauses.forEach(and::add);
    }
    b.put("limit", r.k());
    return b;
  }

  private static ObjectNode op(String op, String column, String value) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.putObject(op).put(column, value);
    return o;
  }

  /** The service's results for a request, best first. */
  public List<Row> search(SearchRequest r) {
    SnowflakeAuth auth = config.auth().get();
    HttpRequest req = HttpRequest.newBuilder(URI.create(config.accountUrl().replaceAll("/+$", "")
            + config.queryPath()))
        .timeout(config.timeout())
        .header("Authorization", "Bearer " + auth.bearerToken())
        .header("X-Snowflake-Authorization-Token-Type", auth.tokenType())
        .header("Content-Type", "application/json")
        .header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(JsonSupport.write(body(r))))
        .build();
    HttpResponse<String> resp;
    try {
      resp = http.send(req, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException("Cortex Search " + config.service() + " unreachable: "
          + e.getClass().getSimpleName(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while querying Cortex Search", e);
    }
    if (resp.statusCode() != 200) {
      // The body is the service's error message (no credentials); the request is not repeated.
      String body = resp.body() == null ? "" : resp.body();
      throw new IllegalStateException("Cortex Search " + config.service() + " answered HTTP "
          + resp.statusCode() + ": " + body.substring(0, Math.min(300, body.length())));
    }
    List<Row> out = new ArrayList<>();
    for (JsonNode n : JsonSupport.parse(resp.body()).path("results")) {
      JsonNode scores = n.path("@scores");
      Double score = scores.has("cosine_similarity") ? scores.get("cosine_similarity").asDouble()
          : scores.has("text_match") ? scores.get("text_match").asDouble() : null;
      out.add(new Row(n.path("MEMORY_ID").asText(), n.path("SOURCE_ID").asText(),
          text(n, "CONTENT"), text(n, "AFFILIATION"), text(n, "ACCOUNT_NAME"), score));
    }
    return out;
  }

  private static @Nullable String text(JsonNode n, String field) {
    return n.hasNonNull(field) ? n.get(field).asText() : null;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
