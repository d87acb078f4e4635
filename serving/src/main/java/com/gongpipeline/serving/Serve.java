package com.gongpipeline.serving;

import com.gongpipeline.enrich.TextEmbedder;
import com.gongpipeline.warehouse.Warehouse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One running {@code serve}: the index (built from the warehouse before the server answers), its
 * refresher, the API and the HTTP server (with MCP at {@code /mcp}). The embedder is loaded once
 * by the caller and must be the model the rows were embedded with.
 *
 * <pre>{@code
 * try (Serve s = Serve.start(Serve.Settings.of("jdbc:duckdb:./gong.duckdb"), embedder)) {
 *   s.awaitShutdown();
 * }
 * }</pre>
 */
public final class Serve implements AutoCloseable {
  /**
   * What the command line sets.
   *
   * @param indexDir where the memory-mapped index lives, or null for a temporary directory
   *     (deleted on close); {@code :memory:} keeps it on the heap
   */
  public record Settings(String warehouse, String bind, int port, @Nullable String token,
      boolean allowVerbatim, long refreshSeconds, @Nullable String indexDir, boolean http) {
    public static Settings of(String warehouse) {
      return new Settings(warehouse, "127.0.0.1", 8765, null, false, 30, null, true);
    }

    public Settings withPort(int p) {
      return new Settings(warehouse, bind, p, token, allowVerbatim, refreshSeconds, indexDir, http);
    }

    public Settings withBind(String b, @Nullable String t) {
      return new Settings(warehouse, b, port, t, allowVerbatim, refreshSeconds, indexDir, http);
    }

    public Settings withRefreshSeconds(long s) {
      return new Settings(warehouse, bind, port, token, allowVerbatim, s, indexDir, http);
    }

    public Settings withAllowVerbatim(boolean v) {
      return new Settings(warehouse, bind, port, token, v, refreshSeconds, indexDir, http);
    }

    public Settings withIndexDir(@Nullable String d) {
      return new Settings(warehouse, bind, port, token, allowVerbatim, refreshSeconds, d, http);
    }

    public Settings withHttp(boolean h) {
      return new Settings(warehouse, bind, port, token, allowVerbatim, refreshSeconds, indexDir, h);
    }
  }

  private final HybridIndex index;
  private final ServeApi api;
  private final @Nullable ServeServer server;
  private final @Nullable Path tempDir;
  private final McpTools mcp;
  private java.util.concurrent.@Nullable ScheduledExecutorService stdioRefresh;

  private Serve(HybridIndex index, ServeApi api, @Nullable ServeServer server,
      @Nullable Path tempDir, McpTools mcp) {
    this.index = index;
    this.api = api;
    this.server = server;
    this.tempDir = tempDir;
    this.mcp = mcp;
  }

  /** Builds the index from the warehouse, then (unless {@code http} is off) starts answering. */
  public static Serve start(Settings s, TextEmbedder embedder) throws IOException {
    // Checked before the (possibly long) index build.
    if (s.http() && !java.net.InetAddress.getByName(s.bind()).isLoopbackAddress()
        && (s.token() == null || s.token().isBlank())) {
      throw new IllegalArgumentException("serve binds " + s.bind() + ", which is not a loopback "
          + "address: set SERVE_TOKEN (clients send Authorization: Bearer <token>) or bind "
          + "127.0.0.1");
    }
    Path temp = null;
    HybridIndex index;
    if (":memory:".equals(s.indexDir())) {
      index = HybridIndex.inMemory(embedder.dimension());
    } else if (s.indexDir() != null) {
      index = HybridIndex.inDirectory(Path.of(s.indexDir()), embedder.dimension());
    } else {
      temp = Files.createTempDirectory("gong-serve-index");
      index = HybridIndex.inDirectory(temp, embedder.dimension());
    }
    Supplier<Warehouse> wh = () -> Warehouse.open(s.warehouse());
    IndexRefresher refresher = new IndexRefresher(wh, index, embedder.modelName(),
        Clock.systemUTC());
    refresher.refresh();
    compactInBackground(index);
    ServeApi api = new ServeApi(index, refresher, embedder, wh,
        com.gongpipeline.errors.SecretRedaction.redact(s.warehouse()), s.allowVerbatim(),
        Clock.systemUTC());
    McpTools mcp = new McpTools(api);
    ServeServer server = s.http() ? new ServeServer(api, s.bind(), s.port(), s.token(),
        s.refreshSeconds(), mcp.httpHandler()) : null;
    Serve serve = new Serve(index, api, server, temp, mcp);
    if (server == null && s.refreshSeconds() > 0) {
      // Without HTTP (--stdio) the index is still kept fresh.
      serve.stdioRefresh = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "serve-refresh");
        t.setDaemon(true);
        return t;
      });
      serve.stdioRefresh.scheduleWithFixedDelay(() -> {
        try {
          refresher.refresh();
        } catch (RuntimeException e) {
          org.slf4j.LoggerFactory.getLogger(Serve.class).warn("index refresh failed: {}",
              com.gongpipeline.errors.SecretRedaction.describe(e));
        }
      }, s.refreshSeconds(), s.refreshSeconds(), java.util.concurrent.TimeUnit.SECONDS);
    }
    return serve;
  }

  /**
   * The first build leaves one segment per flush, and a vector search walks one HNSW graph per
   * segment: merged into one, warm hybrid search at 100k chunks went from 90 to 1.3 ms p50 (search
   * alone, {@code bench --search}). Merging takes minutes at that size, so it runs beside serving;
   * a close() meanwhile abandons it.
   */
  private static void compactInBackground(HybridIndex index) {
    if (index.segments() <= 1) {
      return;
    }
    Thread t = new Thread(() -> {
      long t0 = System.nanoTime();
      try {
        index.compact();
        org.slf4j.LoggerFactory.getLogger(Serve.class).info(
            "index compacted to {} segment(s) in {} s", index.segments(),
            (System.nanoTime() - t0) / 1_000_000_000L);
      } catch (RuntimeException e) {
        org.slf4j.LoggerFactory.getLogger(Serve.class).debug("index compaction stopped: {}",
            e.toString());
      }
    }, "serve-compact");
    t.setDaemon(true);
    t.start();
  }

  public ServeApi api() {
    return api;
  }

  public McpTools mcp() {
    return mcp;
  }

  /** The HTTP base URL, e.g. {@code http://127.0.0.1:8765}. */
  public String baseUrl() {
    if (server == null) {
      throw new IllegalStateException("HTTP is off");
    }
    return server.baseUrl();
  }

  @Override
  public void close() {
    if (stdioRefresh != null) {
      stdioRefresh.shutdownNow();
    }
    if (server != null) {
      server.close();
    }
    mcp.close();
    index.close();
    if (tempDir != null) {
      try (Stream<Path> files = Files.walk(tempDir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
