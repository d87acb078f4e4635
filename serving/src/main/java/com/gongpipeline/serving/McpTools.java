package com.gongpipeline.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.gongpipeline.parse.JsonSupport;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpStatelessServerFeatures;
import io.modelcontextprotocol.server.McpStatelessServerHandler;
import io.modelcontextprotocol.server.McpStatelessSyncServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStatelessServerTransport;
import io.modelcontextprotocol.spec.ProtocolVersions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.checkerframework.checker.nullness.qual.Nullable;
import reactor.core.publisher.Mono;

/**
 * The MCP face of {@code serve}: five tools ({@code search_calls}, {@code get_call}, {@code
 * get_transcript}, {@code similar_calls}, {@code account_brief}) over the same {@link ServeApi} as
 * the HTTP routes, each with a JSON schema for its arguments and results that cite call id,
 * title, speaker, mm:ss and the Gong call URL. Served stateless over streamable HTTP at {@code
 * /mcp} (one JSON response per POSTed JSON-RPC request, on the JDK's HTTP server) and over stdio
 * ({@code serve --stdio}).
 */
public final class McpTools implements AutoCloseable {
  static final String NAME = "gong-memory";
  static final String VERSION = "1";
  /** Largest MCP request body accepted over HTTP. */
  static final int MAX_BODY = 1 << 20;
  /** The protocol versions the SDK's stateless server negotiates (2024-11-05 had no streamable HTTP). */
  static final List<String> PROTOCOL_VERSIONS = List.of(ProtocolVersions.MCP_2025_03_26,
      ProtocolVersions.MCP_2025_06_18, ProtocolVersions.MCP_2025_11_25);

  private final ServeApi api;
  private final McpJsonMapper mapper = McpJsonDefaults.getMapper();
  private final HttpTransport transport = new HttpTransport();
  private final McpStatelessSyncServer httpServer;
  private @Nullable McpSyncServer stdioServer;

  /** A tool: its schema'd definition and what it returns for its arguments. */
  record Tool(McpSchema.Tool definition, Function<Map<String, Object>, JsonNode> run) {}

  public McpTools(ServeApi api) {
    this.api = api;
    List<McpStatelessServerFeatures.SyncToolSpecification> specs = new ArrayList<>();
    for (Tool t : tools()) {
      specs.add(new McpStatelessServerFeatures.SyncToolSpecification(t.definition(),
          (ctx, req) -> call(t, req)));
    }
    this.httpServer = McpServer.sync(transport).serverInfo(NAME, VERSION)
        .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
        .tools(specs).build();
  }

  /** The handler for {@code /mcp}. */
  public HttpHandler httpHandler() {
    return transport;
  }

  /** Serves MCP over this process's stdin/stdout until stdin closes (blocks the caller). */
  public void serveStdio(InputStream in, OutputStream out) {
    List<McpServerFeatures.SyncToolSpecification> specs = new ArrayList<>();
    for (Tool t : tools()) {
      specs.add(new McpServerFeatures.SyncToolSpecification(t.definition(),
          (exchange, req) -> call(t, req)));
    }
    stdioServer = McpServer.sync(new StdioServerTransportProvider(mapper, in, out))
        .serverInfo(NAME, VERSION)
        .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
        .tools(specs).build();
  }

  private McpSchema.CallToolResult call(Tool t, McpSchema.CallToolRequest req) {
    try {
      JsonNode result = t.run().apply(req.arguments() == null ? Map.of() : req.arguments());
      return McpSchema.CallToolResult.builder().addTextContent(JsonSupport.write(result))
          .isError(false).build();
    } catch (ServeApi.NotFound | IllegalArgumentException e) {
      return McpSchema.CallToolResult.builder().addTextContent(e.getMessage()).isError(true)
          .build();
    }
  }

