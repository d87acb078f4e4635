package com.gongpipeline.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
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
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A scripted HTTP server for Gong client tests, as a JUnit 5 extension: each path answers with its
 * next programmed {@link Reply} (status, headers, body, a delay, or a dropped connection), in
 * order, and every request is recorded. An unscripted request gets a 599 so the test fails loudly
 * instead of hanging. Binds 127.0.0.1 on an ephemeral port; uses only the JDK's HTTP server.
 *
 * <pre>{@code
 * @RegisterExtension final ScriptedGongServer server = new ScriptedGongServer();
 * server.enqueue("/v2/calls", Reply.json(429, "{}").header("Retry-After", "7"), Reply.ok(page));
 * }</pre>
 *
 * It starts before each test and stops after it; outside JUnit use {@link #start()} and {@link
 * #close()} (try-with-resources).
 */
public final class ScriptedGongServer implements BeforeEachCallback, AfterEachCallback,
    AutoCloseable {

  /** One programmed answer. */
  public static final class Reply {
    public final int status;
    public final String body;
    public final Map<String, String> headers;
    public final boolean dropConnection;
    public final Duration delay;
    /** Sent chunked, without a Content-Length (the client learns the size only by reading). */
    public final boolean chunked;

    private Reply(
        int status, String body, Map<String, String> headers, boolean dropConnection, Duration delay) {
      this(status, body, headers, dropConnection, delay, false);
    }

    private Reply(int status, String body, Map<String, String> headers, boolean dropConnection,
        Duration delay, boolean chunked) {
      this.chunked = chunked;
      this.status = status;
      this.body = body;
      this.headers = headers;
      this.dropConnection = dropConnection;
      this.delay = delay;
    }

    public static Reply json(int status, String body) {
      return new Reply(status, body, new LinkedHashMap<>(), false, Duration.ZERO);
    }

    public static Reply ok(String body) {
      return json(200, body);
    }

    /** Closes the connection without sending a response (a reset as the client sees it). */
    public static Reply drop() {
      return new Reply(0, "", Map.of(), true, Duration.ZERO);
    }

    public Reply header(String name, String value) {
      Map<String, String> h = new LinkedHashMap<>(headers);
      h.put(name, value);
      return new Reply(status, body, h, dropConnection, delay, chunked);
    }

    /** Sends the body chunked, with no Content-Length header. */
    public Reply chunked() {
      return new Reply(status, body, headers, dropConnection, delay, true);
    }

    /** Waits before answering (to provoke a client read timeout). */
    public Reply delay(Duration d) {
      return new Reply(status, body, headers, dropConnection, d, chunked);
    }
  }

  /** What the client sent. */
  public static final class Recorded {
    public final String method;
    public final String path;
    public final Map<String, String> query;
    public final String authorization;
    public final String contentType;
    public final String body;
    public final long nanoTime;

    Recorded(String method, String path, Map<String, String> query, String authorization,
        String contentType, String body, long nanoTime) {
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

  private final Map<String, Deque<Reply>> scripts = new HashMap<>();
  private final List<Recorded> requests = new ArrayList<>();
  private HttpServer server;
  private ExecutorService executor;

  /** A started server, for use outside a JUnit extension (close it). */
  public static ScriptedGongServer start() {
    ScriptedGongServer s = new ScriptedGongServer();
    s.startServer();
    return s;
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    startServer();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    close();
  }

  private synchronized void startServer() {
    if (server != null) {
      return;
    }
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("could not bind 127.0.0.1", e);
    }
    executor = Executors.newCachedThreadPool();
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  /** {@code http://127.0.0.1:<port>}. */
  public synchronized String baseUrl() {
    if (server == null) {
      throw new IllegalStateException("ScriptedGongServer is not started");
    }
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Appends replies for {@code path} (e.g. {@code /v2/calls}), served in order. */
  public synchronized ScriptedGongServer enqueue(String path, Reply... replies) {
    Deque<Reply> q = scripts.computeIfAbsent(path, p -> new ArrayDeque<>());
    for (Reply r : replies) {
      q.addLast(r);
    }
    return this;
  }

  /** Every request so far, in arrival order. */
  public synchronized List<Recorded> requests() {
    return new ArrayList<>(requests);
  }

  /** The requests to one path, in arrival order. */
  public synchronized List<Recorded> requests(String path) {
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
      requests.add(new Recorded(exchange.getRequestMethod(), path,
          parseQuery(exchange.getRequestURI().getRawQuery()),
          exchange.getRequestHeaders().getFirst("Authorization"),
          exchange.getRequestHeaders().getFirst("Content-Type"), body, System.nanoTime()));
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
    exchange.sendResponseHeaders(reply.status,
        reply.chunked ? 0 : bytes.length == 0 ? -1 : bytes.length);
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
      out.put(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
    }
    return out;
  }

  @Override
  public synchronized void close() {
    if (server != null) {
      server.stop(0);
      executor.shutdownNow();
      server = null;
      executor = null;
    }
  }
}
