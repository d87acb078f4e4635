package com.gongpipeline.gong;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One logical request of a pagination sequence: the endpoint plus its fixed inputs (query
 * parameters for GET, JSON body for POST). Gong requires "all other request inputs [to] remain the
 * same" while paging, so each page is derived from the same instance with only the cursor added:
 * as query parameter {@code cursor} for GET, as top-level body field {@code cursor} for POST.
 */
final class GongRequest {

  private final GongEndpoint endpoint;
  private final Map<String, String> query;
  private final @Nullable ObjectNode body;

  private GongRequest(GongEndpoint endpoint, Map<String, String> query, @Nullable ObjectNode body) {
    this.endpoint = endpoint;
    this.query = Map.copyOf(query);
    this.body = body == null ? null : body.deepCopy();
  }

  static GongRequest get(GongEndpoint endpoint, Map<String, String> query) {
    return new GongRequest(endpoint, new LinkedHashMap<>(query), null);
  }

  static GongRequest post(GongEndpoint endpoint, ObjectNode body) {
    return new GongRequest(endpoint, Map.of(), body);
  }

  GongEndpoint endpoint() {
    return endpoint;
  }

  /** Query parameters for this page (cursor included when given). */
  Map<String, String> queryFor(@Nullable String cursor) {
    Map<String, String> q = new LinkedHashMap<>(query);
    if (cursor != null && "GET".equals(endpoint.method())) {
      q.put("cursor", cursor);
    }
    return q;
  }

  /** JSON body for this page (cursor included when given), or null for GET. */
  @Nullable
  ObjectNode bodyFor(@Nullable String cursor) {
    if (body == null) {
      return null;
    }
    ObjectNode copy = body.deepCopy();
    if (cursor != null) {
      copy.put("cursor", cursor);
    }
    return copy;
  }
}
