package com.gongpipeline.gong;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.checkerframework.checker.nullness.qual.Nullable;

/** JSON fixtures shaped like Gong API v2 responses (see gong-api.md §1.7–1.8). */
final class GongPages {
  private GongPages() {}

  static String callsPage(@Nullable String cursor, String... ids) {
    ObjectNode page = withRecords(cursor, ids.length);
    ArrayNode calls = page.putArray("calls");
    for (String id : ids) {
      calls.add(call(id, false));
    }
    return page.toString();
  }

  /** A page whose calls are private when their id starts with {@code p}. */
  static String callsPageWithPrivate(String... ids) {
    ObjectNode page = withRecords(null, ids.length);
    ArrayNode calls = page.putArray("calls");
    for (String id : ids) {
      calls.add(call(id, id.startsWith("p")));
    }
    return page.toString();
  }

  static ObjectNode call(String id, boolean isPrivate) {
    ObjectNode call = GongJson.mapper().createObjectNode();
    call.put("id", id);
    call.put("title", "Call " + id);
    call.put("started", "2026-03-01T09:02:13-08:00");
    call.put("isPrivate", isPrivate);
    call.put("someFutureField", "kept");
    return call;
  }

  static String extensivePage(@Nullable String cursor, String... ids) {
    ObjectNode page = withRecords(cursor, ids.length);
    ArrayNode calls = page.putArray("calls");
    for (String id : ids) {
      ObjectNode c = calls.addObject();
      c.set("metaData", call(id, id.startsWith("p")));
      c.putArray("parties").addObject().put("speakerId", "s-" + id);
    }
    return page.toString();
  }

  static String transcriptPage(@Nullable String cursor, String... ids) {
    ObjectNode page = withRecords(cursor, ids.length);
    ArrayNode items = page.putArray("callTranscripts");
    for (String id : ids) {
      ObjectNode t = items.addObject();
      t.put("callId", id);
      ObjectNode mono = t.putArray("transcript").addObject();
      mono.put("speakerId", "s-" + id);
      mono.putNull("topic");
      mono.putArray("sentences").addObject().put("start", 0).put("end", 1200).put("text", "Hi");
    }
    return page.toString();
  }

  static String usersPage(@Nullable String cursor, String... ids) {
    ObjectNode page = withRecords(cursor, ids.length);
    ArrayNode users = page.putArray("users");
    for (String id : ids) {
      users.addObject().put("id", id).put("emailAddress", id + "@example.com");
    }
    return page.toString();
  }

  static String workspaces(String... ids) {
    ObjectNode page = GongJson.mapper().createObjectNode();
    page.put("requestId", "req-ws");
    ArrayNode ws = page.putArray("workspaces");
    for (String id : ids) {
      ws.addObject().put("id", id).put("name", "Workspace " + id);
    }
    return page.toString();
  }

  static String error(String requestId, String... errors) {
    ObjectNode body = GongJson.mapper().createObjectNode();
    body.put("requestId", requestId);
    ArrayNode arr = body.putArray("errors");
    for (String e : errors) {
      arr.add(e);
    }
    return body.toString();
  }

  private static ObjectNode withRecords(@Nullable String cursor, int size) {
    ObjectNode page = GongJson.mapper().createObjectNode();
    page.put("requestId", "req-" + (cursor == null ? "last" : cursor));
    ObjectNode records = page.putObject("records");
    records.put("totalRecords", 999); // deliberately unrelated: the client must not rely on it
    records.put("currentPageSize", size);
    records.put("currentPageNumber", 0);
    if (cursor != null) {
      records.put("cursor", cursor);
    }
    return page;
  }
}
