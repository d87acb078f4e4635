package com.gongpipeline.pipeline.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP endpoint of a running job ({@code --metricsPort}), on the JDK's built-in server:
 *
 * <ul>
 *   <li>{@code /metrics}: every Beam metric in the Prometheus text format 0.0.4
 *       ({@link PrometheusFormat}) with the job labels, read from the runner on each scrape;
 *   <li>{@code /status.json}: the last minutes sampled every few seconds ({@link StatusHistory});
 *   <li>{@code /} and {@code /status}: a self-contained page (inline JS and SVG, no CDN) that polls
 *       {@code /status.json} and draws throughput, errors, 429s and freshness with totals and ETA.
 * </ul>
 *
 * <p>Metrics carry counts and timings only, never payloads or credentials.
 */
public final class MetricsServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MetricsServer.class);
  /** Samples kept for the status page: 120 × 5 s = 10 minutes. */
  public static final int SAMPLES = 120;
  public static final Duration SAMPLE_EVERY = Duration.ofSeconds(5);
  /** Window of the progress rate behind the ETA. */
  public static final Duration RATE_WINDOW = Duration.ofMinutes(1);

  private final HttpServer server;
  private final Supplier<MetricsSnapshot> source;
  private final Map<String, String> labels;
  private final StatusHistory history;
  private final ScheduledExecutorService sampler;
  private final byte[] page;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final ExecutorService handlers = Executors.newFixedThreadPool(2, r -> {
    Thread t = new Thread(r, "metrics-http");
    t.setDaemon(true);
    return t;
  });

  private MetricsServer(HttpServer server, Supplier<MetricsSnapshot> source,
      Map<String, String> labels, StatusHistory history, ScheduledExecutorService sampler) {
    this.server = server;
    this.source = source;
    this.labels = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(labels));
    this.history = history;
    this.sampler = sampler;
    this.page = statusPage();
  }

  /** The default {@code --metricsBind}: loopback only, so the endpoint is not on the network. */
  public static final String DEFAULT_BIND = "127.0.0.1";

  /** Serves on {@link #DEFAULT_BIND} (loopback only); see the overload with a bind address. */
  public static MetricsServer start(int port, Supplier<MetricsSnapshot> source,
      Map<String, String> labels, Duration sampleEvery) {
    return start(DEFAULT_BIND, port, source, labels, sampleEvery);
  }

  /**
   * Serves on {@code bind}:{@code port} (0 picks a free port) until closed.
   *
   * @param bind the address to listen on ({@code --metricsBind}): {@code 127.0.0.1} by default;
   *     {@code 0.0.0.0} (every interface) or one interface's address only when asked to
   *
   * @param source the job's metrics now (e.g. {@code () -> MetricsSnapshot.of(result)})
   * @param labels job labels on every series and in the status JSON (job_id, mode, runner)
   * @param sampleEvery how often the status history samples; zero = only when {@link #sample}
   *     is called
   */
  public static MetricsServer start(String bind, int port, Supplier<MetricsSnapshot> source,
      Map<String, String> labels, Duration sampleEvery) {
    HttpServer http;
    try {
      InetSocketAddress address = new InetSocketAddress(bind, port);
      if (address.isUnresolved()) {
        throw new IllegalArgumentException(
            "--metricsBind=" + bind + ": not an address of this host");
      }
      http = HttpServer.create(address, 16);
    } catch (IOException e) {
      // The CLI reports an IllegalArgumentException as a usage error (exit 2).
      throw new IllegalArgumentException("--metricsPort=" + port + ": cannot listen there ("
          + e.getMessage() + "); pick a free port or 0 to turn the endpoint off", e);
    }
    ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "metrics-sampler");
      t.setDaemon(true);
      return t;
    });
    MetricsServer s = new MetricsServer(http, source, labels,
        new StatusHistory(SAMPLES, RATE_WINDOW), sampler);
    http.createContext("/metrics", s::metrics);
    http.createContext("/status.json", s::statusJson);
    http.createContext("/", s::statusPageOrNotFound);
    http.setExecutor(s.handlers);
    http.start();
    if (!sampleEvery.isZero()) {
      sampler.scheduleAtFixedRate(s::sample, 0, sampleEvery.toMillis(), TimeUnit.MILLISECONDS);
    }
    String host = s.host();
    LOG.info("Metrics on http://{}:{}/metrics, status page on http://{}:{}/", host, s.port(),
        host, s.port());
    return s;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** The address the server listens on (loopback unless {@code --metricsBind} widened it). */
  public java.net.InetAddress boundAddress() {
    return server.getAddress().getAddress();
  }

  /** {@code http://host:port} of this endpoint, as a person on this machine would open it. */
  public String baseUrl() {
    return "http://" + host() + ":" + port();
  }

  private String host() {
    java.net.InetAddress a = boundAddress();
    if (a.isAnyLocalAddress() || a.isLoopbackAddress()) {
      return "localhost";
    }
    String h = a.getHostAddress();
    return h.contains(":") ? "[" + h + "]" : h;
  }

  public StatusHistory history() {
    return history;
  }

  /** Takes one status sample now. */
  public void sample() {
    try {
      history.add(System.currentTimeMillis(), source.get());
    } catch (RuntimeException e) {
      LOG.debug("Status sample failed: {}", e.toString());
    }
  }

  private void metrics(HttpExchange ex) throws IOException {
    respond(ex, 200, PrometheusFormat.CONTENT_TYPE, PrometheusFormat.render(source.get(), labels)
        .getBytes(StandardCharsets.UTF_8));
  }

  private void statusJson(HttpExchange ex) throws IOException {
    respond(ex, 200, "application/json", history.json(labels).getBytes(StandardCharsets.UTF_8));
  }

  private void statusPageOrNotFound(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath();
    if (path.equals("/") || path.equals("/status") || path.equals("/status.html")) {
      respond(ex, 200, "text/html; charset=utf-8", page);
    } else {
      respond(ex, 404, "text/plain", "not found\n".getBytes(StandardCharsets.UTF_8));
    }
  }

  private static void respond(HttpExchange ex, int status, String type, byte[] body)
      throws IOException {
    try (ex) {
      ex.getResponseHeaders().set("Content-Type", type);
      ex.getResponseHeaders().set("Cache-Control", "no-store");
      if ("HEAD".equals(ex.getRequestMethod())) {
        ex.sendResponseHeaders(status, -1);
        return;
      }
      ex.sendResponseHeaders(status, body.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private static byte[] statusPage() {
    try (InputStream in = MetricsServer.class.getResourceAsStream("status.html")) {
      if (in == null) {
        throw new IllegalStateException("status.html missing from the jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Serves the current (final) values for {@code linger} more, then closes: Prometheus scrapes
   * every few seconds and would otherwise miss the end of a short run. Interruptible.
   */
  public void lingerThenClose(Duration linger) {
    try {
      if (!linger.isZero() && !linger.isNegative()) {
        sample();
        LOG.info("Job finished; serving final metrics for {} s more", linger.toSeconds());
        Thread.sleep(linger.toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      close();
    }
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    sampler.shutdownNow();
    server.stop(0);
    handlers.shutdownNow();
  }
}
