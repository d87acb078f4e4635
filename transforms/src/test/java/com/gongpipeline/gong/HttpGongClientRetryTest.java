package com.gongpipeline.gong;

import static com.gongpipeline.testing.ScriptedGongServer.Reply.drop;
import static com.gongpipeline.testing.ScriptedGongServer.Reply.json;
import static com.gongpipeline.testing.ScriptedGongServer.Reply.ok;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.gongpipeline.testing.ScriptedGongServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.gongpipeline.errors.FailureKind;
import com.gongpipeline.errors.PipelineException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** 429/Retry-After, 5xx, resets, timeouts, malformed bodies, fail-fast auth, exhausted retries. */
class HttpGongClientRetryTest {

  private static final Instant FROM = Instant.parse("2026-03-01T00:00:00Z");
  private static final Instant TO = Instant.parse("2026-03-02T00:00:00Z");

  @RegisterExtension final ScriptedGongServer server = new ScriptedGongServer();
  private final RecordingSleeper sleeper = new RecordingSleeper();

  private List<String> listCallIds(HttpGongClient client) throws Exception {
    List<JsonNode> all = new ArrayList<>();
    client.listCalls(FROM, TO, all::addAll);
    return all.stream().map(n -> GongJson.text(n, "id")).collect(Collectors.toList());
  }

  @Test
  void givenRetryAfterHeader_waitsThatLong() throws Exception {
    server.enqueue(
        "/v2/calls",
        json(429, GongPages.error("r-429", "Too many requests")).header("Retry-After", "7"),
        ok(GongPages.callsPage(null, "1")));
    HttpGongClient client = TestClients.client(server, sleeper);

    assertThat(listCallIds(client), contains("1"));
    assertThat(sleeper.sleeps(), contains(7000L));
    GongClientStats stats = client.stats();
    assertThat(stats.http429(), is(1L));
    assertThat(stats.retries(), is(1L));
    assertThat(stats.retryWaitMillis(), is(7000L));
    assertThat(stats.requests(GongEndpoint.CALLS, "4xx"), is(1L));
    assertThat(stats.requests(GongEndpoint.CALLS, "2xx"), is(1L));
  }

  @Test
  void given429WithoutRetryAfter_backsOffExponentiallyWithJitter() throws Exception {
    server.enqueue(
        "/v2/calls",
        json(429, GongPages.error("r-1", "Too many requests")),
        json(429, GongPages.error("r-2", "Too many requests")),
        json(429, GongPages.error("r-3", "Too many requests")),
        ok(GongPages.callsPage(null, "1")));
    HttpGongClient client = TestClients.client(server, sleeper);

    assertThat(listCallIds(client), contains("1"));
    List<Long> sleeps = sleeper.sleeps();
    assertThat(sleeps, hasSize(3));
    // RetryPolicy's FluentBackoff: initialBackoff 500 ms, exponent 1.5, randomization ±50 %.
    assertThat(sleeps.get(0), allOf(greaterThanOrEqualTo(250L), lessThanOrEqualTo(750L)));
    assertThat(sleeps.get(1), allOf(greaterThanOrEqualTo(375L), lessThanOrEqualTo(1125L)));
    assertThat(sleeps.get(2), allOf(greaterThanOrEqualTo(562L), lessThanOrEqualTo(1688L)));
    assertThat(client.stats().http429(), is(3L));
  }

  @Test
  void givenBackOffGrowsPastMax_waitsAreCapped() throws Exception {
    for (int i = 0; i < 6; i++) {
      server.enqueue("/v2/workspaces", json(503, GongPages.error("r-" + i, "Unavailable")));
    }
    server.enqueue("/v2/workspaces", ok(GongPages.workspaces("w")));
    HttpGongClient client =
        TestClients.client(server, sleeper, b -> b.maxBackoff(Duration.ofSeconds(2)));

    assertThat(client.workspaces(), hasSize(1));
    assertThat(sleeper.sleeps(), hasSize(6));
    for (long wait : sleeper.sleeps()) {
      assertThat(wait, lessThanOrEqualTo(3000L)); // 2 s cap + 50 % jitter
    }
  }

