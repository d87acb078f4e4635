package com.gongpipeline.gong.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * Gong's cursor pagination. A cursor is opaque to clients: base64url of a small JSON document
 * holding the endpoint, a hash of every other request input, the next page number, when the
 * sequence's first page was served and the "as of" instant visibility is evaluated at. Pinning
 * "as of" to the first page keeps a sequence consistent while calls keep appearing; pinning the
 * hash enforces the spec's "all other request inputs should remain the same".
 *
 * @param route endpoint the sequence belongs to
 * @param filterHash hash of the other inputs
 * @param page zero-based page to serve
 * @param firstIssued when page 0 was served (cursor expiry counts from here)
 * @param asOf visibility instant for the whole sequence
 */
record Paging(String route, String filterHash, int page, Instant firstIssued, Instant asOf) {

  private static final ObjectMapper JSON = new ObjectMapper();
  static final String EXPIRED = "cursor has expired";

  /**
   * The page a request asks for: page 0 at {@code now} without a cursor, else the cursor's page
   * after checking it belongs to this endpoint and these inputs and has not expired.
   */
  static Paging of(String route, String canonicalInputs, String cursor, Instant now, Duration ttl) {
    String hash = hash(canonicalInputs);
    if (cursor == null || cursor.isEmpty()) {
      return new Paging(route, hash, 0, now, now);
    }
    Paging p = decode(cursor);
    if (!p.route.equals(route) || !p.filterHash.equals(hash)) {
      throw ApiException.badRequest(
          "cursor does not match the request; all other request inputs must remain the same");
    }
    if (now.isAfter(p.firstIssued.plus(ttl))) {
      throw ApiException.badRequest(EXPIRED);
    }
    return p;
  }

  /** The {@code records} object for this page of {@code total} items; cursor only if more follow. */
  ObjectNode records(int total, int pageSize, int pageItems) {
    ObjectNode records = JSON.createObjectNode();
    records.put("totalRecords", total);
    records.put("currentPageSize", pageItems);
    records.put("currentPageNumber", page);
    if ((long) (page + 1) * pageSize < total) {
      records.put("cursor", new Paging(route, filterHash, page + 1, firstIssued, asOf).encode());
    }
    return records;
  }

  /** This page's slice of {@code all}. */
  <T> List<T> slice(List<T> all, int pageSize) {
    int from = (int) Math.min(all.size(), (long) page * pageSize);
    return all.subList(from, Math.min(all.size(), from + pageSize));
  }

  String encode() {
    ObjectNode n = JSON.createObjectNode();
    n.put("r", route).put("f", filterHash).put("p", page)
        .put("t", firstIssued.toEpochMilli()).put("a", asOf.toEpochMilli());
    return Base64.getUrlEncoder().withoutPadding()
        .encodeToString(n.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static Paging decode(String cursor) {
    try {
      JsonNode n = JSON.readTree(Base64.getUrlDecoder().decode(cursor));
      if (!n.hasNonNull("r") || !n.hasNonNull("f") || !n.hasNonNull("p") || !n.hasNonNull("t")
          || !n.hasNonNull("a") || n.get("p").asInt() < 0) {
        throw ApiException.badRequest("cursor is invalid");
      }
      return new Paging(n.get("r").asText(), n.get("f").asText(), n.get("p").asInt(),
          Instant.ofEpochMilli(n.get("t").asLong()), Instant.ofEpochMilli(n.get("a").asLong()));
    } catch (IllegalArgumentException | java.io.IOException e) {
      throw ApiException.badRequest("cursor is invalid");
    }
  }

  private static String hash(String canonicalInputs) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256")
          .digest(canonicalInputs.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
