package com.gongpipeline.gong.sim;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-process HTTP server that speaks Gong's REST API v2 wire format over deterministic,
 * seeded data, for the demo and for every test (nothing may reach the real Gong).
 *
 * <pre>{@code
 * try (GongSimulator sim = GongSimulator.start(SimulatorConfig.builder().seed(42).calls(300).build())) {
 *   String base = sim.baseUrl();                       // http://127.0.0.1:PORT, append /v2/...
 *   GroundTruth truth = sim.groundTruth(from, to);     // what a perfect sync must contain
 * }
 * }</pre>
 *
 * <p>Serves {@code GET /v2/calls}, {@code GET /v2/calls/{id}}, {@code POST /v2/calls/extensive},
 * {@code POST /v2/calls/transcript}, {@code GET /v2/users}, {@code GET /v2/workspaces} behind
 * Basic auth, Gong's rate limits and the configured faults; and, without any of those,
 * {@code GET /sim/ground-truth} and {@code GET /sim/stats}.
 */
public final class GongSimulator implements AutoCloseable {

  private final SimulatorConfig config;
  private final HttpServer server;
  private final ExecutorService executor;
  private final GroundTruthBuilder groundTruth;
  private final CallCatalog catalog;
  private final CallsApi callsApi;
  private final StatsRecorder stats = new StatsRecorder();

  static {
    // The JDK server writes headers and body separately; with Nagle's algorithm on, the client's
    // delayed ACK adds ~40 ms to every response. Read once by the JDK when the first server starts.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private GongSimulator(SimulatorConfig config) throws IOException {
    this.config = config;
    CallCatalog catalog = new CallCatalog(config, new Directory(config));
    this.catalog = catalog;
    this.groundTruth = new GroundTruthBuilder(catalog);
    RateLimiter limiter = RateLimiter.of(config, System::nanoTime);
    this.callsApi = new CallsApi(config, catalog);
    ApiRouter router = new ApiRouter(config, callsApi, limiter,
        new FaultInjector(config), stats);
    this.server = HttpServer.create(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), config.port()), 64);
    this.executor = Executors.newFixedThreadPool(8, daemonThreads());
    server.setExecutor(executor);
    server.createContext("/sim/", new SimEndpoints(this, config));
    server.createContext("/", router);
    server.start();
  }

  /** Binds 127.0.0.1:{@code config.port()} (0 = any free port) and starts serving. */
  public static GongSimulator start(SimulatorConfig config) throws IOException {
    return new GongSimulator(config);
  }

  /** {@code http://127.0.0.1:PORT}; clients append {@code /v2/...}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public SimulatorConfig config() {
    return config;
  }

  /** Calls started in {@code [from, to)} that are visible at the simulator clock's now. */
  public GroundTruth groundTruth(Instant from, Instant to) {
    return groundTruth.build(from, to, config.clock().instant());
  }

  /**
   * The ground truth as it was (or will be) at {@code asOf}: what a pagination sequence whose first
   * page was served at {@code asOf} returns, since a cursor keeps its first page's snapshot.
   */
  public GroundTruth groundTruth(Instant from, Instant to, Instant asOf) {
    return groundTruth.build(from, to, asOf);
  }

  /**
   * When each call started in {@code [from, to)} becomes visible on the API (its start plus its
   * processing lag), keyed by call id: what freshness (visible → loaded) is measured from.
   */
  public java.util.Map<String, Instant> visibleAt(Instant from, Instant to) {
    java.util.Map<String, Instant> out = new java.util.LinkedHashMap<>();
    for (int i : catalog.startedIn(from, to)) {
      CallHeader h = catalog.header(i);
      out.put(h.id(), h.started().plus(h.lag()));
    }
    return out;
  }

  /** When a call started, when the API first shows it, and whether it is private. */
  public record CallTiming(String id, Instant started, Instant visible, boolean isPrivate) {}

  /**
   * The timing of each call started in {@code [from, to)}, in start order, without building call
   * bodies: what a projection of polling costs over simulated time needs.
   */
  public java.util.List<CallTiming> timings(Instant from, Instant to) {
    java.util.List<CallTiming> out = new java.util.ArrayList<>();
    for (int i : catalog.startedIn(from, to)) {
      CallHeader h = catalog.header(i);
      out.add(new CallTiming(h.id(), h.started(), h.started().plus(h.lag()), h.isPrivate()));
    }
    return out;
  }

  /** The calls of the whole configured range, visible now. */
  public GroundTruth groundTruth() {
    return groundTruth(config.callsFrom(), config.callsTo());
  }

  /**
   * Test fault: while on, every details or transcript request naming {@code callId} fails with a
   * 500 (a poison call that takes its whole batch down).
   */
  public void poisonCall(String callId, boolean on) {
    if (on) {
      callsApi.poisoned.add(callId);
    } else {
      callsApi.poisoned.remove(callId);
    }
  }

  /** Test fault: while on, {@code callId}'s entry is left out of transcript responses. */
  public void dropTranscript(String callId, boolean on) {
    if (on) {
      callsApi.transcriptDropped.add(callId);
    } else {
      callsApi.transcriptDropped.remove(callId);
    }
  }

  /** Counters of what has been served on {@code /v2} so far. */
  /**
   * Makes a call private from now on, as a Gong user can: listed and fetched with {@code
   * isPrivate: true} (and so dropped by a client that excludes private calls), marked private in
   * the ground truth. Also {@code POST /sim/calls/{id}/private}.
   *
   * @return false when no such call exists
   */
  public boolean makeCallPrivate(String callId) {
    return catalog.makePrivate(callId);
  }

  /**
   * Deletes a call from now on: no list, details, transcript or by-id answer contains it again, and
   * the ground truth no longer has it. Also {@code POST /sim/calls/{id}/delete}.
   *
   * @return false when no such call exists
   */
  public boolean deleteCall(String callId) {
    return catalog.delete(callId);
  }

  /**
   * From now on, every {@code GET /v2/calls} whose window contains {@code at} answers 503 (the
   * other windows list normally): a partial listing. {@code null} clears all such faults.
   */
  public void failListingsCovering(Instant at) {
    callsApi.failListingsCovering(at);
  }

  public SimulatorStats stats() {
    return stats.snapshot();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private static ThreadFactory daemonThreads() {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "gong-sim-http-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
