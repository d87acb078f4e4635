package com.gongpipeline.serving;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * {@code serve} on a loopback address refuses what a browser could be made to send it: a Host
 * that is not a loopback name (DNS rebinding: a page whose name now points at 127.0.0.1) and an
 * Origin other than the server's own (a cross-site fetch or form post, e.g. to {@code /mcp}).
 */
class ServeServerBrowserGuardTest {

  @Test
  void decidesOnHostAndOrigin() {
    // Loopback bind: the host must be a loopback name, with or without a port.
    assertThat(ServeServer.refusedBrowserRequest("127.0.0.1:8765", null, true), nullValue());
    assertThat(ServeServer.refusedBrowserRequest("localhost:8765", null, true), nullValue());
    assertThat(ServeServer.refusedBrowserRequest("LOCALHOST", null, true), nullValue());
    assertThat(ServeServer.refusedBrowserRequest("[::1]:8765", null, true), nullValue());
    assertThat(ServeServer.refusedBrowserRequest("127.0.0.2:8765", null, true), nullValue());
    assertThat(ServeServer.refusedBrowserRequest("evil.example:8765", null, true),
        containsString("Host header"));
    assertThat(ServeServer.refusedBrowserRequest("localhost.evil.example", null, true),
        containsString("Host header"));
    assertThat(ServeServer.refusedBrowserRequest(null, null, true), containsString("Host"));
    // Same origin only.
    assertThat(ServeServer.refusedBrowserRequest("127.0.0.1:8765", "http://127.0.0.1:8765", true),
        nullValue());
    assertThat(ServeServer.refusedBrowserRequest("127.0.0.1:8765", "http://localhost:8765", true),
        containsString("cross-origin"));
    assertThat(ServeServer.refusedBrowserRequest("127.0.0.1:8765", "https://evil.example", true),
        containsString("cross-origin"));
    assertThat(ServeServer.refusedBrowserRequest("127.0.0.1:8765", "null", true),
        containsString("cross-origin"));
    // Bound elsewhere (a token is then required): any host name, still same origin only.
    assertThat(ServeServer.refusedBrowserRequest("memory.corp.example", null, false), nullValue());
    assertThat(ServeServer.refusedBrowserRequest("memory.corp.example:443",
        "https://memory.corp.example:443", false), nullValue());
    assertThat(ServeServer.refusedBrowserRequest("memory.corp.example", "https://evil.example",
        false), containsString("cross-origin"));
  }

  @Test
  void aRunningServerAnswers403ToARebindingHostAndAForeignOrigin() throws Exception {
    HybridIndex index = HybridIndexTest.corpus();
    ServeApi api = HybridIndexTest.warehouselessApi(index);
    try (McpTools mcp = new McpTools(api)) {
      ServeServer server = new ServeServer(api, "127.0.0.1", 0, null, 0, mcp.httpHandler());
      try {
        int port = server.port();
        String search = "GET /api/search?q=Zephyrix&mode=keyword&k=1 HTTP/1.1";
        assertThat(statusLine(port, search, "127.0.0.1:" + port, null), startsWith("HTTP/1.1 200"));
        assertThat(statusLine(port, search, "evil.example:" + port, null),
            startsWith("HTTP/1.1 403"));
        assertThat(statusLine(port, search, "127.0.0.1:" + port, "http://evil.example"),
            startsWith("HTTP/1.1 403"));
        String init = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{"
            + "\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},"
            + "\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}";
        assertThat(post(port, "/mcp", "127.0.0.1:" + port, "http://evil.example", init),
            startsWith("HTTP/1.1 403"));
        assertThat(post(port, "/mcp", "127.0.0.1:" + port, "http://127.0.0.1:" + port, init),
            startsWith("HTTP/1.1 200"));
      } finally {
        server.close();
      }
    } finally {
      index.close();
    }
  }

  private static String statusLine(int port, String requestLine, String host, String origin)
      throws Exception {
    return exchange(port, requestLine + "\r\nHost: " + host + "\r\n"
        + (origin == null ? "" : "Origin: " + origin + "\r\n") + "Connection: close\r\n\r\n");
  }

  private static String post(int port, String path, String host, String origin, String body)
      throws Exception {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    return exchange(port, "POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\nOrigin: " + origin
        + "\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\n"
        + "Content-Length: " + b.length + "\r\nConnection: close\r\n\r\n" + body);
  }

  /** Sends raw HTTP (the JDK clients will not send a foreign Host header) and reads the status. */
  private static String exchange(int port, String request) throws Exception {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(30_000);
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = s.getInputStream();
      String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return response.lines().findFirst().orElse("");
    }
  }
}
