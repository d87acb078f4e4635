package com.gongpipeline.gong.sim;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code filter} object of {@code /v2/calls/extensive} and {@code /v2/calls/transcript}. Dates
 * bound the call start ({@code from} inclusive, {@code to} exclusive); {@code callIds} narrows to
 * those ids (unknown or not-yet-visible ones are silently absent). Validation follows what peers
 * observed: an empty {@code callIds} is a 400, as are more than 100 ids, duplicates, and
 * {@code from >= to}.
 */
record CallFilter(
    Instant from, Instant to, String workspaceId, List<String> callIds, List<String> primaryUserIds) {

  static final int MAX_CALL_IDS = 100;

  static CallFilter parse(JsonNode body, boolean allowPrimaryUserIds) {
    JsonNode f = body.get("filter");
    if (f == null || !f.isObject()) {
      throw ApiException.badRequest("filter is required");
    }
    Instant from = TimeFormats.parseRequest("filter.fromDateTime", text(f, "fromDateTime"));
    Instant to = TimeFormats.parseRequest("filter.toDateTime", text(f, "toDateTime"));
    if (from != null && to != null && !from.isBefore(to)) {
      throw ApiException.badRequest("filter.fromDateTime: must be before toDateTime");
    }
    List<String> callIds = ids(f, "callIds", MAX_CALL_IDS);
    List<String> primaryUserIds = allowPrimaryUserIds ? ids(f, "primaryUserIds", Integer.MAX_VALUE)
        : null;
    return new CallFilter(from, to, text(f, "workspaceId"), callIds, primaryUserIds);
  }

  private static String text(JsonNode f, String field) {
    JsonNode v = f.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static List<String> ids(JsonNode f, String field, int max) {
    JsonNode v = f.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isArray()) {
      throw ApiException.badRequest("filter." + field + ": must be an array of strings");
    }
    if (v.isEmpty()) {
      throw ApiException.badRequest("filter." + field + ": must not be empty");
    }
    if (v.size() > max) {
      throw ApiException.badRequest("filter." + field + ": size must be between 1 and " + max);
    }
    List<String> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (JsonNode id : v) {
      if (!seen.add(id.asText())) {
        throw ApiException.badRequest("filter." + field + ": must only contain unique elements");
      }
      out.add(id.asText());
    }
    return List.copyOf(out);
  }

  /** Every input that must stay the same across the pages of one cursor sequence. */
  String canonical() {
    return from + "|" + to + "|" + workspaceId + "|" + callIds + "|" + primaryUserIds;
  }

  /** Indices of matching calls visible at {@code asOf}, ascending by start time. */
  List<Integer> matching(CallCatalog catalog, Instant asOf) {
    List<Integer> candidates;
    if (callIds != null) {
      candidates = callIds.stream().map(catalog::indexOf).filter(i -> i >= 0).sorted().toList();
    } else {
      candidates = catalog.startedIn(from, to);
    }
    List<Integer> out = new ArrayList<>();
    for (int i : candidates) {
      CallHeader h = catalog.header(i);
      if (h.visibleAt(asOf) && !catalog.isDeleted(h.id())
          && (from == null || !h.started().isBefore(from))
          && (to == null || h.started().isBefore(to))
          && (workspaceId == null || workspaceId.equals(h.workspaceId()))
          && (primaryUserIds == null || primaryUserIds.contains(h.primaryUser().id()))) {
        out.add(i);
      }
    }
    return out;
  }
}
