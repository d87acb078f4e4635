package com.gongpipeline.gong;

import static com.gongpipeline.testing.ScriptedGongServer.Reply.json;
import static com.gongpipeline.testing.ScriptedGongServer.Reply.ok;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.gongpipeline.testing.ScriptedGongServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Cursor pagination, empty-result 404s and cursor-expiry restarts. */
class HttpGongClientPaginationTest {

  private static final Instant FROM = Instant.parse("2026-03-01T00:00:00Z");
  private static final Instant TO = Instant.parse("2026-03-02T00:00:00Z");

  @RegisterExtension final ScriptedGongServer server = new ScriptedGongServer();
  private final RecordingSleeper sleeper = new RecordingSleeper();

  private static List<List<String>> ids(List<List<JsonNode>> pages, String idPath) {
    return pages.stream()
        .map(p -> p.stream().map(n -> GongJson.text(n, idPath)).collect(Collectors.toList()))
        .collect(Collectors.toList());
  }

  private static JsonNode parse(String json) throws Exception {
    return GongJson.mapper().readTree(json);
  }

  @Test
  void givenThreePages_listCallsFollowsCursorUntilAbsent() throws Exception {
    server.enqueue(
        "/v2/calls",
        ok(GongPages.callsPage("c1", "101", "102")),
        ok(GongPages.callsPage("c2", "103")),
        ok(GongPages.callsPage(null, "104", "105")));
    List<List<JsonNode>> pages = new ArrayList<>();
    try (HttpGongClient client = TestClients.client(server, sleeper)) {
      client.listCalls(FROM, TO, pages::add);
    }

    assertThat(
        ids(pages, "id"), contains(List.of("101", "102"), List.of("103"), List.of("104", "105")));
    List<ScriptedGongServer.Recorded> reqs = server.requests("/v2/calls");
    assertThat(reqs, hasSize(3));
    for (ScriptedGongServer.Recorded r : reqs) {
      assertThat(r.method, is("GET"));
      assertThat(r.query.get("fromDateTime"), is("2026-03-01T00:00:00Z"));
      assertThat(r.query.get("toDateTime"), is("2026-03-02T00:00:00Z"));
    }
    assertThat(reqs.get(0).query, not(hasKey("cursor")));
    assertThat(reqs.get(1).query.get("cursor"), is("c1"));
    assertThat(reqs.get(2).query.get("cursor"), is("c2"));
  }

  @Test
  void givenUnknownFields_itemsAreHandedOverVerbatim() throws Exception {
    server.enqueue("/v2/calls", ok(GongPages.callsPage(null, "101")));
    List<JsonNode> all = new ArrayList<>();
    try (HttpGongClient client = TestClients.client(server, sleeper)) {
      client.listCalls(FROM, TO, all::addAll);
    }
    assertThat(all.get(0).get("someFutureField").asText(), is("kept"));
  }

  @Test
  void givenNonAsciiTextWithoutCharset_itIsDecodedAsUtf8() throws Exception {
    String title = "Müller – 日本 pricing";
    ObjectNode page = (ObjectNode) parse(GongPages.callsPage(null, "101"));
    ((ObjectNode) page.get("calls").get(0)).put("title", title);
    server.enqueue("/v2/calls", ok(page.toString())); // Content-Type: application/json, no charset
    List<JsonNode> all = new ArrayList<>();
    try (HttpGongClient client = TestClients.client(server, sleeper)) {
      client.listCalls(FROM, TO, all::addAll);
    }
    assertThat(GongJson.text(all.get(0), "title"), is(title));
  }

  @Test
  void givenPostPagination_cursorGoesInBodyAndOtherInputsStayIdentical() throws Exception {
    server.enqueue(
        "/v2/calls/transcript",
        ok(GongPages.transcriptPage("t1", "1")),
        ok(GongPages.transcriptPage("t2", "2")),
        ok(GongPages.transcriptPage(null, "3")));
    List<JsonNode> result;
    try (HttpGongClient client = TestClients.client(server, sleeper)) {
      result = client.transcripts(List.of("1", "2", "3"));
    }

    assertThat(
        result.stream().map(n -> GongJson.text(n, "callId")).collect(Collectors.toList()),
        contains("1", "2", "3"));
    List<ScriptedGongServer.Recorded> reqs = server.requests("/v2/calls/transcript");
    assertThat(reqs, hasSize(3));
    JsonNode expectedFilter = parse("{\"filter\":{\"callIds\":[\"1\",\"2\",\"3\"]}}");
    List<String> cursors = new ArrayList<>();
    for (ScriptedGongServer.Recorded r : reqs) {
      assertThat(r.method, is("POST"));
      assertThat(r.contentType, containsString("application/json"));
      assertThat(r.query.isEmpty(), is(true));
      ObjectNode body = (ObjectNode) parse(r.body);
      cursors.add(body.has("cursor") ? body.get("cursor").asText() : null);
      body.remove("cursor");
      assertThat(body, equalTo(expectedFilter));
    }
    assertThat(cursors, contains(nullValue(), is("t1"), is("t2")));
  }