  @Test
  void given5xxThenSuccess_retriesAndSucceeds() throws Exception {
    server.enqueue(
        "/v2/calls",
        json(500, GongPages.error("r-500", "An error has occurred")),
        json(502, "<html>bad gateway</html>"),
        ok(GongPages.callsPage(null, "1", "2")));
    HttpGongClient client = TestClients.client(server, sleeper);

    assertThat(listCallIds(client), contains("1", "2"));
    assertThat(sleeper.sleeps(), hasSize(2));
    assertThat(client.stats().requests(GongEndpoint.CALLS, "5xx"), is(2L));
    assertThat(client.stats().retries(), is(2L));
  }

  @Test
  void givenConnectionResetOnPost_retriesAndSucceeds() throws Exception {
    server.enqueue(
        "/v2/calls/transcript", drop(), ok(GongPages.transcriptPage(null, "1")));
    HttpGongClient client = TestClients.client(server, sleeper);

    List<JsonNode> result = client.transcripts(List.of("1"));

    assertThat(result, hasSize(1));
    assertThat(server.requests("/v2/calls/transcript"), hasSize(2));
    assertThat(client.stats().requests(GongEndpoint.CALLS_TRANSCRIPT, GongClientStats.IO_FAILURE), is(1L));
    assertThat(sleeper.sleeps(), hasSize(1));
  }

  @Test
  void givenConnectionResetsOnGet_eachAttemptIsOneRequestOnTheWire() throws Exception {
    // The JDK's HttpURLConnection re-sends a GET once, silently, when the server drops the
    // connection: a request that passed neither the rate limiter nor the daily ledger (it caused
    // a 429 on the strict simulator). Every request Gong sees must be one our limiter let through.
    server.enqueue("/v2/calls", drop(), drop(), drop(), ok(GongPages.callsPage(null, "1")));
    HttpGongClient client = TestClients.client(server, sleeper);

    assertThat(listCallIds(client), contains("1"));
    assertThat(server.requests("/v2/calls"), hasSize(4));
    assertThat(client.stats().requests(GongEndpoint.CALLS, GongClientStats.IO_FAILURE), is(3L));
    assertThat(client.stats().totalRequests(), is(4L));
    assertThat(client.stats().retries(), is(3L));
  }

  @Test
  void givenOneResetOnAGetThenPost_theServerSeesExactlyTheRequestsTheClientCounted()
      throws Exception {
    server.enqueue("/v2/users", drop(), ok(GongPages.usersPage(null, "u1")));
    server.enqueue("/v2/calls/transcript", drop(), ok(GongPages.transcriptPage(null, "1")));
    HttpGongClient client = TestClients.client(server, sleeper);

    client.listUsers(page -> { });
    client.transcripts(List.of("1"));

    assertThat(server.requests(), hasSize(4));
    assertThat(client.stats().totalRequests(), is((long) server.requests().size()));
  }

  @Test
  void givenReadTimeout_retriesAndSucceeds() throws Exception {
    server.enqueue(
        "/v2/calls/extensive",
        ok(GongPages.extensivePage(null, "1")).delay(Duration.ofMillis(700)),
        ok(GongPages.extensivePage(null, "2")));
    HttpGongClient client =
        TestClients.client(server, sleeper, b -> b.readTimeout(Duration.ofMillis(200)));

    List<JsonNode> result = client.callsExtensive(List.of("1"));

    assertThat(
        result.stream().map(n -> GongJson.text(n, "metaData.id")).collect(Collectors.toList()),
        contains("2"));
    assertThat(client.stats().requests(GongEndpoint.CALLS_EXTENSIVE, GongClientStats.IO_FAILURE), is(1L));
  }

