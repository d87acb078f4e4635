package com.gongpipeline.gong;

import static com.gongpipeline.testing.ScriptedGongServer.Reply.json;
import static com.gongpipeline.testing.ScriptedGongServer.Reply.ok;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.gongpipeline.testing.ScriptedGongServer;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What goes on the wire: auth header, call-id batching, private-call filtering, no secret leaks. */
class HttpGongClientRequestsTest {

  private static final Instant FROM = Instant.parse("2026-03-01T00:00:00Z");
  private static final Instant TO = Instant.parse("2026-03-02T00:00:00Z");

  @RegisterExtension final ScriptedGongServer server = new ScriptedGongServer();
  private final RecordingSleeper sleeper = new RecordingSleeper();

  private static List<String> callIdsOf(ScriptedGongServer.Recorded r) throws Exception {
    List<String> ids = new ArrayList<>();
    GongJson.mapper().readTree(r.body).at("/filter/callIds").forEach(n -> ids.add(n.asText()));
    return ids;
  }

  @Test
  void everyRequestCarriesBasicAuthOfKeyAndSecret() throws Exception {
    server.enqueue("/v2/workspaces", ok(GongPages.workspaces("w")));
    try (HttpGongClient client = TestClients.client(server, sleeper)) {
      client.workspaces();
    }
    String header = server.requests().get(0).authorization;
    assertThat(header.startsWith("Basic "), is(true));
    String decoded =
        new String(Base64.getDecoder().decode(header.substring(6)), StandardCharsets.UTF_8);
    assertThat(decoded, is(TestClients.KEY + ":" + TestClients.SECRET));
  }

  @Test
  void given250CallIdsWithDuplicates_sendsThreeDeduplicatedBatchesOfAtMost100() throws Exception {
    List<String> ids = IntStream.range(0, 250).mapToObj(i -> "9" + i).collect(Collectors.toList());
    List<String> withDuplicates = new ArrayList<>(ids);
    withDuplicates.addAll(ids.subList(0, 40));
    for (int i = 0; i < 3; i++) {
      server.enqueue("/v2/calls/transcript", ok(GongPages.transcriptPage(null, "x" + i)));
    }
    List<JsonNode> result;
    try (HttpGongClient client = TestClients.client(server, sleeper)) {
      result = client.transcripts(withDuplicates);
    }

    List<ScriptedGongServer.Recorded> reqs = server.requests("/v2/calls/transcript");
    assertThat(reqs, hasSize(3));
    List<String> sent = new ArrayList<>();
    for (ScriptedGongServer.Recorded r : reqs) {
      List<String> batch = callIdsOf(r);
      assertThat(batch.size(), lessThanOrEqualTo(100));
      sent.addAll(batch);
    }
    assertThat(sent, is(ids)); // every id once, in first-seen order
    assertThat(result, hasSize(3)); // results of all batches joined
  }

  @Test
  void givenEmptyCallIdList_sendsNoRequest() throws Exception {
    try (HttpGongClient client = TestClients.client(server, sleeper)) {
      assertThat(client.callsExtensive(List.of()), empty());
      assertThat(client.transcripts(List.of()), empty());
    }
    assertThat(server.requests(), empty());
  }

  @Test
  void givenBlankCallId_rejectsBeforeAnyRequest() {
    try (HttpGongClient client = TestClients.client(server, sleeper)) {
      assertThrows(IllegalArgumentException.class, () -> client.callsExtensive(List.of("1", " ")));
    }
    assertThat(server.requests(), empty());
  }

  @Test
  void privateCallsAreExcludedByDefault() throws Exception {
    server.enqueue("/v2/calls", ok(GongPages.callsPageWithPrivate("1", "p2", "3")));
    server.enqueue("/v2/calls/extensive", ok(GongPages.extensivePage(null, "p4", "5")));
    List<JsonNode> calls = new ArrayList<>();
    List<JsonNode> extensive;
    HttpGongClient client = TestClients.client(server, sleeper);
    client.listCalls(FROM, TO, calls::addAll);
    extensive = client.callsExtensive(List.of("p4", "5"));

    assertThat(
        calls.stream().map(n -> GongJson.text(n, "id")).collect(Collectors.toList()),
        contains("1", "3"));
    assertThat(
        extensive.stream().map(n -> GongJson.text(n, "metaData.id")).collect(Collectors.toList()),
        contains("5"));
    assertThat(client.stats().privateCallsSkipped(), is(2L));
  }

