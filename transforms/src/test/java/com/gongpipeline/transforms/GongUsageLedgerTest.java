package com.gongpipeline.transforms;

import static com.gongpipeline.testing.ScriptedGongServer.Reply.json;
import static com.gongpipeline.testing.ScriptedGongServer.Reply.ok;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.gongpipeline.errors.FailureKind;
import com.gongpipeline.gong.GongApiException;
import com.gongpipeline.gong.GongClientConfig;
import com.gongpipeline.gong.GongCredentials;
import com.gongpipeline.gong.HttpGongClient;
import com.gongpipeline.testing.MutableClock;
import com.gongpipeline.testing.ScriptedGongServer;
import com.gongpipeline.warehouse.Warehouse;
import com.gongpipeline.warehouse.WarehouseProvider;
import com.google.common.util.concurrent.RateLimiter;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The daily request budget on a real HTTP client against scripted Gong answers and an in-memory
 * DuckDB ledger: every request sent (429s included) is counted, none is sent beyond the budget,
 * and after the client closes the ledger equals what the server received.
 */
class GongUsageLedgerTest {
  private static final Instant NOON = Instant.parse("2026-03-02T12:00:00Z");
  private static final LocalDate DAY = LocalDate.parse("2026-03-02");

  @RegisterExtension final ScriptedGongServer server = new ScriptedGongServer();
  private final MutableClock clock = new MutableClock(NOON);
  private final List<Long> sleeps = new ArrayList<>();
  private WarehouseProvider warehouse;
  private Warehouse keepAlive; // an in-memory database lives while one warehouse on it is open

  @BeforeEach
  void open() {
    String url = "jdbc:duckdb::memory:ledger_" + UUID.randomUUID().toString().replace("-", "");
    warehouse = WarehouseProvider.of(url);
    keepAlive = warehouse.open();
    keepAlive.applySchema();
  }

  @AfterEach
  void close() {
    keepAlive.close();
  }

  private HttpGongClient client(String jobId, long budget) {
    GongClientConfig config = GongClientConfig.builder().baseUrl(server.baseUrl())
        .credentials(GongCredentials.of("k", "s")).connectTimeout(Duration.ofSeconds(2))
        .readTimeout(Duration.ofSeconds(2)).build();
    return HttpGongClient.builder(config)
        .sleeper(sleeps::add)
        .rateLimiter(RateLimiter.create(10_000))
        .clock(clock)
        .budget(new GongUsageLedger(warehouse, jobId, budget, GongUsageLedger.DEFAULT_BLOCK,
            clock::instant))
        .build();
  }

  private static String page(String cursor, String id) {
    return "{\"requestId\":\"r-" + id + "\",\"records\":{\"totalRecords\":9,\"currentPageSize\":1,"
        + "\"currentPageNumber\":0" + (cursor == null ? "" : ",\"cursor\":\"" + cursor + "\"")
        + "},\"calls\":[{\"id\":\"" + id + "\",\"isPrivate\":false}]}";
  }

  @Test
  void noRequestBeyondTheBudgetIsSent_andTheLedgerEqualsWhatWasSent() {
    server.enqueue("/v2/calls",
        ok(page("c1", "1")),
        json(429, "{\"requestId\":\"r-429\",\"errors\":[\"Too many\"]}").header("Retry-After", "1"),
        ok(page("c2", "2")), ok(page("c3", "3")), ok(page("c4", "4")), ok(page(null, "5")));
    List<String> listed = new ArrayList<>();
    GongApiException spent;
    try (HttpGongClient client = client("job-1", 5)) {
      spent = assertThrows(GongApiException.class, () -> client.listCalls(
          NOON.minus(Duration.ofDays(1)), NOON,
          p -> p.forEach((JsonNode c) -> listed.add(c.get("id").asText()))));
    }
    // 5 requests (the 429 counts), the sixth never left: refused with a wait to UTC midnight.
    assertThat(server.requests(), org.hamcrest.Matchers.hasSize(5));
    assertThat(listed, contains("1", "2", "3", "4"));
    assertThat(spent.gongKind(), is(GongApiException.Kind.BUDGET_EXHAUSTED));
    assertThat(spent.kind(), is(FailureKind.RATE_LIMITED));
    assertThat(spent.retryAfter(), is(Duration.ofHours(12)));
    assertThat(spent.getMessage(), containsString("--gongDailyRequestBudget"));
    assertThat("only the 429's Retry-After was waited", sleeps, contains(1000L));
    assertThat(keepAlive.gongRequestsOn(DAY), is(5L));

    // A second client (another run) the same day sends nothing at all.
    try (HttpGongClient again = client("job-2", 5)) {
      assertThrows(GongApiException.class, () -> again.workspaces());
    }
    assertThat(server.requests(), org.hamcrest.Matchers.hasSize(5));
    assertThat(keepAlive.gongRequestsOn(DAY), is(5L));
  }

  @Test
  void reservesInBlocksAndGivesBackWhatItDidNotSend() {
    server.enqueue("/v2/calls", ok(page(null, "1")));
    try (HttpGongClient client = client("job-1", 8000)) {
      client.listCalls(NOON.minus(Duration.ofDays(1)), NOON, p -> { });
      assertThat("a block is held while the client is open", keepAlive.gongRequestsOn(DAY),
          is((long) GongUsageLedger.DEFAULT_BLOCK));
    }
    assertThat(keepAlive.gongRequestsOn(DAY), is(1L));
    assertThat(keepAlive.query("SELECT JOB_ID, ENDPOINT, REQUESTS FROM "
        + "OPS_MONITORING.GONG_API_USAGE").toString(),
        is("[{JOB_ID=job-1, ENDPOINT=GET /v2/calls, REQUESTS=1}]"));
  }

  @Test
  void aNewUtcDayHasANewBudget() {
    server.enqueue("/v2/workspaces", ok("{\"requestId\":\"w\",\"workspaces\":[]}"),
        ok("{\"requestId\":\"w\",\"workspaces\":[]}"));
    try (HttpGongClient client = client("job-1", 1)) {
      client.workspaces();
      assertThrows(GongApiException.class, client::workspaces);
      clock.advance(Duration.ofHours(12));
      assertThat(client.workspaces(), is(empty()));
    }
    assertThat(keepAlive.gongRequestsOn(DAY), is(1L));
    assertThat(keepAlive.gongRequestsOn(DAY.plusDays(1)), is(1L));
    assertThat(server.requests().size(), greaterThan(1));
  }
}
