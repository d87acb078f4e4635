package com.gongpipeline.gong;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

/**
 * A tiny scripted HTTP server for client tests: each path answers with the next programmed
 * response (status, headers, body, or a dropped connection), and every request is recorded. An
 * unscripted request gets a 599 so the test fails loudly instead of hanging.
 */
final class FakeGongServer implements AutoCloseable {

  /** One programmed answer. */
  static final class Reply {
    final int status;
    final String body;
    final Map<String, String> headers;
    final boolean dropConnection;
    final Duration delay;

    private Reply(
        int status, String body, Map<String, String> headers, boolean dropConnection, Duration delay) {
      this.status = status;
      this.body = body;
      this.headers = headers;
      this.dropConnection = dropConnection;
      this.delay = delay;
    }

    static Reply json(int status, String body) {
      return new Reply(status, body, new LinkedHashMap<>(), false, Duration.ZERO);
    }

    static Reply ok(String body) {
      return json(200, body);
    }

    /** Closes the connection without sending a response (a reset as the client sees it). */
    static Reply drop() {
      return new Reply(0, "", Map.of(), true, Duration.ZERO);
    }

    Reply header(String name, String value) {
      Map<String, String> h = new LinkedHashMap<>(headers);
      h.put(name, value);
      return new Reply(status, body, h, dropConnection, delay);
    }

    /** Waits before answering (to provoke a client read timeout). */
    Reply delay(Duration d) {
      return new Reply(status, body, headers, dropConnection, d);
    }
  }

  /** What the client sent. */
  static final class Recorded {
    final String method;
    final String path;
    final Map<String, String> query;
    final String authorization;
    final String contentType;
    final String body;
    final long nanoTime;

    Recorded(
        String method,
        String path,
        Map<String, String> query,
        String authorization,
        String contentType,
        String body,
        long nanoTime) {
      this.method = method;
      this.path = path;
      this.query = query;
      this.authorization = authorization;
      this.contentType = contentType;
      this.body = body;
      this.nanoTime = nanoTime;
    }

    @Override
    public String toString() {
      return method + " " + path + " " + query + " " + body;
    }
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final Map<String, Deque<Reply>> scripts = new HashMap<>();
  private final List<Recorded> requests = new ArrayList<>();

  FakeGongServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Appends replies for {@code path} (e.g. {@code /v2/calls}), served in order. */
  synchronized FakeGongServer enqueue(String path, Reply... replies) {
    Deque<Reply> q = scripts.computeIfAbsent(path, p -> new ArrayDeque<>());
    for (Reply r : replies) {
      q.addLast(r);
    }
    return this;
  }

  synchronized List<Recorded> requests() {
    return new ArrayList<>(requests);
  }

  synchronized List<Recorded> requests(String path) {
    return requests.stream().filter(r -> r.path.equals(path)).collect(Collectors.toList());
  }

  private void handle(HttpExchange exchange) throws IOException {
    String body;
    try (InputStream in = exchange.getRequestBody()) {
      body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    String path = exchange.getRequestURI().getPath();
    Reply reply;
    synchronized (this) {
      requests.add(
          new Recorded(
              exchange.getRequestMethod(),
              path,
              parseQuery(exchange.getRequestURI().getRawQuery()),
              exchange.getRequestHeaders().getFirst("Authorization"),
              exchange.getRequestHeaders().getFirst("Content-Type"),
              body,
              System.nanoTime()));
      Deque<Reply> q = scripts.get(path);
      reply = q == null || q.isEmpty() ? Reply.json(599, "{\"errors\":[\"unscripted\"]}") : q.poll();
    }
    if (!reply.delay.isZero()) {
      try {
        Thread.sleep(reply.delay.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (reply.dropConnection) {
      exchange.close(); // no headers sent: the server closes the socket without a response
      return;
    }
    byte[] bytes = reply.body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    reply.headers.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
    exchange.sendResponseHeaders(reply.status, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static Map<String, String> parseQuery(String raw) {
    Map<String, String> out = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      out.put(
          java.net.URLDecoder.decode(k, StandardCharsets.UTF_8),
          java.net.URLDecoder.decode(v, StandardCharsets.UTF_8));
    }
    return out;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
