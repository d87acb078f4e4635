package com.gongpipeline.pipeline;

import com.gongpipeline.enrich.TextEmbedder;
import com.gongpipeline.serving.CortexSearchBackend;
import com.gongpipeline.serving.Serve;
import com.gongpipeline.snowflake.SnowflakeCredentials;
import com.gongpipeline.warehouse.Warehouse;
import java.io.PrintStream;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * {@code serve [--warehouse=…] [--port=8765] [--bind=127.0.0.1] [--stdio] [--allowVerbatim]
 * [--refreshSeconds=30] [--indexDir=PATH|:memory:] [--embeddings=local|cortex …]
 * [--searchBackend=local|cortex --cortexUrl=… --cortexSearchService=DB.SCHEMA.NAME]}: loads the
 * embedding model AI_MEMORY was embedded with once, builds the hybrid index, and answers the HTTP
 * API, MCP (at /mcp, or over stdin/stdout with --stdio) and the search page until stopped.
 * Binding anything but a loopback address needs {@code SERVE_TOKEN}.
 */
final class ServeCommand {
  static final int DEFAULT_PORT = 8765;

  private ServeCommand() {}

  static void run(String[] args, PrintStream out) throws Exception {
    CliArgs a = CliArgs.parse(args);
    if (a.has("help")) {
      GongPipelineCli.usage(out);
      return;
    }
    String warehouse = a.get("warehouse", SearchCommand.DEFAULT_WAREHOUSE);
    boolean stdio = a.has("stdio");
    // With --stdio, stdout carries MCP messages only.
    PrintStream log = stdio ? System.err : out;
    Serve.Settings settings = Serve.Settings.of(warehouse)
        .withPort(a.getInt("port", DEFAULT_PORT))
        .withBind(a.get("bind", "127.0.0.1"), System.getenv("SERVE_TOKEN"))
        .withAllowVerbatim(a.has("allowVerbatim"))
        .withRefreshSeconds(a.getInt("refreshSeconds", 30))
        .withIndexDir(a.get("indexDir", null))
        .withHttp(!stdio);
    TextEmbedder embedder = SearchCommand.queryEmbedder(a, SnowflakeCredentials.fromEnv(),
        storedModels(warehouse));
    checkModel(warehouse, embedder);
    CortexSearchBackend cortexSearch = cortexSearch(a);
    Serve serve = Serve.start(settings, embedder);
    serve.api().useCortexSearch(cortexSearch);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      serve.close();
      embedder.close();
      stopped.countDown();
    }, "serve-shutdown"));
    log.printf("serve: %d chunks of %s indexed%n", serve.api().index().size(),
        embedder.modelName());
    if (stdio) {
      serve.mcp().serveStdio(System.in, System.out);
      log.println("serve: MCP on stdin/stdout");
    } else {
      log.printf("serve: %s (API /api/search, MCP /mcp, page /); Ctrl-C stops%n",
          serve.baseUrl());
    }
    stopped.await();
  }

  /** Default {@code --cortexSearchService}: the service sql/snowflake/admin/130 creates. */
  static final String DEFAULT_CORTEX_SEARCH_SERVICE = "GONG.AI_MEMORY.GONG_CALL_SEARCH";

  /**
   * {@code --searchBackend=local} (default: the in-process hybrid index) or {@code cortex}: the
   * Cortex Search Service {@code --cortexSearchService=DB.SCHEMA.NAME} at {@code --cortexUrl},
   * with the Snowflake credentials of {@code SNOWFLAKE_PAT} or the key pair (never logged).
   */
  static @Nullable CortexSearchBackend cortexSearch(CliArgs a) {
    String backend = a.get("searchBackend", "local");
    if ("local".equals(backend)) {
      return null;
    }
    if (!"cortex".equals(backend)) {
      throw new IllegalArgumentException("--searchBackend must be local or cortex, not " + backend);
    }
    String url = a.get("cortexUrl", null);
    if (url == null) {
      throw new IllegalArgumentException("--searchBackend=cortex needs --cortexUrl (the Snowflake"
          + " account URL)");
    }
    String[] parts = a.get("cortexSearchService", DEFAULT_CORTEX_SEARCH_SERVICE).split("\\.");
    if (parts.length != 3 || java.util.Arrays.stream(parts).anyMatch(String::isBlank)) {
      throw new IllegalArgumentException("--cortexSearchService must be DATABASE.SCHEMA.NAME");
    }
    SnowflakeCredentials credentials = SnowflakeCredentials.fromEnv();
    if (credentials.missing() != null) {
      throw new IllegalArgumentException("--searchBackend=cortex: " + credentials.missing());
    }
    com.gongpipeline.snowflake.SnowflakeAuth auth = credentials.resolve();
    return new CortexSearchBackend(new CortexSearchBackend.Config(url, parts[0], parts[1],
        parts[2], () -> auth, java.time.Duration.ofSeconds(a.getInt("cortexTimeoutSeconds", 30))));
  }

  /** The embedding models AI_MEMORY holds vectors of (the local one to load follows them). */
  static Set<String> storedModels(String warehouse) {
    try (Warehouse wh = Warehouse.open(warehouse)) {
      return wh.embeddingModels();
    }
  }

  /** Queries must be embedded with the model the rows were embedded with. */
  static void checkModel(String warehouse, TextEmbedder embedder) {
    try (Warehouse wh = Warehouse.open(warehouse)) {
      Set<String> models = wh.embeddingModels();
      if (!models.isEmpty() && !models.contains(embedder.modelName())) {
        throw new IllegalArgumentException("AI_MEMORY was embedded with " + models + " but serve "
            + "would embed queries with " + embedder.modelName() + ": pass the same --embeddings"
            + " (and --cortexEmbeddingModel) the pipeline used");
      }
    }
  }
}
