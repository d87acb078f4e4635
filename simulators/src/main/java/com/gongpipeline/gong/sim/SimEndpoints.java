package com.gongpipeline.gong.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Simulator-only endpoints for demos and out-of-process tests: {@code GET /sim/ground-truth
 * [?fromDateTime&toDateTime]} (the whole catalogue range when omitted), {@code GET /sim/stats}, and
 * the call lifecycle controls {@code POST /sim/calls/{id}/private} and {@code POST
 * /sim/calls/{id}/delete} (the call is private, or gone, from then on).
 * No auth, no rate limit, no faults, not counted in the stats.
 */
final class SimEndpoints implements HttpHandler {

  private final GongSimulator simulator;
  private final SimulatorConfig config;

  SimEndpoints(GongSimulator simulator, SimulatorConfig config) {
    this.simulator = simulator;
    this.config = config;
  }

  @Override
  public void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      if (ex.getRequestMethod().equals("POST") && path.startsWith("/sim/calls/")) {
        lifecycle(ex, path);
        return;
      }
      if (!ex.getRequestMethod().equals("GET")) {
        HttpIo.send(ex, 405, HttpIo.bytes(HttpIo.error(HttpIo.requestId(), "Only GET is supported")));
        return;
      }
      switch (path) {
        case "/sim/ground-truth" -> json(ex, () -> {
          Map<String, String> q = HttpIo.query(ex);
          Instant from = TimeFormats.parseRequest("fromDateTime", q.get("fromDateTime"));
          Instant to = TimeFormats.parseRequest("toDateTime", q.get("toDateTime"));
          return simulator.groundTruth(from == null ? config.callsFrom() : from,
              to == null ? config.callsTo() : to);
        });
        case "/sim/stats" -> json(ex, simulator::stats);
        default -> HttpIo.send(ex, 404,
            HttpIo.bytes(HttpIo.error(HttpIo.requestId(), "Unknown simulator path " + path)));
      }
    }
  }

  /** {@code POST /sim/calls/{id}/private} or {@code POST /sim/calls/{id}/delete}. */
  private void lifecycle(HttpExchange ex, String path) throws IOException {
    String[] parts = path.substring("/sim/calls/".length()).split("/");
    if (parts.length != 2 || !(parts[1].equals("private") || parts[1].equals("delete"))) {
      HttpIo.send(ex, 404, HttpIo.bytes(HttpIo.error(HttpIo.requestId(),
          "Use POST /sim/calls/{id}/private or /sim/calls/{id}/delete")));
      return;
    }
    boolean done = parts[1].equals("private") ? simulator.makeCallPrivate(parts[0])
        : simulator.deleteCall(parts[0]);
    if (!done) {
      HttpIo.send(ex, 404, HttpIo.bytes(HttpIo.error(HttpIo.requestId(),
          "Call ID " + parts[0] + " was not found")));
      return;
    }
    json(ex, () -> Map.of("callId", parts[0], "state", parts[1]));
  }

  private static void json(HttpExchange ex, Supplier<Object> value) throws IOException {
    try {
      byte[] body = WireJson.MAPPER.writeValueAsString(value.get()).getBytes(StandardCharsets.UTF_8);
      HttpIo.send(ex, 200, body);
    } catch (ApiException e) {
      HttpIo.send(ex, e.status(), HttpIo.bytes(HttpIo.error(HttpIo.requestId(), e.getMessage())));
    } catch (JsonProcessingException e) {
      throw new IOException(e);
    }
  }
}
