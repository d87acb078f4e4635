package com.gongpipeline.serving;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.oneOf;

import com.fasterxml.jackson.databind.JsonNode;
import com.gongpipeline.parse.JsonSupport;
import com.gongpipeline.warehouse.Warehouse;
import com.gongpipeline.warehouse.WarehouseRow;
import com.gongpipeline.warehouse.WarehouseTable;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interoperability with a client other than the Java SDK's: the official TypeScript SDK's {@code
 * StreamableHTTPClientTransport} connects to {@code /mcp}, lists the tools and calls each one.
 * Runs only where {@code node} is on the PATH and {@code MCP_TS_NODE_MODULES} names a {@code
 * node_modules} directory that already holds {@code @modelcontextprotocol/sdk} (e.g. after {@code
 * npm install @modelcontextprotocol/sdk} in a scratch directory); skipped, saying so, otherwise:
 * CI never downloads from npm.
 */
class McpTypeScriptClientTest {
  @TempDir Path dir;

  @Test
  void theTypeScriptSdkClientConnectsListsAndCallsEachTool() throws Exception {
    String modules = System.getenv("MCP_TS_NODE_MODULES");
    Assumptions.assumeTrue(modules != null && Files.isDirectory(
        Path.of(modules, "@modelcontextprotocol", "sdk")), "skipped: set MCP_TS_NODE_MODULES to a"
        + " node_modules directory holding @modelcontextprotocol/sdk to run the TypeScript client");
    Assumptions.assumeTrue(nodeRuns(), "skipped: node is not on the PATH");
    // ESM resolves packages from the script's own directory: link node_modules beside it.
    Files.createSymbolicLink(dir.resolve("node_modules"), Path.of(modules).toAbsolutePath());
    Path script = dir.resolve("mcp-ts-client.mjs");
    try (InputStream in = McpTypeScriptClientTest.class.getResourceAsStream(
        "mcp-ts-client.mjs")) {
      Files.copy(in, script);
    }
    String url = warehouse();
    HybridIndex index = HybridIndexTest.corpus();
    ServeApi api = new ServeApi(index, new IndexRefresher(() -> Warehouse.open(url), index,
        "fake-4d", Clock.systemUTC()), new com.gongpipeline.testing.FakeEnrichmentProvider()
        .embedder(), () -> Warehouse.open(url), "test", false, Clock.systemUTC());
    try (McpTools mcp = new McpTools(api)) {
      ServeServer server = new ServeServer(api, "127.0.0.1", 0, null, 0, mcp.httpHandler());
      try {
        Process p = new ProcessBuilder("node", script.toString(), server.baseUrl() + "/mcp", "g1",
            "Globex").directory(dir.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
        String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat("node exited in time", p.waitFor(120, TimeUnit.SECONDS), is(true));
        assertThat("node exit code; stdout: " + stdout, p.exitValue(), is(0));
        JsonNode out = JsonSupport.MAPPER.readTree(stdout.strip().lines()
            .reduce((a, b) -> b).orElse("{}"));
        assertThat(out.path("protocol").asText(), oneOf(McpTools.PROTOCOL_VERSIONS.toArray()));
        assertThat(out.path("server").path("name").asText(), is(McpTools.NAME));
        assertThat(out.path("tools").toString(), is("[\"search_calls\",\"get_call\","
            + "\"get_transcript\",\"similar_calls\",\"account_brief\"]"));
        JsonNode calls = out.path("calls");
        for (String tool : List.of("search_calls", "get_call", "get_transcript", "similar_calls",
            "account_brief")) {
          assertThat(tool + ": " + calls.path(tool), calls.path(tool).path("isError").asBoolean(),
              is(false));
        }
        assertThat(calls.path("search_calls").path("text").asText(), containsString("gong:g1:0"));
        assertThat(calls.path("search_calls").path("text").asText(),
            containsString("https://gong/call?id=g1"));
        assertThat(calls.path("get_call").path("text").asText(), containsString("Call g1"));
        assertThat(calls.path("get_call:missing").path("isError").asBoolean(), is(true));
        assertThat(out.path("unknownTool").asInt(), is(-32602));
      } finally {
        server.close();
      }
    } finally {
      index.close();
    }
  }

  private static boolean nodeRuns() {
    try {
      Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (Exception e) {
      return false;
    }
  }

  /** STG rows for the corpus's calls (a0..a5 of Acme, g1 of Globex) and call vectors. */
  private String warehouse() {
    String url = "jdbc:duckdb:" + dir.resolve("wh.duckdb");
    try (Warehouse wh = Warehouse.open(url)) {
      wh.applySchema();
      List<WarehouseRow> calls = new ArrayList<>();
      for (String id : List.of("a0", "a1", "a2", "g1")) {
        calls.add(ServeApiSimilarTest.call(id));
      }
      wh.merge(WarehouseTable.STG_CALLS, calls);
      wh.merge(WarehouseTable.CALL_VECTORS, List.of(
          ServeApiSimilarTest.vector("a1", "fake-4d", 1, 0.3f, 0, 0),
          ServeApiSimilarTest.vector("g1", "fake-4d", 0, 0, 0, 1)));
    }
    return url;
  }
}
