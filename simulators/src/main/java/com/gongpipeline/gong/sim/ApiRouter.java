package com.gongpipeline.gong.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;

/**
 * Front door of the {@code /v2} API. For every request, in order: Basic auth (401), tenant rate
 * limit and daily quota (429 + Retry-After), fault injection, routing to {@link CallsApi}, and
 * the malformed-body fault on 200s. Every answer is a JSON body with a fresh {@code requestId};
 * errors use Gong's {@code {"requestId","errors":[…]}} envelope. Everything is counted in
 * {@link StatsRecorder}.
 */
final class ApiRouter implements HttpHandler {

  /** Gong's limits are per company, over all its credentials; the simulator serves one company. */
  private static final String COMPANY = "company";

  private final SimulatorConfig config;
  private final CallsApi api;
  private final RateLimiter limiter;
  private final FaultInjector faults;
  private final StatsRecorder stats;
  private final String expectedAuth;

  ApiRouter(SimulatorConfig config, CallsApi api, RateLimiter limiter, FaultInjector faults,
      StatsRecorder stats) {
    this.config = config;
    this.api = api;
    this.limiter = limiter;
    this.faults = faults;
    this.stats = stats;
    this.expectedAuth = "Basic " + Base64.getEncoder().encodeToString(
        (config.accessKey() + ":" + config.accessKeySecret()).getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void handle(HttpExchange ex) throws IOException {
    String requestId = HttpIo.requestId();
    String method = ex.getRequestMethod();
    String path = ex.getRequestURI().getPath();
    String route = route(method, path);
    byte[] raw = ex.getRequestBody().readAllBytes();
    try {
      if (!expectedAuth.equals(ex.getRequestHeaders().getFirst("Authorization"))) {
        ex.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"Gong API\"");
        respond(ex, route, 401, HttpIo.error(requestId, "Access denied: invalid or missing credentials"));
        return;
      }
      RateLimiter.Decision decision = limiter.acquire(COMPANY);
      if (!decision.allowed()) {
        stats.limited(decision.reason());
        ex.getResponseHeaders().set("Retry-After", Long.toString(decision.retryAfterSeconds()));
        respond(ex, route, 429, HttpIo.error(requestId, decision.message()));
        return;
      }
      ApiRequest req = parse(ex, requestId, method, path, raw);
      FaultInjector.Plan plan = faults.plan(req.cursor() != null);
      if (plan.slow()) {
        stats.fault(FaultInjector.Fault.SLOW_RESPONSE);
        sleep(config.slowResponseMillis());
      }
      switch (plan.fault()) {
        case CONNECTION_RESET -> {
          stats.fault(plan.fault());
          stats.request(route, 0);
          ex.close(); // no headers were sent: the server just drops the connection
          return;
        }
        case SERVER_ERROR -> {
          stats.fault(plan.fault());
          respond(ex, route, plan.serverErrorStatus(),
              HttpIo.error(requestId, "An internal error has occurred, please try again later"));
          return;
        }
        case RETRY_AFTER_MISSING -> {
          stats.fault(plan.fault());
          respond(ex, route, 429, HttpIo.error(requestId, "Too many requests"));
          return;
        }
        case CURSOR_EXPIRED -> {
          stats.fault(plan.fault());
          respond(ex, route, 400, HttpIo.error(requestId, Paging.EXPIRED));
          return;
        }
        default -> { }
      }
      ObjectNode body;
      try {
        body = dispatch(req, route);
      } catch (ApiException e) {
        respond(ex, route, e.status(), HttpIo.error(requestId, e.getMessage()));
        return;
      }
      byte[] bytes = HttpIo.bytes(body);
      if (plan.malformed()) {
        stats.fault(FaultInjector.Fault.MALFORMED_PAGE);
        bytes = Arrays.copyOf(bytes, bytes.length / 2);
      }
      stats.request(route, 200);
      HttpIo.send(ex, 200, bytes);
    } catch (RuntimeException e) {
      respond(ex, route, 500, HttpIo.error(requestId, "Simulator error: " + e));
    } finally {
      ex.close();
    }
  }

  private ObjectNode dispatch(ApiRequest req, String route) {
    return switch (route) {
      case "GET /v2/calls" -> api.list(req);
      case "GET /v2/calls/{id}" -> api.byId(req, req.path().substring("/v2/calls/".length()));
      case "POST /v2/calls/extensive" -> api.extensive(req);
      case "POST /v2/calls/transcript" -> api.transcripts(req);
      case "GET /v2/users" -> api.users(req);
      case "GET /v2/workspaces" -> api.workspaces(req);
      default -> throw unknown(req);
    };
  }

  private static ApiException unknown(ApiRequest req) {
    String p = req.path();
    if (req.method().equals("POST") && p.equals("/v2/calls")) {
      // POST /v2/calls is Gong's "add call" endpoint; listing is GET (a classic client bug).
      return ApiException.badRequest("Invalid new call request: clientUniqueId is required");
    }
    if (p.equals("/v2/calls") || p.startsWith("/v2/calls/") || p.equals("/v2/users")
        || p.equals("/v2/workspaces")) {
      return new ApiException(405, "Method " + req.method() + " is not supported for " + p);
    }
    return new ApiException(404, "Unknown API path " + p);
  }

  /** The stats route name of a request. */
  static String route(String method, String path) {
    String p = path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
    if (method.equals("GET")) {
      switch (p) {
        case "/v2/calls", "/v2/users", "/v2/workspaces" -> {
          return "GET " + p;
        }
        default -> {
          String rest = p.startsWith("/v2/calls/") ? p.substring("/v2/calls/".length()) : "";
          if (!rest.isEmpty() && rest.indexOf('/') < 0 && !rest.equals("extensive")
              && !rest.equals("transcript")) {
            return "GET /v2/calls/{id}";
          }
        }
      }
    }
    if (method.equals("POST") && (p.equals("/v2/calls/extensive") || p.equals("/v2/calls/transcript"))) {
      return "POST " + p;
    }
    return method + " /v2/*";
  }

  private ApiRequest parse(HttpExchange ex, String requestId, String method, String path,
      byte[] raw) {
    Map<String, String> query = HttpIo.query(ex);
    JsonNode body = null;
    String bodyError = null;
    if (raw.length > 0) {
      try {
        body = WireJson.MAPPER.readTree(raw);
      } catch (IOException e) {
        bodyError = e.getClass().getSimpleName();
      }
    }
    return new ApiRequest(requestId, method, path, query, body, bodyError,
        config.clock().instant());
  }

  private void respond(HttpExchange ex, String route, int status, ObjectNode body) throws IOException {
    stats.request(route, status);
    HttpIo.send(ex, status, HttpIo.bytes(body));
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