  List<Tool> tools() {
    return List.of(
        tool("search_calls", "Hybrid (keyword + semantic) search over redacted sales-call "
            + "transcript chunks. Each hit cites call id, title, speaker, mm:ss and the Gong URL.",
            """
            {"type":"object","properties":{
              "query":{"type":"string","description":"what to look for"},
              "k":{"type":"integer","minimum":1,"maximum":100,"default":5},
              "mode":{"type":"string","enum":["hybrid","semantic","keyword"],"default":"hybrid"},
              "account":{"type":"string","description":"account name (exact, any case)"},
              "since":{"type":"string","description":"calls started on/after (date or ISO instant)"},
              "until":{"type":"string","description":"calls started before (date or ISO instant)"},
              "speaker":{"type":"string","enum":["internal","external"]},
              "risk":{"type":"string","enum":["pricing","competitor","security_legal",
                "timeline","stakeholder","churn_risk","product_gap"],
                "description":"only chunks classified into this deal-risk category"},
              "tracker":{"type":"string",
                "description":"only calls where this Gong tracker (name) counted a mention"}},
             "required":["query"]}""",
            a -> api.search(new SearchRequest(str(a, "query"), integer(a, "k", 5),
                SearchMode.parse(str(a, "mode")), str(a, "account"),
                ServeServer.instant(str(a, "since"), "since"),
                ServeServer.instant(str(a, "until"), "until"), str(a, "speaker")),
                str(a, "risk"), str(a, "tracker"))),
        tool("get_call", "A call's title, start, account, Gong URL, summary, key points, topics and"
            + " participants (names, titles, affiliation).",
            """
            {"type":"object","properties":{"call_id":{"type":"string"}},"required":["call_id"]}""",
            a -> api.call(required(a, "call_id"))),
        tool("get_transcript", "A page of a call's redacted transcript chunks in order, each with "
            + "speaker and mm:ss.",
            """
            {"type":"object","properties":{"call_id":{"type":"string"},
              "offset":{"type":"integer","minimum":0,"default":0},
              "limit":{"type":"integer","minimum":1,"maximum":200,"default":50}},
             "required":["call_id"]}""",
            a -> api.transcript(required(a, "call_id"), integer(a, "offset", 0),
                integer(a, "limit", 50))),
        tool("similar_calls", "Calls most like a given call by the cosine of their call vectors "
            + "(AI_MEMORY.CALL_VECTORS, as the similar command ranks them), each with its chunk "
            + "closest to the call as the citation; method says where the call's vector came from.",
            """
            {"type":"object","properties":{"call_id":{"type":"string"},
              "k":{"type":"integer","minimum":1,"maximum":100,"default":5}},
             "required":["call_id"]}""",
            a -> api.similar(required(a, "call_id"), integer(a, "k", 5))),
        tool("account_brief", "An account's recent calls with topics, summaries and a cited "
            + "customer quote from each.",
            """
            {"type":"object","properties":{"account":{"type":"string"},
              "calls":{"type":"integer","minimum":1,"maximum":20,"default":5}},
             "required":["account"]}""",
            a -> api.brief(required(a, "account"), integer(a, "calls", 5))));
  }

  private Tool tool(String name, String description, String schema,
      Function<Map<String, Object>, ObjectNode> run) {
    return new Tool(McpSchema.Tool.builder().name(name).description(description)
        .inputSchema(mapper, schema).build(), run::apply);
  }

  private static @Nullable String str(Map<String, Object> a, String name) {
    Object v = a.get(name);
    return v == null ? null : v.toString();
  }

  private static String required(Map<String, Object> a, String name) {
    String v = str(a, name);
    if (v == null || v.isBlank()) {
      throw new IllegalArgumentException(name + " is required");
    }
    return v;
  }

  private static int integer(Map<String, Object> a, String name, int dflt) {
    Object v = a.get(name);
    if (v == null) {
      return dflt;
    }
    if (v instanceof Number n) {
      return n.intValue();
    }
    try {
      return Integer.parseInt(v.toString());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number");
    }
  }

  @Override
  public void close() {
    httpServer.close();
    if (stdioServer != null) {
      stdioServer.close();
    }
  }