  @Test
  void givenMalformedJsonThenValid_retriesAndSucceeds() throws Exception {
    server.enqueue(
        "/v2/calls",
        ok("{\"requestId\":\"r\",\"calls\":[{\"id\":\"1\""),
        ok(GongPages.callsPage(null, "1")));
    HttpGongClient client = TestClients.client(server, sleeper);

    assertThat(listCallIds(client), contains("1"));
    assertThat(sleeper.sleeps(), hasSize(1));
    assertThat(client.stats().retries(), is(1L));
  }

  @Test
  void givenMalformedJsonEveryTime_throwsMalformedResponseAfterMaxAttempts() throws Exception {
    server.enqueue("/v2/workspaces", ok("not json"), ok("[]"), ok("{oops"));
    try (HttpGongClient client = TestClients.client(server, sleeper, b -> b.maxAttempts(3))) {
      GongApiException e = assertThrows(GongApiException.class, client::workspaces);
      assertThat(e.gongKind(), is(GongApiException.Kind.MALFORMED_RESPONSE));
      assertThat(e.attempts(), is(3));
      assertThat(e.getMessage(), containsString("GET /v2/workspaces"));
      assertThat(e.getCause(), notNullValue());
    }
    assertThat(server.requests(), hasSize(3));
  }

  @Test
  void givenRetriesExhausted_throwsWithEndpointStatusAndRequestId() throws Exception {
    for (int i = 1; i <= 3; i++) {
      server.enqueue(
          "/v2/calls/extensive", json(500, GongPages.error("req-500-" + i, "An error has occurred")));
    }
    try (HttpGongClient client = TestClients.client(server, sleeper, b -> b.maxAttempts(3))) {
      GongApiException e =
          assertThrows(GongApiException.class, () -> client.callsExtensive(List.of("1")));
      assertThat(e.gongKind(), is(GongApiException.Kind.SERVER));
      assertThat(e.kind(), is(FailureKind.RETRYABLE));
      assertThat(e.httpStatus(), is(500));
      assertThat(e.requestId(), is("req-500-3"));
      assertThat(e.errors(), contains("An error has occurred"));
      assertThat(e.attempts(), is(3));
      assertThat(
          e.getMessage(),
          allOf(
              containsString("POST /v2/calls/extensive"),
              containsString("HTTP 500"),
              containsString("req-500-3"),
              containsString("An error has occurred")));
    }
    assertThat(server.requests(), hasSize(3));
    assertThat(sleeper.sleeps(), hasSize(2));
  }

  @Test
  void givenResetsExhausted_throwsIoWithTheLastCause() throws Exception {
    server.enqueue("/v2/calls/transcript", drop(), drop());
    try (HttpGongClient client = TestClients.client(server, sleeper, b -> b.maxAttempts(2))) {
      GongApiException e =
          assertThrows(GongApiException.class, () -> client.transcripts(List.of("1")));
      assertThat(e.gongKind(), is(GongApiException.Kind.IO));
      assertThat(e.getCause(), notNullValue());
      assertThat(e.getMessage(), containsString("POST /v2/calls/transcript"));
    }
    assertThat(server.requests(), hasSize(2));
  }

  @Test
  void givenRetryAfterOverMaximum_failsWithQuotaExhaustedWithoutSleeping() throws Exception {
    server.enqueue(
        "/v2/users",
        json(429, GongPages.error("r-quota", "Daily limit reached")).header("Retry-After", "7200"));
    try (HttpGongClient client = TestClients.client(server, sleeper)) {
      GongApiException e = assertThrows(GongApiException.class, () -> client.listUsers(p -> {}));
      assertThat(e.gongKind(), is(GongApiException.Kind.QUOTA_EXHAUSTED));
      assertThat(e.kind(), is(FailureKind.RATE_LIMITED));
      assertThat(e.retryAfter(), is(Duration.ofHours(2)));
      assertThat(e.requestId(), is("r-quota"));
      assertThat(e.getMessage(), allOf(containsString("7200s"), containsString("GET /v2/users")));
    }
    assertThat(sleeper.sleeps(), empty());
    assertThat(server.requests(), hasSize(1));
  }

