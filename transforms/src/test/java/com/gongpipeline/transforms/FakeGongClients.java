package com.gongpipeline.transforms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.gongpipeline.errors.FailureKind;
import com.gongpipeline.errors.PipelineException;
import com.gongpipeline.gong.GongClient;
import com.gongpipeline.gong.GongClientFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * An in-memory {@link GongClient} behind a serializable {@link GongClientFactory}, for running
 * {@code GongIO} transforms without an HTTP server. The script is plain serializable data; what
 * the fake was asked is counted in static maps keyed by the factory's {@code name} (DoFns are
 * serialized, so instance state would not come back to the test).
 */
final class FakeGongClients implements GongClientFactory {
  private static final long serialVersionUID = 1L;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, AtomicInteger> COUNTS = new ConcurrentHashMap<>();

  private final String name;
  /** Sub-window start (ISO instant) to the call ids listed there. */
  private final HashMap<String, ArrayList<String>> listings = new HashMap<>();
  /** Sub-window start to the kind its listing fails with. */
  private final HashMap<String, FailureKind> listingFailures = new HashMap<>();
  /** Call ids with a spoken transcript (others get Gong's positive empty one: {@code []}). */
  private final HashMap<String, Boolean> withTranscript = new HashMap<>();
  /** Call id to how many transcript requests leave it out (MAX_VALUE: never sent). */
  private final HashMap<String, Integer> transcriptLag = new HashMap<>();
  /** Call ids whose transcript entry carries no {@code transcript} array. */
  private final HashMap<String, Boolean> transcriptNotArray = new HashMap<>();
  /** Call id to how many details requests miss it before it appears (MAX_VALUE: never). */
  private final HashMap<String, Integer> detailsLag = new HashMap<>();
  /** Call id whose details request fails (the whole request) with this kind. */
  private final HashMap<String, FailureKind> detailsFailures = new HashMap<>();

  /** How long each request takes (0: instant); long enough to overlap if two workers ask. */
  private long requestMillis;

  FakeGongClients(String name) {
    this.name = name;
    COUNTS.keySet().removeIf(k -> k.startsWith(name + "/"));
  }

  FakeGongClients listing(Instant from, String... ids) {
    listings.put(from.toString(), new ArrayList<>(List.of(ids)));
    return this;
  }

  FakeGongClients failListing(Instant from, FailureKind kind) {
    listingFailures.put(from.toString(), kind);
    return this;
  }

  FakeGongClients transcript(String id) {
    withTranscript.put(id, true);
    return this;
  }

  /** The call's transcript entry is left out of the next {@code missedRequests} responses. */
  FakeGongClients transcriptLag(String id, int missedRequests) {
    transcriptLag.put(id, missedRequests);
    return this;
  }

  /** The call's transcript entry comes with {@code "transcript": null}. */
  FakeGongClients transcriptNotArray(String id) {
    transcriptNotArray.put(id, true);
    return this;
  }

  FakeGongClients detailsLag(String id, int missedRequests) {
    detailsLag.put(id, missedRequests);
    return this;
  }

  /** Every request takes this long; {@code "maxInFlight"} counts the most requests at once. */
  FakeGongClients requestMillis(long millis) {
    this.requestMillis = millis;
    return this;
  }

  /** Marks a request in flight (for {@code "maxInFlight"}) for {@link #requestMillis}. */
  private void request(Runnable body) {
    AtomicInteger inFlight = COUNTS.computeIfAbsent(name + "/inFlight", k -> new AtomicInteger());
    int now = inFlight.incrementAndGet();
    COUNTS.computeIfAbsent(name + "/maxInFlight", k -> new AtomicInteger())
        .accumulateAndGet(now, Math::max);
    try {
      if (requestMillis > 0) {
        Thread.sleep(requestMillis);
      }
      body.run();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      inFlight.decrementAndGet();
    }
  }

  FakeGongClients failDetails(String id, FailureKind kind) {
    detailsFailures.put(id, kind);
    return this;
  }

  /**
   * How often {@code what} happened (e.g. {@code "extensive/c3"}, {@code "created"}, {@code
   * "closed"}); {@code "requests/extensive"} and {@code "requests/transcripts"} count requests, and
   * {@code "maxIds/extensive"} is the most ids one details request carried.
   */
  static int count(String name, String what) {
    AtomicInteger n = COUNTS.get(name + "/" + what);
    return n == null ? 0 : n.get();
  }

  private int inc(String what) {
    return COUNTS.computeIfAbsent(name + "/" + what, k -> new AtomicInteger()).incrementAndGet();
  }

  @Override
  public GongClient create() {
    inc("created");
    return new GongClient() {
      @Override
      public void listCalls(Instant from, Instant to, Consumer<List<JsonNode>> pageConsumer) {
        request(() -> {});
        FailureKind failure = listingFailures.get(from.toString());
        if (failure != null) {
          throw new PipelineException(failure, "fake: listing " + from + " fails with " + failure);
        }
        List<JsonNode> page = new ArrayList<>();
        for (String id : listings.getOrDefault(from.toString(), new ArrayList<>())) {
          // "" stands for a listed call without an id.
          page.add(id.isEmpty() ? JSON.createObjectNode().put("title", "no id")
              : JSON.createObjectNode().put("id", id));
        }
        pageConsumer.accept(page);
      }

      @Override
      public List<JsonNode> callsExtensive(List<String> callIds) {
        request(() -> {});
        inc("requests/extensive");
        COUNTS.computeIfAbsent(name + "/maxIds/extensive", k -> new AtomicInteger())
            .accumulateAndGet(callIds.size(), Math::max);
        for (String id : callIds) {
          FailureKind failure = detailsFailures.get(id);
          if (failure != null) {
            throw new PipelineException(failure, "fake: details of " + id + " fail with " + failure);
          }
        }
        List<JsonNode> out = new ArrayList<>();
        for (String id : callIds) {
          int asked = inc("extensive/" + id);
          if (asked > detailsLag.getOrDefault(id, 0)) {
            ObjectNode call = JSON.createObjectNode();
            call.putObject("metaData").put("id", id).put("title", "Call " + id);
            out.add(call);
          }
        }
        return out;
      }

      @Override
      public List<JsonNode> transcripts(List<String> callIds) {
        request(() -> {});
        inc("requests/transcripts");
        List<JsonNode> out = new ArrayList<>();
        for (String id : callIds) {
          int asked = inc("transcripts/" + id);
          if (asked <= transcriptLag.getOrDefault(id, 0)) {
            continue;
          }
          ObjectNode t = JSON.createObjectNode().put("callId", id);
          if (transcriptNotArray.containsKey(id)) {
            t.putNull("transcript");
          } else if (withTranscript.containsKey(id)) {
            t.putArray("transcript").addObject().put("speakerId", "s-" + id);
          } else {
            t.putArray("transcript");
          }
          out.add(t);
        }
        return out;
      }

      @Override
      public void listUsers(Consumer<List<JsonNode>> pageConsumer) {
        request(() -> inc("requests/users"));
        pageConsumer.accept(List.of());
      }

      @Override
      public List<JsonNode> workspaces() {
        request(() -> inc("requests/workspaces"));
        return List.of();
      }

      @Override
      public void close() {
        inc("closed");
      }
    };
  }

  @Override
  public String toString() {
    return "FakeGongClients(" + name + ", listings " + listings.keySet() + ")";
  }
}
