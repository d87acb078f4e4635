package com.gongpipeline.gong.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The call endpoints: {@code GET /v2/calls}, {@code GET /v2/calls/{id}},
 * {@code POST /v2/calls/extensive} and {@code POST /v2/calls/transcript}, plus the
 * user/workspace listings. Each returns the 200 body or throws {@link ApiException}; the router
 * adds auth, limits, faults and the error envelope.
 */
final class CallsApi {

  private final SimulatorConfig config;
  private final CallCatalog catalog;
  private final ExtensiveRenderer extensive;
  /** Test faults per call id, switched at run time ({@link GongSimulator#poisonCall}). */
  final java.util.Set<String> poisoned = java.util.concurrent.ConcurrentHashMap.newKeySet();
  final java.util.Set<String> transcriptDropped =
      java.util.concurrent.ConcurrentHashMap.newKeySet();
  /** Instants whose covering {@code GET /v2/calls} windows answer 503 (runtime fault). */
  private final java.util.Set<Instant> failingListInstants =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  CallsApi(SimulatorConfig config, CallCatalog catalog) {
    this.config = config;
    this.catalog = catalog;
    this.extensive = new ExtensiveRenderer(config);
  }

  /** A details or transcript request naming a poisoned call fails as a whole (500). */
  private void failIfPoisoned(CallFilter filter) {
    if (filter.callIds() != null) {
      for (String id : filter.callIds()) {
        if (poisoned.contains(id)) {
          throw new ApiException(500, "Internal error processing call " + id);
        }
      }
    }
  }

  /** {@code GET /v2/calls?fromDateTime&toDateTime[&cursor][&workspaceId]}. */
  ObjectNode list(ApiRequest req) {
    Instant from = TimeFormats.parseRequest("fromDateTime", req.query("fromDateTime"));
    Instant to = TimeFormats.parseRequest("toDateTime", req.query("toDateTime"));
    if (from == null || to == null) {
      throw ApiException.badRequest("fromDateTime and toDateTime are required");
    }
    if (!from.isBefore(to)) {
      throw ApiException.badRequest("fromDateTime: must be before toDateTime");
    }
    for (Instant at : failingListInstants) {
      if (!at.isBefore(from) && at.isBefore(to)) {
        throw new ApiException(503, "Service unavailable (simulated list failure)");
      }
    }
    CallFilter filter = new CallFilter(from, to, req.query("workspaceId"), null, null);
    return page(req, "GET /v2/calls", filter.canonical(), filter, config.callsPageSize(), "calls",
        i -> WireJson.callBasic(catalog.header(i), catalog.body(i)));
  }

  /** From now on, listing any window that contains {@code at} fails with 503; null clears. */
  void failListingsCovering(Instant at) {
    if (at == null) {
      failingListInstants.clear();
    } else {
      failingListInstants.add(at);
    }
  }

  /** {@code GET /v2/calls/{id}}: a genuine 404 when the call does not exist (yet). */
  ObjectNode byId(ApiRequest req, String id) {
    int index = catalog.indexOf(id);
    if (index < 0 || !catalog.header(index).visibleAt(req.now())) {
      throw new ApiException(404, "Call ID " + id + " was not found");
    }
    ObjectNode out = envelope(req);
    out.set("call", WireJson.callBasic(catalog.header(index), catalog.body(index)));
    return out;
  }

  /** {@code POST /v2/calls/extensive}. */
  ObjectNode extensive(ApiRequest req) {
    JsonNode body = req.requireBody();
    CallFilter filter = CallFilter.parse(body, true);
    ContentSelector selector = ContentSelector.parse(body.get("contentSelector"));
    failIfPoisoned(filter);
    return page(req, "POST /v2/calls/extensive", filter.canonical() + "|" + selector, filter,
        config.extensivePageSize(), "calls",
        i -> extensive.render(catalog.header(i), catalog.body(i), selector, req.now()));
  }

  /** {@code POST /v2/calls/transcript}. */
  ObjectNode transcripts(ApiRequest req) {
    CallFilter filter = CallFilter.parse(req.requireBody(), false);
    failIfPoisoned(filter);
    ObjectNode out = page(req, "POST /v2/calls/transcript", filter.canonical(), filter,
        config.transcriptsPageSize(), "callTranscripts",
        i -> WireJson.transcript(catalog.header(i), catalog.body(i)));
    if (!transcriptDropped.isEmpty()) {
      // Gong leaving a call's transcript out of the response (the "missing" case).
      java.util.Iterator<JsonNode> it = out.withArray("callTranscripts").elements();
      while (it.hasNext()) {
        if (transcriptDropped.contains(it.next().path("callId").asText())) {
          it.remove();
        }
      }
    }
    return out;
  }

  /** {@code GET /v2/users[?cursor][&includeAvatars]}. */
  ObjectNode users(ApiRequest req) {
    boolean avatars = Boolean.parseBoolean(req.query("includeAvatars"));
    Paging p = Paging.of("GET /v2/users", "avatars=" + avatars, req.cursor(), req.now(),
        config.cursorTtl());
    List<SimUser> all = new ArrayList<>(catalog.directory().users());
    if (avatars) {
      all.addAll(catalog.directory().avatars());
    }
    List<SimUser> page = p.slice(all, config.usersPageSize());
    ObjectNode out = envelope(req);
    out.set("records", p.records(all.size(), config.usersPageSize(), page.size()));
    ArrayNode users = out.putArray("users");
    page.forEach(u -> users.add(WireJson.user(u)));
    return out;
  }

  /** {@code GET /v2/workspaces} (not paginated). */
  ObjectNode workspaces(ApiRequest req) {
    ObjectNode out = envelope(req);
    ArrayNode list = out.putArray("workspaces");
    catalog.directory().workspaces().forEach(w -> list.add(WireJson.workspace(w)));
    return out;
  }

  private ObjectNode page(ApiRequest req, String route, String canonical, CallFilter filter,
      int pageSize, String arrayName, IntFunction<ObjectNode> renderer) {
    Paging p = Paging.of(route, canonical, req.cursor(), req.now(), config.cursorTtl());
    List<Integer> matching = filter.matching(catalog, p.asOf());
    if (matching.isEmpty()) {
      throw ApiException.noCalls();
    }
    List<Integer> page = p.slice(matching, pageSize);
    ObjectNode out = envelope(req);
    out.set("records", p.records(matching.size(), pageSize, page.size()));
    ArrayNode items = out.putArray(arrayName);
    page.forEach(i -> items.add(renderer.apply(i)));
    return out;
  }

  static ObjectNode envelope(ApiRequest req) {
    return WireJson.MAPPER.createObjectNode().put("requestId", req.requestId());
  }
}
