package com.gongpipeline.gong.sim;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** Small helpers around {@link HttpExchange}: query parsing, JSON responses, request ids. */
final class HttpIo {

  private HttpIo() {}

  /** Decoded query parameters; the last value of a repeated name wins. */
  static Map<String, String> query(HttpExchange ex) {
    Map<String, String> out = new LinkedHashMap<>();
    String raw = ex.getRequestURI().getRawQuery();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      out.put(URLDecoder.decode(name, StandardCharsets.UTF_8),
          URLDecoder.decode(value, StandardCharsets.UTF_8));
    }
    return out;
  }

  /** A Gong-style request id: 19 lower-case base-36 characters, random per request. */
  static String requestId() {
    StringBuilder sb = new StringBuilder(19);
    ThreadLocalRandom r = ThreadLocalRandom.current();
    for (int i = 0; i < 19; i++) {
      sb.append(Character.forDigit(r.nextInt(36), 36));
    }
    return sb.toString();
  }

  static ObjectNode error(String requestId, String message) {
    ObjectNode n = WireJson.MAPPER.createObjectNode();
    n.put("requestId", requestId);
    n.putArray("errors").add(message);
    return n;
  }

  static byte[] bytes(ObjectNode node) {
    try {
      return WireJson.MAPPER.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static void send(HttpExchange ex, int status, byte[] body) throws IOException {
    ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }
  }
}
