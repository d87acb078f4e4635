package com.gongpipeline.snowflake.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local Snowflake that the <b>real</b> Snowflake JDBC driver (3.23.x) connects to over plain
 * HTTP, executing statements on DuckDB. It exists so that our Snowflake code paths (warehouse
 * writes, {@code SNOWFLAKE.CORTEX.SENTIMENT} and {@code AI_EMBED} over JDBC) run through the real
 * driver and real HTTP where no Snowflake account is reachable. It is a test double, not a
 * Snowflake: SQL goes through {@link SnowflakeToDuckDb} and Cortex functions are offline stand-ins
 * ({@link CortexStandInFunctions}).
 *
 * <pre>{@code
 * try (SnowflakeStandIn sf = SnowflakeStandIn.start(StandInConfig.builder().token("pat").build())) {
 *   Properties p = new Properties();
 *   p.put("user", "TEST_USER");
 *   p.put("authenticator", "PROGRAMMATIC_ACCESS_TOKEN");
 *   p.put("token", "pat");
 *   try (Connection c = DriverManager.getConnection(sf.jdbcUrl(), p)) { ... }
 *   sf.statements();   // every statement with its bindings
 * }
 * }</pre>
 *
 * <p>Why plain HTTP works: the driver's {@code SnowflakeConnectString.parse} turns {@code ssl=off}
 * (URL parameter or property) into the {@code http} scheme, and its HTTP client registers a plain
 * socket factory for {@code http}; no TLS, so no OCSP either. The stand-in answers the driver's
 * REST protocol:
 *
 * <ul>
 *   <li>{@code POST /session/v1/login-request}: password, {@code PROGRAMMATIC_ACCESS_TOKEN}/{@code
 *       OAUTH} and {@code SNOWFLAKE_JWT} logins ({@link StandInAuth}); returns session and master
 *       tokens, session info and parameters with {@code JDBC_QUERY_RESULT_FORMAT=JSON} (so the
 *       driver never expects Arrow) and {@code CLIENT_STAGE_ARRAY_BINDING_THRESHOLD=0} (so batches
 *       are bound in the request, never uploaded to a stage).
 *   <li>{@code POST /queries/v1/query-request}: describe and execute ({@link QueryRunner}), with
 *       array binding for INSERT batches, JSON rowsets and DML counts.
 *   <li>{@code POST /session/heartbeat}, {@code /session/token-request} (renew), {@code
 *       /session?delete=true} (close), {@code /queries/v1/abort-request}, {@code /telemetry/send}.
 *   <li>Anything else: logged, listed in {@link StandInStats#unknownPaths()} and answered 404.
 * </ul>
 */
public final class SnowflakeStandIn implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SnowflakeStandIn.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  static final String LOGIN = "/session/v1/login-request";
  static final String QUERY = "/queries/v1/query-request";
  static final String ABORT = "/queries/v1/abort-request";
  static final String HEARTBEAT = "/session/heartbeat";
  static final String RENEW = "/session/token-request";
  static final String SESSION = "/session";
  static final String TELEMETRY = "/telemetry/send";

  static {
    // As in GongSimulator: without TCP_NODELAY the client's delayed ACK adds ~40 ms per response.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private final StandInConfig config;
  private final HttpServer server;
  private final ExecutorService executor;
  private final DuckDBConnection root;
  private final StandInAuth auth;
  private final QueryRunner runner;
  private final StandInFaults faults = new StandInFaults();
  private final List<RecordedStatement> statements = Collections.synchronizedList(new ArrayList<>());
  private final java.util.Queue<Integer> statementTimeouts =
      new java.util.concurrent.ConcurrentLinkedQueue<>();
  private final Map<String, StandInSession> bySessionToken = new ConcurrentHashMap<>();
  private final Map<String, StandInSession> byMasterToken = new ConcurrentHashMap<>();
  private final AtomicLong sessionIds = new AtomicLong(1_000_000);
  private final Map<String, AtomicLong> requests = new ConcurrentHashMap<>();
  private final AtomicLong logins = new AtomicLong();
  private final AtomicLong refusedLogins = new AtomicLong();
  private final AtomicLong queries = new AtomicLong();
  private final AtomicLong describes = new AtomicLong();
  private final AtomicLong retried = new AtomicLong();
  private final AtomicLong faultsServed = new AtomicLong();
  private final AtomicLong renewals = new AtomicLong();
  private final List<String> unknownPaths = Collections.synchronizedList(new ArrayList<>());

  private SnowflakeStandIn(StandInConfig config) throws IOException, SQLException {
    this.config = config;
    this.root = openDuckDb(config.duckDbUrl());
    DuckDbCompat.register(root);
    CortexStandInFunctions.register(root, config.sentiment(), config.embedder());
    this.auth = new StandInAuth(config);
    this.runner = new QueryRunner(config.database(), statements::add);
    this.server = HttpServer.create(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), config.port()), 64);
    this.executor = Executors.newFixedThreadPool(8, daemonThreads());
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /** Opens the DuckDB database and binds 127.0.0.1:{@code config.port()} (0 = any free port). */
  public static SnowflakeStandIn start(StandInConfig config) throws IOException {
    try {
      return new SnowflakeStandIn(config);
    } catch (SQLException e) {
      throw new IOException("Could not open the stand-in's DuckDB database " + config.duckDbUrl(),
          e);
    }
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** {@code http://127.0.0.1:PORT}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + port();
  }

  /**
   * {@code jdbc:snowflake://127.0.0.1:PORT/?ssl=off&account=ACCOUNT&db=DATABASE}; credentials go in
   * the connection properties ({@code user}, and {@code password}, {@code token} with {@code
   * authenticator}, or {@code privateKey} with {@code authenticator=SNOWFLAKE_JWT}).
   */
  public String jdbcUrl() {
    return "jdbc:snowflake://127.0.0.1:" + port() + "/?ssl=off&account=" + config.account()
        + "&db=" + config.database();
  }

  public StandInConfig config() {
    return config;
  }

  /** Every query request handled so far (describe requests included), in arrival order. */
  /**
   * The {@code STATEMENT_TIMEOUT_IN_SECONDS} each query request carried, in order (0 = none): what
   * the driver sends for {@code Statement.setQueryTimeout} with {@code
   * implicitServerSideQueryTimeout=true}.
   */
  public List<Integer> statementTimeouts() {
    return List.copyOf(statementTimeouts);
  }

  public List<RecordedStatement> statements() {
    synchronized (statements) {
      return List.copyOf(statements);
    }
  }

  /** Queue faults for the next query requests. */
  public StandInFaults faults() {
    return faults;
  }

  /** A connection to the stand-in's DuckDB database, for assertions behind the driver's back. */
  public Connection duckDb() throws SQLException {
    return root.duplicate();
  }

  public StandInStats stats() {
    Map<String, Long> byPath = new TreeMap<>();
    requests.forEach((k, v) -> byPath.put(k, v.get()));
    return new StandInStats(byPath, logins.get(), refusedLogins.get(), queries.get(),
        describes.get(), retried.get(), faultsServed.get(), renewals.get(),
        List.copyOf(unknownPaths));
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    bySessionToken.values().forEach(StandInSession::close);
    try {
      root.close();
    } catch (SQLException e) {
      LOG.warn("Closing the stand-in's DuckDB connection failed: {}", e.getMessage());
    }
  }

  // --- HTTP -------------------------------------------------------------------------------

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      Map<String, String> query = queryParams(exchange.getRequestURI().getRawQuery());
      requests.computeIfAbsent(path, k -> new AtomicLong()).incrementAndGet();
      if (!"0".equals(query.getOrDefault("retryCount", "0"))) {
        retried.incrementAndGet();
      }
      JsonNode body = readBody(exchange);
      switch (path) {
        case LOGIN -> respond(exchange, 200, login(body, query));
        case QUERY -> query(exchange, body);
        case ABORT -> respond(exchange, 200, withSession(exchange, s -> success(F.nullNode())));
        case HEARTBEAT -> respond(exchange, 200, withSession(exchange, s -> success(F.nullNode())));
        case RENEW -> respond(exchange, 200, renew(exchange, body));
        case SESSION -> respond(exchange, 200, closeSession(exchange, query));
        case TELEMETRY -> respond(exchange, 200, F.objectNode());
        default -> {
          String what = exchange.getRequestMethod() + " " + path;
          LOG.warn("Snowflake stand-in does not implement {}", what);
          unknownPaths.add(what);
          respond(exchange, 404, error("390404", "The Snowflake stand-in does not implement "
              + what));
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("Snowflake stand-in failed on {}: {}", exchange.getRequestURI().getPath(),
          e.toString());
      respond(exchange, 500, error("390000", "Stand-in internal error: " + e.getClass()
          .getSimpleName()));
    }
  }

  private ObjectNode login(JsonNode body, Map<String, String> query) {
    JsonNode data = body.path("data");
    var refusal = auth.check(data, System.currentTimeMillis() / 1000);
    if (refusal.isPresent()) {
      refusedLogins.incrementAndGet();
      // the user name is logged, the presented secret never
      LOG.info("Snowflake stand-in refused a login for user {}: {}",
          data.path("LOGIN_NAME").asText(), refusal.get().code());
      return error(Integer.toString(refusal.get().code()), refusal.get().message());
    }
    StandInSession session;
    try {
      Connection c = root.duplicate();
      String schema = query.get("schemaName");
      if (schema != null) {
        try (Statement st = c.createStatement()) {
          st.execute("USE \"" + schema.replace("\"", "\"\"") + "\"");
        } catch (SQLException e) {
          // like Snowflake: a session may name a schema that does not exist (yet)
        }
      }
      session = new StandInSession(sessionIds.incrementAndGet(), c, config.database(),
          schema == null ? null : schema.toUpperCase(java.util.Locale.ROOT),
          query.get("warehouse"), query.getOrDefault("roleName", "PUBLIC"));
    } catch (SQLException e) {
      return error("390000", "Stand-in could not open a DuckDB session: " + e.getMessage());
    }
    bySessionToken.put(session.sessionToken(), session);
    byMasterToken.put(session.masterToken, session);
    logins.incrementAndGet();
    ObjectNode out = F.objectNode();
    out.put("token", session.sessionToken());
    out.put("masterToken", session.masterToken);
    out.put("validityInSeconds", 3600);
    out.put("masterValidityInSeconds", 14400);
    out.put("displayUserName", config.user());
    out.put("serverVersion", "9.0.0 (Snowflake stand-in on DuckDB)");
    out.put("firstLogin", false);
    out.putNull("remMeToken");
    out.put("remMeValidityInSeconds", 0);
    out.put("healthCheckInterval", 45);
    out.putNull("newClientForUpgrade");
    out.put("sessionId", session.id);
    out.putNull("idToken");
    out.putNull("mfaToken");
    out.set("parameters", sessionParameters(true));
    ObjectNode info = out.putObject("sessionInfo");
    info.put("databaseName", session.database);
    info.put("schemaName", session.schema());
    info.put("warehouseName", session.warehouse);
    info.put("roleName", session.role);
    return success(out);
  }

  /**
   * The session parameters the driver reads at login and, with the session's current {@code
   * AUTOCOMMIT}, from every query response (as Snowflake sends them): a response without them
   * makes the driver fall back to the login values, so it would believe autocommit is back on
   * after {@code setAutoCommit(false)} and never send the {@code set autocommit=true} that ends
   * the session's DuckDB transaction.
   */
  static ArrayNode sessionParameters(boolean autocommit) {
    ArrayNode p = F.arrayNode();
    param(p, "TIMEZONE", "UTC");
    param(p, "TIMESTAMP_OUTPUT_FORMAT", "YYYY-MM-DD HH24:MI:SS.FF3 TZHTZM");
    param(p, "TIMESTAMP_NTZ_OUTPUT_FORMAT", "YYYY-MM-DD HH24:MI:SS.FF3");
    param(p, "TIMESTAMP_LTZ_OUTPUT_FORMAT", "");
    param(p, "TIMESTAMP_TZ_OUTPUT_FORMAT", "");
    param(p, "DATE_OUTPUT_FORMAT", "YYYY-MM-DD");
    param(p, "TIME_OUTPUT_FORMAT", "HH24:MI:SS");
    param(p, "BINARY_OUTPUT_FORMAT", "HEX");
    param(p, "CLIENT_TIMESTAMP_TYPE_MAPPING", "TIMESTAMP_LTZ");
    param(p, "JDBC_QUERY_RESULT_FORMAT", "JSON");
    p.addObject().put("name", "CLIENT_STAGE_ARRAY_BINDING_THRESHOLD").put("value", 0);
    p.addObject().put("name", "CLIENT_SESSION_KEEP_ALIVE").put("value", false);
    p.addObject().put("name", "CLIENT_OUT_OF_BAND_TELEMETRY_ENABLED").put("value", false);
    p.addObject().put("name", "CLIENT_RESULT_COLUMN_CASE_INSENSITIVE").put("value", false);
    p.addObject().put("name", "AUTOCOMMIT").put("value", autocommit);
    return p;
  }

  private static void param(ArrayNode p, String name, String value) {
    p.addObject().put("name", name).put("value", value);
  }

  private void query(HttpExchange exchange, JsonNode body) throws IOException {
    int timeoutSeconds = body.path("parameters").path("STATEMENT_TIMEOUT_IN_SECONDS").asInt(0);
    statementTimeouts.add(timeoutSeconds);
    var fault = faults.next();
    if (fault.isPresent() && fault.get().runsFor() != null) {
      java.time.Duration runsFor = fault.get().runsFor();
      if (timeoutSeconds > 0 && runsFor.compareTo(java.time.Duration.ofSeconds(timeoutSeconds)) > 0) {
        // Snowflake cancels the statement at its timeout; the stand-in answers at once.
        faultsServed.incrementAndGet();
        statements.add(new RecordedStatement("", body.path("sqlText").asText(""), null, Map.of(),
            false, RecordedStatement.Outcome.FAULT, "statement timeout " + timeoutSeconds + " s",
            -1));
        respond(exchange, 200, sqlError("", "000630", "57014", "Statement reached its statement "
            + "or warehouse timeout of " + timeoutSeconds + " second(s) and was canceled."));
        return;
      }
      try {
        // Without a timeout the statement "runs" (at most 10 s here, so a test cannot hang).
        Thread.sleep(Math.min(runsFor.toMillis(), 10_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      fault = java.util.Optional.empty();
    }
    if (fault.isPresent()) {
      faultsServed.incrementAndGet();
      StandInFaults.Fault f = fault.get();
      statements.add(new RecordedStatement("", body.path("sqlText").asText(""), null, Map.of(),
          body.path("describeOnly").asBoolean(false), RecordedStatement.Outcome.FAULT,
          f.describe(), -1));
      if (f.httpStatus() != 200) {
        respond(exchange, f.httpStatus(), null);
      } else {
        respond(exchange, 200, sqlError("", String.format("%06d", f.code()), f.sqlState(),
            f.message()));
      }
      return;
    }
    if (body.path("describeOnly").asBoolean(false)) {
      describes.incrementAndGet();
    } else {
      queries.incrementAndGet();
    }
    respond(exchange, 200, withSession(exchange, s -> runner.run(s, body)));
  }

  private ObjectNode renew(HttpExchange exchange, JsonNode body) {
    StandInSession session = byMasterToken.get(token(exchange));
    if (session == null || session.isClosed()) {
      return error("390114", "Authentication token has expired.  The user must authenticate "
          + "again.");
    }
    String old = body.path("oldSessionToken").asText("");
    bySessionToken.remove(old);
    bySessionToken.remove(session.sessionToken());
    String fresh = session.renew();
    bySessionToken.put(fresh, session);
    renewals.incrementAndGet();
    ObjectNode out = F.objectNode();
    out.put("sessionToken", fresh);
    out.put("validityInSecondsST", 3600);
    out.put("masterToken", session.masterToken);
    out.put("validityInSecondsMT", 14400);
    out.put("sessionId", session.id);
    return success(out);
  }

  private ObjectNode closeSession(HttpExchange exchange, Map<String, String> query) {
    if (!"true".equalsIgnoreCase(query.get("delete"))) {
      return error("390404", "Only POST /session?delete=true is implemented.");
    }
    StandInSession session = bySessionToken.remove(token(exchange));
    if (session != null) {
      byMasterToken.remove(session.masterToken);
      session.close();
    }
    return success(F.nullNode());
  }

  private ObjectNode withSession(HttpExchange exchange,
      java.util.function.Function<StandInSession, ObjectNode> action) {
    StandInSession session = bySessionToken.get(token(exchange));
    if (session == null || session.isClosed()) {
      return error("390112", "Your session has expired. Please login again.");
    }
    return action.apply(session);
  }

  /** The token of {@code Authorization: Snowflake Token="..."}, or "". */
  private static String token(HttpExchange exchange) {
    String h = exchange.getRequestHeaders().getFirst("Authorization");
    if (h == null) {
      return "";
    }
    int start = h.indexOf("Token=\"");
    if (start < 0) {
      return "";
    }
    int end = h.indexOf('"', start + 7);
    return end < 0 ? "" : h.substring(start + 7, end);
  }

  static ObjectNode success(JsonNode data) {
    ObjectNode out = F.objectNode();
    out.set("data", data);
    out.putNull("code");
    out.putNull("message");
    out.put("success", true);
    return out;
  }

  static ObjectNode error(String code, String message) {
    ObjectNode out = F.objectNode();
    out.putNull("data");
    out.put("code", code);
    out.put("message", message);
    out.put("success", false);
    return out;
  }

  /** A failed statement as Snowflake reports it: code and SQL state in {@code data}. */
  static ObjectNode sqlError(String queryId, String code, String sqlState, String message) {
    ObjectNode out = F.objectNode();
    ObjectNode data = out.putObject("data");
    data.put("internalError", false);
    data.put("errorCode", code);
    data.put("age", 0);
    data.put("sqlState", sqlState);
    data.put("queryId", queryId);
    data.put("line", -1);
    data.put("pos", -1);
    data.put("type", "COMPILATION");
    out.put("code", code);
    out.put("message", message);
    out.put("success", false);
    return out;
  }

  private static JsonNode readBody(HttpExchange exchange) throws IOException {
    InputStream in = exchange.getRequestBody();
    if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
      in = new GZIPInputStream(in);
    }
    byte[] bytes = in.readAllBytes();
    if (bytes.length == 0) {
      return F.objectNode();
    }
    try {
      return JSON.readTree(bytes);
    } catch (IOException e) {
      return F.objectNode();
    }
  }

  private static void respond(HttpExchange exchange, int status, @Nullable JsonNode body)
      throws IOException {
    byte[] bytes = body == null ? new byte[0] : JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  private static Map<String, String> queryParams(@Nullable String raw) {
    Map<String, String> out = new HashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      out.put(k, v);
    }
    return out;
  }

  private static DuckDBConnection openDuckDb(String url) throws SQLException {
    Properties p = new Properties();
    p.setProperty("autoinstall_known_extensions", "false");
    p.setProperty("autoload_known_extensions", "false");
    return DriverManager.getConnection(url, p).unwrap(DuckDBConnection.class);
  }

  private static java.util.concurrent.ThreadFactory daemonThreads() {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "snowflake-standin-http-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /**
   * Runs a stand-in until killed: {@code SnowflakeStandIn [port]}. Secrets come from the
   * environment, never the command line: {@code SNOWFLAKE_STANDIN_TOKEN} (PAT/OAuth), {@code
   * SNOWFLAKE_STANDIN_PASSWORD}; {@code SNOWFLAKE_STANDIN_DUCKDB} names a DuckDB file to keep.
   */
  public static void main(String[] args) throws Exception {
    StandInConfig.Builder b = StandInConfig.builder()
        .port(args.length > 0 ? Integer.parseInt(args[0]) : 0)
        .token(System.getenv("SNOWFLAKE_STANDIN_TOKEN"))
        .password(System.getenv("SNOWFLAKE_STANDIN_PASSWORD"));
    String file = System.getenv("SNOWFLAKE_STANDIN_DUCKDB");
    if (file != null && !file.isBlank()) {
      b.duckDbUrl("jdbc:duckdb:" + file);
    }
    SnowflakeStandIn standIn = start(b.build());
    System.out.println("Snowflake stand-in listening: " + standIn.jdbcUrl() + " (user "
        + standIn.config().user() + ")");
    Runtime.getRuntime().addShutdownHook(new Thread(standIn::close));
    Thread.currentThread().join();
  }
}