  /**
   * Stateless streamable HTTP on the JDK server: a POSTed JSON-RPC request gets its response as
   * one {@code application/json} body, a notification or a client's response 202; other methods
   * 405; unparsable bodies, batches and an unsupported {@code MCP-Protocol-Version} header 400
   * with a JSON-RPC error object (id null). No sessions: no {@code Mcp-Session-Id} is issued.
   */
  private final class HttpTransport implements McpStatelessServerTransport, HttpHandler {
    private volatile @Nullable McpStatelessServerHandler handler;

    @Override
    public void setMcpHandler(McpStatelessServerHandler h) {
      this.handler = h;
    }

    @Override
    public Mono<Void> closeGracefully() {
      return Mono.empty();
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
      if (!"POST".equals(ex.getRequestMethod())) {
        ex.getResponseHeaders().set("Allow", "POST");
        ex.sendResponseHeaders(405, -1);
        return;
      }
      String version = ex.getRequestHeaders().getFirst("MCP-Protocol-Version");
      if (version != null && !PROTOCOL_VERSIONS.contains(version.trim())) {
        // Streamable HTTP: an invalid or unsupported MCP-Protocol-Version gets 400.
        send(ex, 400, error(null, -32600, "unsupported MCP-Protocol-Version " + version.trim()
            + "; this server speaks " + String.join(", ", PROTOCOL_VERSIONS)));
        return;
      }
      byte[] body;
      try (InputStream in = ex.getRequestBody()) {
        body = in.readNBytes(MAX_BODY + 1);
      }
      if (body.length > MAX_BODY) {
        ex.sendResponseHeaders(413, -1);
        return;
      }
      String text = new String(body, StandardCharsets.UTF_8);
      if (text.stripLeading().startsWith("[")) {
        // MCP 2025-06-18 dropped JSON-RPC batches; the versions served here have none.
        send(ex, 400, error(null, -32600, "JSON-RPC batches are not supported: send one message"
            + " per POST"));
        return;
      }
      McpSchema.JSONRPCMessage message;
      try {
        message = McpSchema.deserializeJsonRpcMessage(mapper, text);
      } catch (IOException | IllegalArgumentException e) {
        send(ex, 400, error(null, -32700, "invalid JSON-RPC message"));
        return;
      }
      McpStatelessServerHandler h = handler;
      if (message instanceof McpSchema.JSONRPCRequest request) {
        String answer;
        try {
          McpSchema.JSONRPCResponse response = h.handleRequest(McpTransportContext.EMPTY, request)
              .contextWrite(c -> c.put(McpTransportContext.KEY, McpTransportContext.EMPTY))
              .block();
          answer = mapper.writeValueAsString(response);
        } catch (RuntimeException e) {
          // A request the SDK's handlers could not take (e.g. tools/call without params) is
          // still answered as JSON-RPC, under its id, not with a bare HTTP 500.
          boolean params = e instanceof NullPointerException
              || e instanceof IllegalArgumentException;
          answer = error(request.id(), params ? -32602 : -32603,
              params ? "invalid params for " + request.method() : "internal error");
        }
        send(ex, 200, answer);
      } else if (message instanceof McpSchema.JSONRPCNotification notification) {
        h.handleNotification(McpTransportContext.EMPTY, notification)
            .contextWrite(c -> c.put(McpTransportContext.KEY, McpTransportContext.EMPTY))
            .block();
        ex.sendResponseHeaders(202, -1);
      } else {
        // A client's response (this server sends no requests, so there is none to match):
        // streamable HTTP accepts responses and notifications with 202 and no body.
        ex.sendResponseHeaders(202, -1);
      }
    }

    /** A JSON-RPC error response; {@code id} null where the request's id is unknown. */
    private String error(@Nullable Object id, int code, String message) {
      ObjectNode err = JsonSupport.MAPPER.createObjectNode();
      err.put("jsonrpc", "2.0");
      if (id == null) {
        err.putNull("id");
      } else if (id instanceof Number n) {
        err.put("id", n.longValue());
      } else {
        err.put("id", id.toString());
      }
      err.putObject("error").put("code", code).put("message", message);
      return JsonSupport.write(err);
    }

    private void send(HttpExchange ex, int status, String json) throws IOException {
      byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", "application/json");
      ex.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(bytes);
      }
    }
  }
}
