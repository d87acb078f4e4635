package com.gongpipeline.serving;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code serve --stdio}: MCP JSON-RPC lines in, answers with cited hits out. */
class McpStdioTest {
  @Test
  void answersInitializeAndSearchCallsOverStdio() throws Exception {
    HybridIndex index = HybridIndexTest.corpus();
    ServeApi api = HybridIndexTest.warehouselessApi(index);
    PipedOutputStream toServer = new PipedOutputStream();
    PipedInputStream serverIn = new PipedInputStream(toServer, 1 << 16);
    PipedInputStream fromServer = new PipedInputStream(1 << 16);
    PipedOutputStream serverOut = new PipedOutputStream(fromServer);
    try (McpTools mcp = new McpTools(api)) {
      mcp.serveStdio(serverIn, serverOut);
      PrintWriter w = new PrintWriter(toServer, true, StandardCharsets.UTF_8);
      BufferedReader r = new BufferedReader(new InputStreamReader(fromServer,
          StandardCharsets.UTF_8));
      w.println("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{"
          + "\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},"
          + "\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}");
      assertThat(line(r), containsString("gong-memory"));
      w.println("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
      w.println("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{"
          + "\"name\":\"search_calls\",\"arguments\":{\"query\":\"Zephyrix\",\"mode\":\"keyword\","
          + "\"k\":1}}}");
      String answer = line(r);
      assertThat(answer, containsString("gong:g1:0"));
      assertThat(answer, containsString("citation"));
      assertThat(answer, containsString("https://gong/call?id=g1"));
    } finally {
      index.close();
    }
  }

  private static String line(BufferedReader r) throws Exception {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return r.readLine();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }).get(60, TimeUnit.SECONDS);
  }
}
