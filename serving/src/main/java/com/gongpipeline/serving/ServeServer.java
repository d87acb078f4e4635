package com.gongpipeline.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.gongpipeline.errors.SecretRedaction;
import com.gongpipeline.parse.JsonSupport;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of {@code serve} on the JDK's server: the JSON API under {@code /api}, {@code
 * /health}, the MCP endpoint at {@code /mcp} (when given) and the search page at {@code /}. Binds
 * 127.0.0.1 by default; bound to any other address it refuses to start without a bearer token,
 * and with a token every request must carry {@code Authorization: Bearer <token>}. The request
 * log names method, path (never the query string: it may hold PII), status and milliseconds.
 *
 * <p>Browsers: on a loopback address the {@code Host} header must name a loopback host
 * ({@code localhost}, {@code 127.0.0.1}, {@code [::1]}), which defeats DNS rebinding (a web page
 * whose name was re-pointed at 127.0.0.1 sends its own name); and a request carrying an {@code
 * Origin} (a browser's cross-site fetch or form post) is served only when that origin is this
 * server's own, as MCP's streamable HTTP transport requires. Both answer 403 otherwise.
 */
public final class ServeServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ServeServer.class);
  static final int THREADS = 4;

  private final ServeApi api;
  private final @Nullable String token;
  private final boolean loopback;
  private final HttpServer server;
  private final ExecutorService executor;
  private final @Nullable ScheduledExecutorService refresher;

  /**
   * @param token the bearer token every request must carry, or null/blank for none (allowed only
   *     on a loopback address)
   * @param refreshSeconds how often the index is refreshed from the warehouse; 0 for never
   *     (tests refresh by hand)
   * @param mcp the MCP endpoint's handler, or null
   */
  public ServeServer(ServeApi api, String bind, int port, @Nullable String token,
      long refreshSeconds, @Nullable HttpHandler mcp) throws IOException {
    InetAddress address = InetAddress.getByName(bind);
    this.token = token == null || token.isBlank() ? null : token;
    if (!address.isLoopbackAddress() && this.token == null) {
      throw new IllegalArgumentException("serve binds " + bind + ", which is not a loopback "
          + "address: set SERVE_TOKEN (clients send Authorization: Bearer <token>) or bind "
          + "127.0.0.1");
    }
    this.api = api;
    this.loopback = address.isLoopbackAddress();
    this.server = HttpServer.create(new InetSocketAddress(address, port), 64);
    this.executor = Executors.newFixedThreadPool(THREADS, r -> {
      Thread t = new Thread(r, "serve-http");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/api/", guarded(this::api));
    server.createContext("/health", guarded(ex -> json(ex, 200, api.health())));
    if (mcp != null) {
      server.createContext("/mcp", guarded(mcp));
    }
    server.createContext("/", guarded(this::page));
    server.start();
    if (refreshSeconds > 0) {
      refresher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "serve-refresh");
        t.setDaemon(true);
        return t;
      });
      refresher.scheduleWithFixedDelay(this::refreshQuietly, refreshSeconds, refreshSeconds,
          TimeUnit.SECONDS);
    } else {
      refresher = null;
    }
  }

  /** The bound port (useful with port 0). */
  public int port() {
    return server.getAddress().getPort();
  }

  public String baseUrl() {
    String host = server.getAddress().getAddress().getHostAddress();
    return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port();
  }

  private void refreshQuietly() {
    try {
      api.refresher().refresh();
    } catch (RuntimeException e) {
      // The index keeps answering from what it has; the next refresh tries again.
      LOG.warn("index refresh failed: {}", SecretRedaction.describe(e));
    }
  }

  private HttpHandler guarded(HttpHandler h) {
    return ex -> {
      long t0 = System.nanoTime();
      int status = 500;
      try {
        String refused = refusedBrowserRequest(ex.getRequestHeaders().getFirst("Host"),
            ex.getRequestHeaders().getFirst("Origin"), loopback);
        if (refused != null) {
          status = 403;
          json(ex, 403, error(refused));
          return;
        }
        if (token != null && !authorised(ex.getRequestHeaders().getFirst("Authorization"))) {
          ex.getResponseHeaders().set("WWW-Authenticate", "Bearer");
          status = 401;
          json(ex, 401, error("missing or wrong bearer token"));
          return;
        }
        h.handle(ex);
        status = ex.getResponseCode();
      } catch (ServeApi.NotFound e) {
        status = 404;
        json(ex, 404, error(e.getMessage()));
      } catch (IllegalArgumentException e) {
        status = 400;
        json(ex, 400, error(e.getMessage()));
      } catch (RuntimeException e) {
        status = 500;
        LOG.warn("{} {} failed: {}", ex.getRequestMethod(), ex.getRequestURI().getPath(),
            SecretRedaction.describe(e));
        json(ex, 500, error("internal error"));
      } finally {
        LOG.info("{} {} {} {} ms", ex.getRequestMethod(), ex.getRequestURI().getPath(), status,
            (System.nanoTime() - t0) / 1_000_000);
        ex.close();
      }
    };
  }

  /**
   * Why a request must be refused for its {@code Host} / {@code Origin} headers, or null to serve
   * it: on a loopback bind the host must be a loopback name; an origin, when sent, must be the
   * host the request was sent to ({@code http://} or {@code https://}, same host and port).
   */
  static @Nullable String refusedBrowserRequest(@Nullable String host, @Nullable String origin,
      boolean loopbackBind) {
    if (loopbackBind && (host == null || !isLoopbackName(hostName(host)))) {
      return "Host header must name this machine's loopback address (localhost, 127.0.0.1, [::1])";
    }
    if (origin != null && !origin.isBlank()) {
      String o = origin.trim().toLowerCase(java.util.Locale.ROOT);
      String h = host == null ? "" : host.trim().toLowerCase(java.util.Locale.ROOT);
      if (!(o.equals("http://" + h) || o.equals("https://" + h))) {
        return "cross-origin requests are not served (Origin " + origin.trim() + ")";
      }
    }
    return null;
  }

  /** The host part of a {@code Host} header ({@code name[:port]} or {@code [v6][:port]}). */
  static String hostName(String hostHeader) {
    String h = hostHeader.trim().toLowerCase(java.util.Locale.ROOT);
    if (h.startsWith("[")) {
      int end = h.indexOf(']');
      return end < 0 ? h : h.substring(0, end + 1);
    }
    int colon = h.indexOf(':');
    return colon < 0 ? h : h.substring(0, colon);
  }

  private static boolean isLoopbackName(String name) {
    return name.equals("localhost") || name.equals("[::1]")
        || name.matches("127(\\.\\d{1,3}){3}");
  }

  private boolean authorised(@Nullable String header) {
    if (header == null || !header.startsWith("Bearer ")) {
      return false;
    }
    byte[] given = header.substring("Bearer ".length()).trim().getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(given, token.getBytes(StandardCharsets.UTF_8));
  }

  private void api(HttpExchange ex) throws IOException {
    if (!"GET".equals(ex.getRequestMethod())) {
      json(ex, 405, error("GET only"));
      return;
    }
    String path = ex.getRequestURI().getRawPath();
    Map<String, String> q = params(ex.getRequestURI());
    String[] parts = path.substring("/api/".length()).split("/");
    if (parts.length == 1 && parts[0].equals("search")) {
      json(ex, 200, api.search(searchRequest(q), q.get("risk"), q.get("tracker")));
    } else if (parts.length >= 2 && parts[0].equals("calls")) {
      String id = decode(parts[1]);
      if (parts.length == 2) {
        json(ex, 200, api.call(id));
      } else if (parts.length == 3 && parts[2].equals("transcript")) {
        json(ex, 200, api.transcript(id, intParam(q, "offset", 0), intParam(q, "limit", 50)));
      } else if (parts.length == 3 && parts[2].equals("similar")) {
        json(ex, 200, api.similar(id, intParam(q, "k", 5)));
      } else {
        json(ex, 404, error("no such route"));
      }
    } else if (parts.length == 3 && parts[0].equals("accounts") && parts[2].equals("brief")) {
      json(ex, 200, api.brief(decode(parts[1]), intParam(q, "calls", 5)));
    } else {
      json(ex, 404, error("no such route"));
    }
  }

  /** The search page (one self-contained HTML file: its script and styles are inline). */
  private void page(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath();
    if (!path.equals("/") && !path.equals("/index.html")) {
      json(ex, 404, error("no such route"));
      return;
    }
    byte[] body;
    try (InputStream in = ServeServer.class.getResourceAsStream("index.html")) {
      body = in.readAllBytes();
    }
    ex.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
    ex.getResponseHeaders().set("Content-Security-Policy",
        "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'");
    ex.sendResponseHeaders(200, body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  /** {@code q, k, mode, account, since, until, speaker} as a request. */
  static SearchRequest searchRequest(Map<String, String> q) {
    return new SearchRequest(q.getOrDefault("q", ""), intParam(q, "k", 5),
        SearchMode.parse(q.get("mode")), q.get("account"), instant(q.get("since"), "since"),
        instant(q.get("until"), "until"), q.get("speaker"));
  }

  /** An ISO-8601 instant or a date (UTC midnight); null for blank. */
  static @Nullable Instant instant(@Nullable String s, String name) {
    if (s == null || s.isBlank()) {
      return null;
    }
    try {
      return s.length() == 10 ? LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant()
          : Instant.parse(s);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(name + " must be a date (2026-06-01) or an ISO-8601"
          + " instant");
    }
  }

  static int intParam(Map<String, String> q, String name, int dflt) {
    String v = q.get(name);
    if (v == null || v.isBlank()) {
      return dflt;
    }
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number");
    }
  }

  static Map<String, String> params(URI uri) {
    Map<String, String> out = new HashMap<>();
    String raw = uri.getRawQuery();
    if (raw == null) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String k = decode(eq < 0 ? pair : pair.substring(0, eq));
      String v = eq < 0 ? "" : decode(pair.substring(eq + 1));
      out.putIfAbsent(k, v);
    }
    return out;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  static ObjectNode error(String message) {
    return JsonNodeFactory.instance.objectNode().put("error", message);
  }

  static void json(HttpExchange ex, int status, JsonNode body) throws IOException {
    byte[] bytes = JsonSupport.write(body).getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    if (refresher != null) {
      refresher.shutdownNow();
    }
    server.stop(0);
    executor.shutdownNow();
  }
}