  @Test
  void given429s_theyDoNotConsumeAttemptsMeantForFailures() throws Exception {
    server.enqueue(
        "/v2/calls",
        json(429, GongPages.error("a", "Too many")).header("Retry-After", "1"),
        json(429, GongPages.error("b", "Too many")).header("Retry-After", "1"),
        json(429, GongPages.error("c", "Too many")).header("Retry-After", "1"),
        ok(GongPages.callsPage(null, "1")));
    List<String> ids = new ArrayList<>();
    try (HttpGongClient client = TestClients.client(server, sleeper, b -> b.maxAttempts(2))) {
      client.listCalls(FROM, TO, p -> p.forEach(c -> ids.add(c.get("id").asText())));
    }
    assertThat(ids, contains("1"));
    assertThat(sleeper.sleeps(), contains(1000L, 1000L, 1000L));
  }

  @Test
  void givenEndless429_throwsRateLimitedAfterTheWaitBound() throws Exception {
    var responses = new ArrayList<ScriptedGongServer.Reply>();
    for (int i = 0; i <= GongRetryPolicy.MAX_RATE_LIMITED_WAITS + 1; i++) {
      responses.add(json(429, GongPages.error("r" + i, "Too many")).header("Retry-After", "1"));
    }
    server.enqueue("/v2/calls", responses.toArray(new ScriptedGongServer.Reply[0]));
    try (HttpGongClient client = TestClients.client(server, sleeper, b -> b.maxAttempts(2))) {
      GongApiException e =
          assertThrows(GongApiException.class, () -> client.listCalls(FROM, TO, p -> {}));
      assertThat(e.gongKind(), is(GongApiException.Kind.RATE_LIMITED));
      assertThat(e.retryAfter(), is(Duration.ofSeconds(1)));
    }
    assertThat(sleeper.sleeps(), hasSize(GongRetryPolicy.MAX_RATE_LIMITED_WAITS));
  }

  @Test
  void given401_failsFastWithOneRequest() throws Exception {
    server.enqueue("/v2/calls", json(401, GongPages.error("r-401", "Access denied")));
    try (HttpGongClient client = TestClients.client(server, sleeper)) {
      GongApiException e =
          assertThrows(GongApiException.class, () -> client.listCalls(FROM, TO, p -> {}));
      assertThat(e.gongKind(), is(GongApiException.Kind.AUTH));
      assertThat(e.kind(), is(FailureKind.FATAL_CONFIG));
      assertThat(PipelineException.kindOf(new RuntimeException("wrapped", e)),
          is(FailureKind.FATAL_CONFIG));
      assertThat(e.isRetryable(), is(false));
      assertThat(e.requestId(), is("r-401"));
    }
    assertThat(server.requests(), hasSize(1));
    assertThat(sleeper.sleeps(), empty());
  }

  @Test
  void given403_failsFastAsAuth() throws Exception {
    server.enqueue("/v2/workspaces", json(403, GongPages.error("r-403", "Missing scope")));
    try (HttpGongClient client = TestClients.client(server, sleeper)) {
      GongApiException e = assertThrows(GongApiException.class, client::workspaces);
      assertThat(e.gongKind(), is(GongApiException.Kind.AUTH));
    }
    assertThat(server.requests(), hasSize(1));
  }

  @Test
  void retryAfterAcceptsSecondsAndHttpDates() {
    java.time.Clock clock =
        java.time.Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), java.time.ZoneOffset.UTC);
    assertThat(GongRetryPolicy.parseRetryAfter("120", clock), is(Duration.ofSeconds(120)));
    assertThat(GongRetryPolicy.parseRetryAfter("1.5", clock), is(Duration.ofMillis(1500)));
    assertThat(
        GongRetryPolicy.parseRetryAfter("Sun, 01 Mar 2026 10:20:00 GMT", clock),
        is(Duration.ofMinutes(20)));
    assertThat(GongRetryPolicy.parseRetryAfter("soon", clock), is((Duration) null));
    assertThat(GongRetryPolicy.parseRetryAfter(null, clock), is((Duration) null));
  }
}