  @Test
  void callsExtensive_sendsTheDocumentedContentSelectorAndFollowsBodyCursor() throws Exception {
    server.enqueue(
        "/v2/calls/extensive",
        ok(GongPages.extensivePage("e1", "11")),
        ok(GongPages.extensivePage(null, "12")));
    List<JsonNode> result;
    try (HttpGongClient client = TestClients.client(server, sleeper)) {
      result = client.callsExtensive(List.of("11", "12"));
    }

    assertThat(
        result.stream().map(n -> GongJson.text(n, "metaData.id")).collect(Collectors.toList()),
        contains("11", "12"));
    JsonNode expected =
        parse(
            "{\"filter\":{\"callIds\":[\"11\",\"12\"]},\"contentSelector\":{\"context\":\"Extended\","
                + "\"contextTiming\":[\"Now\",\"TimeOfCall\"],\"exposedFields\":{\"parties\":true,"
                + "\"content\":{\"topics\":true,\"brief\":true,\"outline\":true,"
                + "\"highlights\":true,\"callOutcome\":true,\"keyPoints\":true,"
                + "\"pointsOfInterest\":true,\"trackers\":true,\"trackerOccurrences\":true},"
                + "\"interaction\":{\"speakers\":true,\"personInteractionStats\":true,"
                + "\"questions\":true}}}}");
    List<ScriptedGongServer.Recorded> reqs = server.requests("/v2/calls/extensive");
    assertThat(parse(reqs.get(0).body), equalTo(expected));
    ObjectNode second = (ObjectNode) parse(reqs.get(1).body);
    assertThat(second.remove("cursor").asText(), is("e1"));
    assertThat(second, equalTo(expected));
  }

  @Test
  void givenUsersAndWorkspaces_allPagesAreRead() throws Exception {
    server.enqueue(
        "/v2/users", ok(GongPages.usersPage("u1", "u-1", "u-2")), ok(GongPages.usersPage(null, "u-3")));
    server.enqueue("/v2/workspaces", ok(GongPages.workspaces("w1", "w2")));
    List<List<JsonNode>> pages = new ArrayList<>();
    List<JsonNode> workspaces;
    try (HttpGongClient client = TestClients.client(server, sleeper)) {
      client.listUsers(pages::add);
      workspaces = client.workspaces();
    }
    assertThat(ids(pages, "id"), contains(List.of("u-1", "u-2"), List.of("u-3")));
    assertThat(server.requests("/v2/users").get(1).query.get("cursor"), is("u1"));
    assertThat(
        workspaces.stream().map(n -> GongJson.text(n, "id")).collect(Collectors.toList()),
        contains("w1", "w2"));
  }

  @Test
  void givenNoResults404_returnsEmptyInsteadOfFailing() throws Exception {
    server.enqueue(
        "/v2/calls",
        json(404, GongPages.error("r-404", "No calls found corresponding to the provided filters")));
    server.enqueue(
        "/v2/calls/extensive",
        json(404, GongPages.error("r-405", "No calls found corresponding to the provided filters.")));
    List<List<JsonNode>> pages = new ArrayList<>();
    List<JsonNode> extensive;
    try (HttpGongClient client = TestClients.client(server, sleeper)) {
      client.listCalls(FROM, TO, pages::add);
      extensive = client.callsExtensive(List.of("1"));
    }
    assertThat(pages, empty());
    assertThat(extensive, empty());
    assertThat(server.requests(), hasSize(2));
    assertThat(sleeper.sleeps(), empty());
  }