  @Test
  void privateCallsAreKeptWhenConfigured() throws Exception {
    server.enqueue("/v2/calls", ok(GongPages.callsPageWithPrivate("1", "p2")));
    server.enqueue("/v2/calls/extensive", ok(GongPages.extensivePage(null, "p4")));
    List<JsonNode> calls = new ArrayList<>();
    HttpGongClient client =
        TestClients.client(server, sleeper, b -> b.includePrivateCalls(true));
    client.listCalls(FROM, TO, calls::addAll);
    List<JsonNode> extensive = client.callsExtensive(List.of("p4"));

    assertThat(
        calls.stream().map(n -> GongJson.text(n, "id")).collect(Collectors.toList()),
        contains("1", "p2"));
    assertThat(extensive, hasSize(1));
    assertThat(client.stats().privateCallsSkipped(), is(0L));
  }

  @Test
  void secretNeverAppearsInErrorsLogsOrToString() throws Exception {
    String encodedHeader =
        GongCredentials.basicHeader(TestClients.KEY, TestClients.SECRET).substring(6);
    server.enqueue("/v2/calls", json(401, GongPages.error("r-401", "Access denied")));
    for (int i = 0; i < 2; i++) {
      server.enqueue("/v2/workspaces", json(500, GongPages.error("r-500", "An error has occurred")));
    }
    PrintStream originalErr = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    List<GongApiException> failures = new ArrayList<>();
    HttpGongClient client = TestClients.client(server, sleeper, b -> b.maxAttempts(2));
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      failures.add(
          assertThrows(GongApiException.class, () -> client.listCalls(FROM, TO, p -> {})));
      failures.add(assertThrows(GongApiException.class, client::workspaces));
    } finally {
      System.setErr(originalErr);
    }

    StringBuilder everything = new StringBuilder();
    for (GongApiException e : failures) {
      StringWriter trace = new StringWriter();
      e.printStackTrace(new PrintWriter(trace));
      everything.append(e.getMessage()).append(e).append(trace);
    }
    everything.append(client.config()).append(client.config().credentials()).append(client.stats());
    everything.append(captured.toString(StandardCharsets.UTF_8));

    assertThat(failures.get(0).gongKind(), is(GongApiException.Kind.AUTH));
    assertThat(failures.get(1).gongKind(), is(GongApiException.Kind.SERVER));
    // The retry warning was captured, so the log check below is not vacuous.
    assertThat(captured.toString(StandardCharsets.UTF_8), containsString("r-500"));
    assertThat(everything.toString(), containsString(TestClients.KEY));
    assertThat(everything.toString(), not(containsString(TestClients.SECRET)));
    assertThat(everything.toString(), not(containsString(encodedHeader)));
  }

  @Test
  void statsCountRequestsByEndpointAndStatusClass() throws Exception {
    server.enqueue(
        "/v2/users",
        json(500, GongPages.error("r", "boom")),
        ok(GongPages.usersPage("c", "u1")),
        ok(GongPages.usersPage(null, "u2")));
    HttpGongClient client = TestClients.client(server, sleeper);
    client.listUsers(p -> {});
    GongClientStats stats = client.stats();
    assertThat(stats.requests(GongEndpoint.USERS, "2xx"), is(2L));
    assertThat(stats.requests(GongEndpoint.USERS, "5xx"), is(1L));
    assertThat(stats.requests(GongEndpoint.USERS), is(3L));
    assertThat(stats.totalRequests(), is(3L));
    Set<String> keys = new HashSet<>(stats.requestsByEndpointAndStatusClass().keySet());
    assertThat(keys, is(Set.of("users/2xx", "users/5xx")));
  }

  @Test
  void closedClientRefusesRequests() {
    HttpGongClient client = TestClients.client(server, sleeper);
    client.close();
    assertThrows(IllegalStateException.class, client::workspaces);
  }
}
