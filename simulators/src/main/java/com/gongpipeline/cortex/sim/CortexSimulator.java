package com.gongpipeline.cortex.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.gongpipeline.chunking.E5Tokenizer;
import com.gongpipeline.cortex.CortexEmbedConfig;
import com.gongpipeline.cortex.CortexEmbedder;
import com.gongpipeline.cortex.CortexModel;
import com.gongpipeline.errors.FailureKind;
import com.gongpipeline.errors.PipelineException;
import com.gongpipeline.snowflake.SnowflakeAuth;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local Cortex-compatible endpoint beside the Gong simulator: {@code POST
 * /api/v2/cortex/inference:embed} in the real request and response shape, so the production
 * {@link CortexEmbedder} is tested over real HTTP and the pipeline can run {@code
 * --embeddings=cortex} without a Snowflake account.
 *
 * <pre>{@code
 * try (CortexSimulator cortex = CortexSimulator.start(CortexSimulatorConfig.builder().build())) {
 *   // --embeddings=cortex --cortexUrl=cortex.baseUrl(), SNOWFLAKE_PAT=sim-cortex-pat
 * }
 * }</pre>
 *
 * <p>Vectors are NOT Cortex's: they are the local e5-small-v2's, projected to the model's dimension
 * ({@code StandInVectors}); every response carries {@code X-Stand-In: local-e5-small-v2-projected}
 * and a standard {@code Warning} header saying so (which the production client logs once), and
 * starting the simulator logs it. Like Cortex it checks the bearer token (the configured PAT,
 * or a key-pair JWT verified against the configured public key), answers 400 for an unknown model
 * or a text over the model's 512 tokens (counted with the BERT uncased tokenizer), and serves
 * scripted faults ({@link #failNext}, {@link #rejectTextsContaining}) and a seeded throttle rate.
 */
public final class CortexSimulator implements AutoCloseable {
  /** Response header marking every response as the stand-in's (tests read it). */
  public static final String STAND_IN_HEADER = "X-Stand-In";
  /** RFC 7234 warning (code 299, "miscellaneous persistent warning") on every response. */
  static final String WARNING = "299 - \"local stand-in (" + StandInVectors.MARK
      + "): these vectors are not Cortex's\"";

  private static final Logger LOG = LoggerFactory.getLogger(CortexSimulator.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One request as received (no credentials kept: only the token type and a hash). */
  public record ReceivedRequest(String model, List<String> texts, @Nullable String tokenType,
      @Nullable String contentType, String bearerSha256) {}

  private record Fault(int status, @Nullable String retryAfter) {}

  private final CortexSimulatorConfig config;
  private final HttpServer server;
  private final ExecutorService executor;
  private final StandInVectors vectors = new StandInVectors();
  private final E5Tokenizer tokenizer = new E5Tokenizer();
  private final @Nullable JwtVerifier jwt;
  private final Deque<Fault> faults = new ArrayDeque<>();
  private final List<String> rejectMarkers = Collections.synchronizedList(new ArrayList<>());
  private final List<ReceivedRequest> received = Collections.synchronizedList(new ArrayList<>());
  private final Map<Integer, AtomicLong> byStatus = new ConcurrentHashMap<>();
  private final AtomicLong texts = new AtomicLong();
  private final List<String> authRefusals = Collections.synchronizedList(new ArrayList<>());
  private final Random random;

  private CortexSimulator(CortexSimulatorConfig config) throws IOException {
    this.config = config;
    this.random = new Random(config.seed());
    this.jwt = config.publicKey() == null ? null
        : new JwtVerifier(config.publicKey(), config.account(), config.user(), config.clock());
    this.server = HttpServer.create(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), config.port()), 64);
    AtomicInteger n = new AtomicInteger();
    this.executor = Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "cortex-sim-http-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext(CortexEmbedConfig.EMBED_PATH, this::handle);
    server.createContext("/api/v2/databases/", this::handleSearch);
    server.start();
    if (config.hashedVectors()) {
      LOG.warn("Cortex stand-in on {}: vectors are hashes of the texts (for load tests), NOT "
          + "Snowflake Cortex's", baseUrl());
    } else {
      LOG.warn("Cortex stand-in on {}: vectors are local e5-small-v2 projected to each model's "
          + "dimension ({}), NOT Snowflake Cortex's", baseUrl(), StandInVectors.MARK);
    }
  }

  /** Binds 127.0.0.1:{@code config.port()} (0 = any free port) and starts serving. */
  public static CortexSimulator start(CortexSimulatorConfig config) throws IOException {
    return new CortexSimulator(config);
  }

  /** {@code http://127.0.0.1:PORT}: the {@code --cortexUrl}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public CortexSimulatorConfig config() {
    return config;
  }

  /** The next {@code times} authorised requests get {@code status} (429 with this Retry-After). */
  public void failNext(int status, @Nullable String retryAfter, int times) {
    synchronized (faults) {
      for (int i = 0; i < times; i++) {
        faults.add(new Fault(status, retryAfter));
      }
    }
  }

  /** Any request with a text containing {@code marker} gets 400, as Cortex does for bad input. */
  public void rejectTextsContaining(String marker) {
    rejectMarkers.add(marker);
  }

  /** Requests answered, by HTTP status. */
  public Map<Integer, Long> requestsByStatus() {
    Map<Integer, Long> out = new TreeMap<>();
    byStatus.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  public long requests() {
    return requestsByStatus().values().stream().mapToLong(Long::longValue).sum();
  }

  /** Texts embedded (in 200 responses). */
  public long textsEmbedded() {
    return texts.get();
  }

  /** Every request that reached the embed endpoint, in arrival order. */
  public List<ReceivedRequest> received() {
    synchronized (received) {
      return List.copyOf(received);
    }
  }

  /**
   * Why each refused request was refused (HTTP clients in streaming mode cannot read a 401 body,
   * so tests read the reason here).
   */
  public List<String> authRefusals() {
    synchronized (authRefusals) {
      return List.copyOf(authRefusals);
    }
  }

  private void handle(HttpExchange ex) throws IOException {
    String requestId = UUID.randomUUID().toString();
    try (ex) {
      if (!"POST".equals(ex.getRequestMethod())) {
        send(ex, 405, error("use POST", requestId), null);
        return;
      }
      String authorization = ex.getRequestHeaders().getFirst("Authorization");
      String tokenType = ex.getRequestHeaders().getFirst("X-Snowflake-Authorization-Token-Type");
      String token = authorization != null && authorization.startsWith("Bearer ")
          ? authorization.substring("Bearer ".length()).trim() : null;
      JsonNode body;
      try (InputStream in = ex.getRequestBody()) {
        body = JSON.readTree(in.readAllBytes());
      } catch (IOException e) {
        send(ex, 400, error("request body is not JSON", requestId), null);
        return;
      }
      String model = body == null ? "" : body.path("model").asText("");
      List<String> input = new ArrayList<>();
      if (body != null && body.path("text").isArray()) {
        body.path("text").forEach(t -> input.add(t.asText()));
      }
      received.add(new ReceivedRequest(model, List.copyOf(input), tokenType,
          ex.getRequestHeaders().getFirst("Content-Type"), sha256(token)));

      String authProblem = authProblem(token, tokenType);
      if (authProblem != null) {
        authRefusals.add(authProblem);
        send(ex, 401, error(authProblem, requestId), null);
        return;
      }
      Fault fault;
      synchronized (faults) {
        fault = faults.poll();
      }
      if (fault == null && config.throttleRate() > 0) {
        synchronized (random) {
          fault = random.nextDouble() < config.throttleRate() ? new Fault(429, null) : null;
        }
      }
      if (fault != null) {
        send(ex, fault.status(), error(fault.status() == 429 ? "Too many requests"
            : "stand-in fault " + fault.status(), requestId), fault.retryAfter());
        return;
      }
      CortexModel known = CortexModel.KNOWN.stream().filter(m -> m.name().equals(model))
          .findFirst().orElse(null);
      if (known == null) {
        send(ex, 400, error("unknown model '" + model + "'", requestId), null);
        return;
      }
      if (input.isEmpty()) {
        send(ex, 400, error("text must be a non-empty array", requestId), null);
        return;
      }
      for (int i = 0; i < input.size(); i++) {
        String t = input.get(i);
        int tokens = tokenizer.countTokens(t);
        if (tokens > known.maxInputTokens()) {
          send(ex, 400, error("text[" + i + "] has " + tokens + " tokens; " + model
              + " accepts at most " + known.maxInputTokens(), requestId), null);
          return;
        }
        for (String marker : List.copyOf(rejectMarkers)) {
          if (t.contains(marker)) {
            send(ex, 400, error("text[" + i + "] was rejected (stand-in marker)", requestId), null);
            return;
          }
        }
      }
      List<float[]> out;
      try {
        out = config.hashedVectors() ? StandInVectors.hashed(input, known.dimension())
            : vectors.embed(input, known.dimension());
      } catch (IllegalArgumentException e) {
        send(ex, 400, error(e.getMessage(), requestId), null);
        return;
      } catch (PipelineException e) {
        if (e.kind() != FailureKind.PERMANENT) {
          throw e;
        }
        // the local model refuses this text (blank, over its window): Cortex would say 400
        send(ex, 400, error(e.getMessage(), requestId), null);
        return;
      }
      int totalTokens = 0;
      for (String t : input) {
        totalTokens += tokenizer.countTokens(t);
      }
      texts.addAndGet(input.size());
      send(ex, 200, response(model, out, totalTokens), null);
    } catch (RuntimeException e) {
      LOG.warn("Cortex stand-in failed a request: {}", e.toString());
      send(ex, 500, error("internal error", requestId), null);
    }
  }

  /** One Cortex Search request as received (no credentials): service path, query, filter. */
  public record SearchRequestSeen(String path, String query, @Nullable String filter, int limit) {}

  private volatile @Nullable String searchWarehouse;
  private final List<SearchRequestSeen> searches = Collections.synchronizedList(new ArrayList<>());
  private static final java.util.regex.Pattern SEARCH_PATH = java.util.regex.Pattern.compile(
      "/api/v2/databases/[^/]+/schemas/[^/]+/cortex-search-services/([^/:]+):query");

  /**
   * Answers Cortex Search queries ({@code POST
   * /api/v2/databases/{db}/schemas/{schema}/cortex-search-services/{name}:query}) from this
   * warehouse's AI_MEMORY, over the rows sql/snowflake/admin/130's service indexes (chunks of calls
   * not deleted, with their call's account and start). The ranking is NOT Cortex's: rows by how
   * many distinct query words (3+ letters) their CONTENT holds, then MEMORY_ID; rows with none are
   * left out. Filters {@code @eq}, {@code @gte}, {@code @lte} (on text), {@code @and} and {@code @not} apply.
   */
  public void serveSearchFrom(String warehouseUrl) {
    this.searchWarehouse = warehouseUrl;
  }

  /** Every Cortex Search request received, in arrival order. */
  public List<SearchRequestSeen> searches() {
    synchronized (searches) {
      return List.copyOf(searches);
    }
  }

  private void handleSearch(HttpExchange ex) throws IOException {
    String requestId = UUID.randomUUID().toString();
    try (ex) {
      java.util.regex.Matcher path = SEARCH_PATH.matcher(ex.getRequestURI().getRawPath());
      if (!"POST".equals(ex.getRequestMethod()) || !path.matches()) {
        send(ex, 404, error("no such endpoint", requestId), null);
        return;
      }
      String authorization = ex.getRequestHeaders().getFirst("Authorization");
      String token = authorization != null && authorization.startsWith("Bearer ")
          ? authorization.substring("Bearer ".length()).trim() : null;
      String authProblem = authProblem(token,
          ex.getRequestHeaders().getFirst("X-Snowflake-Authorization-Token-Type"));
      if (authProblem != null) {
        authRefusals.add(authProblem);
        send(ex, 401, error(authProblem, requestId), null);
        return;
      }
      JsonNode body;
      try (InputStream in = ex.getRequestBody()) {
        body = JSON.readTree(in.readAllBytes());
      }
      String query = body == null ? "" : body.path("query").asText("");
      int limit = body == null ? 10 : body.path("limit").asInt(10);
      JsonNode filter = body == null ? null : body.get("filter");
      searches.add(new SearchRequestSeen(ex.getRequestURI().getRawPath(), query,
          filter == null ? null : filter.toString(), limit));
      String url = searchWarehouse;
      if (url == null) {
        send(ex, 404, error("Cortex Search Service " + path.group(1) + " does not exist",
            requestId), null);
        return;
      }
      java.util.Set<String> words = new java.util.LinkedHashSet<>();
      for (String w : query.toLowerCase(java.util.Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
        if (w.length() >= 3) {
          words.add(w);
        }
      }
      List<Map<String, @Nullable Object>> rows;
      try (com.gongpipeline.warehouse.Warehouse wh =
          com.gongpipeline.warehouse.Warehouse.open(url)) {
        rows = wh.query("SELECT m.MEMORY_ID, m.CONTENT, m.SOURCE_ID, m.AFFILIATION,"
            + " c.ACCOUNT_NAME,"
            + " strftime(c.CALL_DATETIME_UTC, '%Y-%m-%dT%H:%M:%SZ') AS CALL_DATETIME_UTC"
            + " FROM AI_MEMORY.MEMORY_RECORDS m LEFT JOIN STG_TRANSFORMED.STG_GONG_CALLS c"
            + " ON c.CALL_ID = m.SOURCE_ID WHERE c.IS_DELETED IS NOT TRUE ORDER BY m.MEMORY_ID");
      }
      List<Map.Entry<Integer, Map<String, @Nullable Object>>> scored = new ArrayList<>();
      for (Map<String, @Nullable Object> row : rows) {
        String content = String.valueOf(row.get("CONTENT")).toLowerCase(java.util.Locale.ROOT);
        int n = (int) words.stream().filter(content::contains).count();
        if (n > 0 && matches(filter, row)) {
          scored.add(Map.entry(n, row));
        }
      }
      scored.sort((x, y) -> y.getKey() - x.getKey());
      ObjectNode root = JSON.createObjectNode();
      ArrayNode results = root.putArray("results");
      for (Map.Entry<Integer, Map<String, @Nullable Object>> e
          : scored.subList(0, Math.min(Math.max(limit, 0), scored.size()))) {
        ObjectNode r = results.addObject();
        for (JsonNode col : body.path("columns")) {
          Object v = e.getValue().get(col.asText());
          if (v == null) {
            r.putNull(col.asText());
          } else {
            r.put(col.asText(), v.toString());
          }
        }
        r.putObject("@scores").put("text_match", e.getKey());
      }
      root.put("request_id", requestId);
      send(ex, 200, root, null);
    } catch (RuntimeException e) {
      LOG.warn("Cortex stand-in failed a search request: {}", e.toString());
      send(ex, 500, error("internal error", requestId), null);
    }
  }

  /** Cortex Search's filter operators over the row's columns (text comparisons). */
  private static boolean matches(@Nullable JsonNode filter, Map<String, @Nullable Object> row) {
    if (filter == null || filter.isNull()) {
      return true;
    }
    if (filter.has("@and")) {
      for (JsonNode f : filter.get("@and")) {
        if (!matches(f, row)) {
          return false;
        }
      }
      return true;
    }
    if (filter.has("@not")) {
      return !matches(filter.get("@not"), row);
    }
    for (String op : List.of("@eq", "@gte", "@lte")) {
      if (filter.has(op)) {
        var it = filter.get(op).fields();
        while (it.hasNext()) {
          var e = it.next();
          Object v = row.get(e.getKey());
          if (v == null) {
            return false;
          }
          int c = v.toString().compareTo(e.getValue().asText());
          if (op.equals("@eq") ? c != 0 : op.equals("@gte") ? c < 0 : c > 0) {
            return false;
          }
        }
        return true;
      }
    }
    throw new IllegalArgumentException("unsupported filter " + filter);
  }

  private @Nullable String authProblem(@Nullable String token, @Nullable String tokenType) {
    if (token == null || token.isEmpty()) {
      return "missing bearer token";
    }
    boolean looksLikeJwt = token.chars().filter(c -> c == '.').count() == 2;
    if (SnowflakeAuth.TYPE_KEYPAIR_JWT.equals(tokenType) || (tokenType == null && looksLikeJwt)) {
      return jwt == null ? "key-pair JWT not configured for this user" : jwt.problem(token);
    }
    if (tokenType != null && !SnowflakeAuth.TYPE_PAT.equals(tokenType)) {
      return "unsupported token type " + tokenType;
    }
    if (config.pat() == null || !MessageDigest.isEqual(
        config.pat().getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8))) {
      return "invalid programmatic access token";
    }
    return null;
  }

  private ObjectNode response(String model, List<float[]> out, int totalTokens) {
    ObjectNode root = JSON.createObjectNode();
    root.put("object", "list");
    ArrayNode data = root.putArray("data");
    for (int k = 0; k < out.size(); k++) {
      int i = config.reverseDataOrder() ? out.size() - 1 - k : k;
      ObjectNode item = data.addObject();
      item.put("object", "embedding");
      ArrayNode values = item.putArray("embedding");
      if (config.nestedEmbeddings()) {
        values = values.addArray();
      }
      for (float x : out.get(i)) {
        values.add(x);
      }
      item.put("index", i);
    }
    root.put("model", model);
    root.putObject("usage").put("total_tokens", totalTokens);
    return root;
  }

  private static ObjectNode error(String message, String requestId) {
    ObjectNode n = JSON.createObjectNode();
    n.put("message", message);
    n.put("request_id", requestId);
    return n;
  }

  private void send(HttpExchange ex, int status, ObjectNode body, @Nullable String retryAfter)
      throws IOException {
    byStatus.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
    byte[] bytes = JSON.writeValueAsBytes(body);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.getResponseHeaders().set("X-Snowflake-Request-ID", body.path("request_id").asText(
        UUID.randomUUID().toString()));
    ex.getResponseHeaders().set(STAND_IN_HEADER, StandInVectors.MARK);
    ex.getResponseHeaders().set(CortexEmbedder.WARNING_HEADER, WARNING);
    if (retryAfter != null) {
      ex.getResponseHeaders().set("Retry-After", retryAfter);
    }
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream os = ex.getResponseBody()) {
      os.write(bytes);
    }
  }

  private static String sha256(@Nullable String token) {
    if (token == null) {
      return "";
    }
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
      StringBuilder sb = new StringBuilder();
      for (byte b : d) {
        sb.append(String.format("%02x", b));
      }
      return sb.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
