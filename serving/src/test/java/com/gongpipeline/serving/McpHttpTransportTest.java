package com.gongpipeline.serving;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import com.gongpipeline.parse.JsonSupport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The streamable HTTP edge cases that clients other than the Java SDK's (the TypeScript SDK, the
 * MCP Inspector) send or check: every error a JSON-RPC error object with an {@code id}, client
 * responses accepted with 202, batches and unknown {@code MCP-Protocol-Version}s refused with 400.
 */
class McpHttpTransportTest {
  private static HybridIndex index;
  private static McpTools mcp;
  private static ServeServer server;
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(10)).build();

  @BeforeAll
  static void start() throws Exception {
    index = HybridIndexTest.corpus();
    ServeApi api = HybridIndexTest.warehouselessApi(index);
    mcp = new McpTools(api);
    server = new ServeServer(api, "127.0.0.1", 0, null, 0, mcp.httpHandler());
  }

  @AfterAll
  static void stop() {
    server.close();
    mcp.close();
    index.close();
  }

  @Test
  void aRequestTheHandlersCannotTakeGetsAJsonRpcErrorUnderItsId() throws Exception {
    // Was: HTTP 500 {"error":"internal error"} (an NPE in the SDK's tools/call handler).
    HttpResponse<String> r = post("{\"jsonrpc\":\"2.0\",\"id\":41,\"method\":\"tools/call\"}",
        null);
    assertThat(r.statusCode(), is(200));
    JsonNode body = JsonSupport.MAPPER.readTree(r.body());
    assertThat(body.path("id").asInt(), is(41));
    assertThat(body.path("error").path("code").asInt(), is(-32602));
  }

  @Test
  void parseErrorsCarryANullId() throws Exception {
    HttpResponse<String> r = post("{bad", null);
    assertThat(r.statusCode(), is(400));
    JsonNode body = JsonSupport.MAPPER.readTree(r.body());
    assertThat(body.has("id"), is(true));
    assertThat(body.get("id").isNull(), is(true));
    assertThat(body.path("error").path("code").asInt(), is(-32700));
  }

  @Test
  void aClientsJsonRpcResponseIsAcceptedWith202() throws Exception {
    // Was: 400 "requests or notifications only".
    HttpResponse<String> r = post("{\"jsonrpc\":\"2.0\",\"id\":\"s1\",\"result\":{}}", null);
    assertThat(r.statusCode(), is(202));
    assertThat(r.body(), is(""));
  }

  @Test
  void aBatchIsRefusedAsAnInvalidRequestNotAParseError() throws Exception {
    HttpResponse<String> r = post("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}]", null);
    assertThat(r.statusCode(), is(400));
    JsonNode body = JsonSupport.MAPPER.readTree(r.body());
    assertThat(body.path("error").path("code").asInt(), is(-32600));
    assertThat(body.path("error").path("message").asText(), containsString("batch"));
  }

  @Test
  void anUnsupportedProtocolVersionHeaderGets400AndASupportedOneIsServed() throws Exception {
    String ping = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}";
    HttpResponse<String> bad = post(ping, "1999-01-01");
    assertThat(bad.statusCode(), is(400));
    assertThat(bad.body(), containsString("2025-06-18"));
    for (String v : McpTools.PROTOCOL_VERSIONS) {
      HttpResponse<String> ok = post(ping, v);
      assertThat(v, ok.statusCode(), is(200));
      assertThat(ok.body(), containsString("\"result\":{}"));
    }
  }

  @Test
  void initializeNegotiatesEachVersionItServes() throws Exception {
    for (String v : McpTools.PROTOCOL_VERSIONS) {
      HttpResponse<String> r = post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\","
          + "\"params\":{\"protocolVersion\":\"" + v + "\",\"capabilities\":{},"
          + "\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}", null);
      assertThat(r.statusCode(), is(200));
      assertThat(JsonSupport.MAPPER.readTree(r.body()).path("result").path("protocolVersion")
          .asText(), is(v));
    }
  }

  private static HttpResponse<String> post(String json, String protocolVersion)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/mcp"))
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json")
        .header("Accept", "application/json, text/event-stream")
        .POST(HttpRequest.BodyPublishers.ofString(json));
    if (protocolVersion != null) {
      b.header("MCP-Protocol-Version", protocolVersion);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
