package com.gongpipeline.gong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.api.client.http.HttpTransport;
import com.google.api.client.util.Sleeper;
import com.google.common.util.concurrent.RateLimiter;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Consumer;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Production {@link GongClient} over HTTP (google-http-client + Jackson).
 *
 * <p>DoFns get it through a {@link GongClientFactory} ({@link GongClientFactory#http}, the default of
 * {@code GongIO}), calling {@code create()} in {@code @Setup} and closing the client in
 * {@code @Teardown}; it is thread-safe. What it does for every request:
 *
 * <ul>
 *   <li>Basic auth from {@link GongCredentials} (resolved once, here, on the worker).
 *   <li>Asks the daily {@link GongRequestBudget} before every attempt (retries included) and
 *       fails with {@code BUDGET_EXHAUSTED} instead of sending when it is spent.
 *   <li>Waits for the JVM-wide rate limiter of this (baseUrl, access key) before every attempt,
 *       retries included.
 *   <li>Retries 429 (honouring Retry-After up to {@code maxRetryAfter}), 5xx, timeouts, resets and
 *       malformed 2xx bodies with capped exponential back-off and jitter, up to {@code maxAttempts},
 *       through the pipeline's one retry loop ({@link GongRetryPolicy} configures {@code
 *       errors.RetryPolicy}); fails fast on 401/403.
 *   <li>Follows {@code records.cursor} until it is absent; on "cursor has expired" restarts the
 *       sequence from page 1 (at most {@code cursorExpiryRestarts} times) and never hands the same
 *       item id to the consumer twice within one sequence.
 *   <li>Treats "No … found corresponding to the provided filters" 404s as empty results.
 * </ul>
 *
 * <pre>{@code
 * class FetchTranscriptsFn extends DoFn<List<String>, JsonNode> {
 *   private final GongClientFactory clients;         // Serializable, travels with the graph
 *   private transient GongClient client;             // built on the worker
 *   @Setup public void setup() { client = clients.create(); }
 *   @ProcessElement public void process(@Element List<String> ids, OutputReceiver<JsonNode> out)
 *       { client.transcripts(ids).forEach(out::output); }
 *   @Teardown public void teardown() { if (client != null) client.close(); }
 * }
 * }</pre>
 *
 * <p>Items are returned as Gong sent them (unknown fields kept), except that private calls are
 * dropped from {@link #listCalls} and {@link #callsExtensive} unless {@code includePrivateCalls}.
 * {@link #transcripts} cannot see the private flag; callers should only ask for call ids that came
 * from one of those two methods.
 */
public final class HttpGongClient implements GongClient {

  private static final Logger LOG = LoggerFactory.getLogger(HttpGongClient.class);
  private static final HttpTransport DEFAULT_TRANSPORT = newTransport();

  /** Every request on the wire is one the limiter and the ledger let through (no silent re-send). */
  private static HttpTransport newTransport() {
    return new OneShotHttpTransport();
  }

  private final GongClientConfig config;
  private final StatsRecorder stats = new StatsRecorder();
  private final GongPageFetcher fetcher;
  private final GongRequestBudget budget;
  private volatile boolean closed;

  /** A client with the default transport, a real sleeper and the JVM-shared rate limiter. */
  public HttpGongClient(GongClientConfig config) {
    this(builder(config));
  }

  private HttpGongClient(Builder b) {
    this.config = b.config;
    this.budget = b.budget;
    String[] keyAndSecret = config.credentials().resolve();
    RateLimiter rateLimiter =
        b.rateLimiter != null
            ? b.rateLimiter
            : SharedRateLimiters.forTenant(
                config.baseUrl(), keyAndSecret[0], config.requestsPerSecond());
    this.fetcher =
        new GongPageFetcher(
            config,
            b.transport.createRequestFactory(),
            GongRetryPolicy.create(config, beamSleeper(b.sleeper), stats),
            b.clock,
            rateLimiter,
            GongCredentials.basicHeader(keyAndSecret[0], keyAndSecret[1]),
            stats,
            budget);
  }

  /** The builder's google-http-client sleeper as the Beam sleeper {@code RetryPolicy} takes. */
  private static org.apache.beam.sdk.util.Sleeper beamSleeper(Sleeper sleeper) {
    return sleeper::sleep;
  }

  /** Starts a builder, for injecting a transport, sleeper, clock or rate limiter (tests, sims). */
  public static Builder builder(GongClientConfig config) {
    return new Builder(config);
  }

  /** The configuration this client was built from. */
  public GongClientConfig config() {
    return config;
  }

  /** What this client has done so far. */
  public GongClientStats stats() {
    return stats.snapshot();
  }

  @Override
  public void listCalls(Instant from, Instant to, Consumer<List<JsonNode>> pageConsumer) {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(pageConsumer, "pageConsumer");
    if (!from.isBefore(to)) {
      throw new IllegalArgumentException(
          "listCalls needs from < to (Gong rejects it otherwise), got from=" + from + " to=" + to);
    }
    paginate(GongRequest.get(GongEndpoint.CALLS, callsQuery(from, to)), pageConsumer);
  }

  /**
   * The first page only of {@code GET /v2/calls} over {@code [from, to)}: one request (plus its
   * retries), for {@code check}. Private calls are dropped as in {@link #listCalls}; an empty
   * window ("No calls found …") is an empty list.
   */
  public List<JsonNode> firstCallsPage(Instant from, Instant to) {
    if (!from.isBefore(to)) {
      throw new IllegalArgumentException("firstCallsPage needs from < to, got " + from + ", " + to);
    }
    JsonNode page = fetcher.fetch(GongRequest.get(GongEndpoint.CALLS, callsQuery(from, to)), null);
    return page == null ? List.of() : newItems(GongEndpoint.CALLS, page, new HashSet<>());
  }

  /** {@code GET /v2/calls}'s window filter: {@code [from, to)} as Gong's ISO instants. */
  private static Map<String, String> callsQuery(Instant from, Instant to) {
    Map<String, String> query = new LinkedHashMap<>();
    query.put("fromDateTime", GongJson.formatInstant(from));
    query.put("toDateTime", GongJson.formatInstant(to));
    return query;
  }

  @Override
  public OptionalLong estimateCalls(Instant from, Instant to) {
    if (!from.isBefore(to)) {
      throw new IllegalArgumentException("estimateCalls needs from < to, got " + from + ", " + to);
    }
    JsonNode page = fetcher.fetch(GongRequest.get(GongEndpoint.CALLS, callsQuery(from, to)), null);
    if (page == null) {
      return OptionalLong.of(0); // "No calls found corresponding to the provided filters"
    }
    JsonNode total = page.path("records").path("totalRecords");
    return total.isIntegralNumber() && total.asLong() >= 0 ? OptionalLong.of(total.asLong())
        : OptionalLong.empty();
  }

  @Override
  public List<JsonNode> callsExtensive(List<String> callIds) {
    List<JsonNode> out = new ArrayList<>();
    for (List<String> batch : CallIdBatches.split(callIds, config.maxCallIdsPerRequest())) {
      paginate(GongRequest.post(GongEndpoint.CALLS_EXTENSIVE, extensiveBody(batch)), out::addAll);
    }
    return out;
  }

  @Override
  public List<JsonNode> transcripts(List<String> callIds) {
    List<JsonNode> out = new ArrayList<>();
    for (List<String> batch : CallIdBatches.split(callIds, config.maxCallIdsPerRequest())) {
      ObjectNode body = mapper().createObjectNode();
      body.putObject("filter").set("callIds", idArray(batch));
      paginate(GongRequest.post(GongEndpoint.CALLS_TRANSCRIPT, body), out::addAll);
    }
    return out;
  }

  @Override
  public void listUsers(Consumer<List<JsonNode>> pageConsumer) {
    Objects.requireNonNull(pageConsumer, "pageConsumer");
    paginate(GongRequest.get(GongEndpoint.USERS, Map.of()), pageConsumer);
  }

  @Override
  public List<JsonNode> workspaces() {
    List<JsonNode> out = new ArrayList<>();
    paginate(GongRequest.get(GongEndpoint.WORKSPACES, Map.of()), out::addAll);
    return out;
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      budget.close();
    }
  }

  /**
   * The documented body: parties, Extended CRM context at Now and TimeOfCall, content topics, brief,
   * outline, highlights, call outcome, key points, points of interest (action items), trackers with
   * their occurrences, and interaction speakers, the host's stats and question counts.
   */
  static ObjectNode extensiveBody(List<String> callIds) {
    ObjectNode body = mapper().createObjectNode();
    body.putObject("filter").set("callIds", idArray(callIds));
    ObjectNode selector = body.putObject("contentSelector");
    selector.put("context", "Extended");
    selector.putArray("contextTiming").add("Now").add("TimeOfCall");
    ObjectNode exposed = selector.putObject("exposedFields");
    exposed.put("parties", true);
    ObjectNode content = exposed.putObject("content");
    content.put("topics", true);
    content.put("brief", true);
    content.put("outline", true);
    content.put("highlights", true);
    content.put("callOutcome", true);
    content.put("keyPoints", true);
    content.put("pointsOfInterest", true);
    content.put("trackers", true);
    content.put("trackerOccurrences", true);
    exposed.putObject("interaction").put("speakers", true).put("personInteractionStats", true)
        .put("questions", true);
    return body;
  }

  private static ArrayNode idArray(List<String> ids) {
    ArrayNode array = mapper().createArrayNode();
    ids.forEach(array::add);
    return array;
  }

  private static ObjectMapper mapper() {
    return GongJson.mapper();
  }

  /**
   * Runs one pagination sequence to its end, handing each page's new items to the consumer;
   * restarts from page 1 when the cursor expires.
   */
  private void paginate(GongRequest request, Consumer<List<JsonNode>> consumer) {
    if (closed) {
      throw new IllegalStateException("HttpGongClient is closed");
    }
    GongEndpoint endpoint = request.endpoint();
    Set<String> seenIds = new HashSet<>();
    int restarts = 0;
    while (true) {
      try {
        String cursor = null;
        do {
          JsonNode page = fetcher.fetch(request, cursor);
          if (page == null) {
            return; // "No … found corresponding to the provided filters"
          }
          List<JsonNode> fresh = newItems(endpoint, page, seenIds);
          if (!fresh.isEmpty()) {
            consumer.accept(fresh);
          }
          String next = GongJson.text(GongJson.at(page, "records"), "cursor");
          next = next == null || next.isBlank() ? null : next;
          if (next != null && next.equals(cursor)) {
            throw new GongApiException(
                GongApiException.Kind.MALFORMED_RESPONSE,
                endpoint.describe(),
                200,
                GongJson.text(page, "requestId"),
                List.of(),
                1,
                null,
                "Gong returned the cursor it was sent; stopping to avoid an endless loop",
                null);
          }
          cursor = next;
        } while (cursor != null);
        return;
      } catch (GongApiException e) {
        if (e.gongKind() != GongApiException.Kind.CURSOR_EXPIRED) {
          throw e;
        }
        if (restarts >= config.cursorExpiryRestarts()) {
          throw new GongApiException(
              GongApiException.Kind.CURSOR_EXPIRED,
              e.endpoint(),
              e.httpStatus(),
              e.requestId(),
              e.errors(),
              e.attempts(),
              null,
              "cursor still expiring after "
                  + restarts
                  + " restart(s) of the sequence (cursorExpiryRestarts="
                  + config.cursorExpiryRestarts()
                  + "); use a smaller window",
              e);
        }
        restarts++;
        stats.cursorRestart();
        LOG.warn(
            "Gong {}: cursor expired (requestId={}); restarting the sequence from page 1 ({} of {})",
            endpoint.describe(),
            e.requestId(),
            restarts,
            config.cursorExpiryRestarts());
      }
    }
  }

  /** The page's items minus private calls (unless kept) and ids already handed over. */
  private List<JsonNode> newItems(GongEndpoint endpoint, JsonNode page, Set<String> seenIds) {
    JsonNode items = page.get(endpoint.itemsField());
    if (items == null || items.isNull()) {
      return List.of();
    }
    if (!items.isArray()) {
      throw new GongApiException(
          GongApiException.Kind.MALFORMED_RESPONSE,
          endpoint.describe(),
          200,
          GongJson.text(page, "requestId"),
          List.of(),
          1,
          null,
          "'" + endpoint.itemsField() + "' is not an array",
          null);
    }
    String privatePath = privateFlagPath(endpoint);
    List<JsonNode> out = new ArrayList<>(items.size());
    for (JsonNode item : items) {
      if (privatePath != null && !config.includePrivateCalls()) {
        JsonNode flag = GongJson.at(item, privatePath);
        if (flag != null && flag.asBoolean(false)) {
          stats.privateCallSkipped();
          continue;
        }
      }
      String id = GongJson.text(item, endpoint.idPath());
      if (id != null && !seenIds.add(id)) {
        continue;
      }
      out.add(item);
    }
    return out;
  }

  private static @Nullable String privateFlagPath(GongEndpoint endpoint) {
    switch (endpoint) {
      case CALLS:
        return "isPrivate";
      case CALLS_EXTENSIVE:
        return "metaData.isPrivate";
      default:
        return null;
    }
  }

  /** Injection points for tests and the simulator; production uses {@link #HttpGongClient(GongClientConfig)}. */
  public static final class Builder {
    private final GongClientConfig config;
    private HttpTransport transport = DEFAULT_TRANSPORT;
    private Sleeper sleeper = Sleeper.DEFAULT;
    private Clock clock = Clock.systemUTC();
    private @Nullable RateLimiter rateLimiter;
    private GongRequestBudget budget = GongRequestBudget.UNLIMITED;

    private Builder(GongClientConfig config) {
      this.config = Objects.requireNonNull(config, "config");
    }

    /** Default: a shared {@link OneShotHttpTransport} (no silent re-sends). */
    public Builder transport(HttpTransport transport) {
      this.transport = Objects.requireNonNull(transport, "transport");
      return this;
    }

    /** Default: {@link Sleeper#DEFAULT} (real sleeping); tests inject a recording fake. */
    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
      return this;
    }

    /** Used only to turn an HTTP-date Retry-After into a wait. Default: system UTC. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Overrides the JVM-shared limiter for this (baseUrl, access key); for tests only, since a
     * private limiter does not share the tenant's budget with other clients.
     */
    public Builder rateLimiter(RateLimiter rateLimiter) {
      this.rateLimiter = Objects.requireNonNull(rateLimiter, "rateLimiter");
      return this;
    }

    /**
     * The daily request budget asked before every HTTP execution (closed with the client).
     * Default: {@link GongRequestBudget#UNLIMITED}.
     */
    public Builder budget(GongRequestBudget budget) {
      this.budget = Objects.requireNonNull(budget, "budget");
      return this;
    }

    public HttpGongClient build() {
      return new HttpGongClient(this);
    }
  }
}
