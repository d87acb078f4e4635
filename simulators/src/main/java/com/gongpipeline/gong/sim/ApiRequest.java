package com.gongpipeline.gong.sim;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Map;

/**
 * One parsed {@code /v2} request as the endpoint handlers see it. {@code body} is null for GETs
 * and empty bodies; {@code bodyError} is set when the body was not valid JSON (the handler decides
 * whether that matters).
 */
record ApiRequest(
    String requestId,
    String method,
    String path,
    Map<String, String> query,
    JsonNode body,
    String bodyError,
    Instant now) {

  String query(String name) {
    return query.get(name);
  }

  /** The cursor, from the query string (GET) or the top-level body field (POST). */
  String cursor() {
    if (query.containsKey("cursor")) {
      return query.get("cursor");
    }
    return body != null && body.hasNonNull("cursor") ? body.get("cursor").asText() : null;
  }

  /** The JSON body of a POST; 400 when it is missing or not JSON. */
  JsonNode requireBody() {
    if (bodyError != null) {
      throw ApiException.badRequest("Malformed JSON request body: " + bodyError);
    }
    if (body == null || !body.isObject()) {
      throw ApiException.badRequest("A JSON request body is required");
    }
    return body;
  }
}