  @Test
  void givenGenuine404_throwsNotFound() throws Exception {
    server.enqueue("/v2/calls", json(404, GongPages.error("r-nf", "Call ID 123 was not found")));
    try (HttpGongClient client = TestClients.client(server, sleeper)) {
      GongApiException e =
          assertThrows(GongApiException.class, () -> client.listCalls(FROM, TO, p -> {}));
      assertThat(e.gongKind(), is(GongApiException.Kind.NOT_FOUND));
      assertThat(e.httpStatus(), is(404));
      assertThat(e.requestId(), is("r-nf"));
      assertThat(e.getMessage(), containsString("Call ID 123 was not found"));
    }
    assertThat(server.requests(), hasSize(1));
  }

  @Test
  void givenCursorExpired_restartsFromFirstPageWithoutHandingOverAnIdTwice() throws Exception {
    server.enqueue(
        "/v2/calls",
        ok(GongPages.callsPage("c1", "1", "2")),
        json(400, GongPages.error("r-exp", "cursor has expired")),
        ok(GongPages.callsPage("c1b", "1", "2")),
        ok(GongPages.callsPage(null, "2", "3")));
    List<List<JsonNode>> pages = new ArrayList<>();
    HttpGongClient client = TestClients.client(server, sleeper);
    client.listCalls(FROM, TO, pages::add);

    assertThat(ids(pages, "id"), contains(List.of("1", "2"), List.of("3")));
    List<ScriptedGongServer.Recorded> reqs = server.requests("/v2/calls");
    assertThat(reqs, hasSize(4));
    assertThat(reqs.get(1).query.get("cursor"), is("c1"));
    assertThat(reqs.get(2).query, not(hasKey("cursor")));
    assertThat(reqs.get(3).query.get("cursor"), is("c1b"));
    assertThat(client.stats().cursorRestarts(), is(1L));
  }

  @Test
  void givenCursorKeepsExpiring_failsAfterTheConfiguredRestarts() throws Exception {
    for (int i = 0; i < 3; i++) {
      server.enqueue(
          "/v2/users",
          ok(GongPages.usersPage("c", "u")),
          json(400, GongPages.error("r-exp" + i, "The cursor has expired")));
    }
    try (HttpGongClient client =
        TestClients.client(server, sleeper, b -> b.cursorExpiryRestarts(1))) {
      GongApiException e = assertThrows(GongApiException.class, () -> client.listUsers(p -> {}));
      assertThat(e.gongKind(), is(GongApiException.Kind.CURSOR_EXPIRED));
      assertThat(e.getMessage(), containsString("GET /v2/users"));
      assertThat(e.getMessage(), containsString("r-exp1"));
      assertThat(client.stats().cursorRestarts(), is(1L));
    }
    assertThat(server.requests("/v2/users"), hasSize(4));
  }

  @Test
  void givenOtherBadRequest_throwsBadRequestWithoutRetry() throws Exception {
    server.enqueue(
        "/v2/calls", json(400, GongPages.error("r-400", "filter.fromDateTime: must be before toDateTime")));
    try (HttpGongClient client = TestClients.client(server, sleeper)) {
      GongApiException e =
          assertThrows(GongApiException.class, () -> client.listCalls(FROM, TO, p -> {}));
      assertThat(e.gongKind(), is(GongApiException.Kind.BAD_REQUEST));
      assertThat(e.isRetryable(), is(false));
    }
    assertThat(server.requests(), hasSize(1));
  }

  @Test
  void givenServerRepeatsTheCursor_failsInsteadOfLoopingForever() throws Exception {
    server.enqueue(
        "/v2/calls", ok(GongPages.callsPage("same", "1")), ok(GongPages.callsPage("same", "2")));
    try (HttpGongClient client = TestClients.client(server, sleeper)) {
      GongApiException e =
          assertThrows(GongApiException.class, () -> client.listCalls(FROM, TO, p -> {}));
      assertThat(e.gongKind(), is(GongApiException.Kind.MALFORMED_RESPONSE));
    }
    assertThat(server.requests(), hasSize(2));
  }

  @Test
  void givenFromNotBeforeTo_rejectsWithoutARequest() {
    try (HttpGongClient client = TestClients.client(server, sleeper)) {
      assertThrows(IllegalArgumentException.class, () -> client.listCalls(TO, FROM, p -> {}));
    }
    assertThat(server.requests(), empty());
  }
}
