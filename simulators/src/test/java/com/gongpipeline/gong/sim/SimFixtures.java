package com.gongpipeline.gong.sim;

import com.gongpipeline.testing.MutableClock;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Collection;

/** Shared test set-up: a fixed January 2026 catalogue, observed on 1 February, no rate limit. */
final class SimFixtures {

  static final Instant FROM = Instant.parse("2026-01-01T00:00:00Z");
  static final Instant TO = Instant.parse("2026-01-31T00:00:00Z");
  static final Instant NOW = Instant.parse("2026-02-01T00:00:00Z");

  private SimFixtures() {}

  /** 120 calls over January, clock at {@link #NOW}, rate limit off; tweak further as needed. */
  static SimulatorConfig.Builder config() {
    return SimulatorConfig.builder().seed(42).calls(120).callsFrom(FROM).callsTo(TO)
        .requestsPerSecond(0).clock(new MutableClock(NOW));
  }

  /** A {@code /v2/calls/transcript} body for these ids. */
  static ObjectNode transcriptBody(Collection<String> callIds) {
    ObjectNode body = SimHttp.JSON.createObjectNode();
    ArrayNode ids = body.putObject("filter").putArray("callIds");
    callIds.forEach(ids::add);
    return body;
  }

  /** A {@code /v2/calls/extensive} body asking for everything the pipeline uses. */
  static ObjectNode extensiveBody(Collection<String> callIds) {
    ObjectNode body = transcriptBody(callIds);
    ObjectNode selector = body.putObject("contentSelector");
    selector.put("context", "Extended");
    selector.putArray("contextTiming").add("Now").add("TimeOfCall");
    ObjectNode exposed = selector.putObject("exposedFields");
    exposed.put("parties", true);
    exposed.putObject("content").put("topics", true).put("brief", true).put("outline", true)
        .put("highlights", true).put("callOutcome", true).put("keyPoints", true)
        .put("pointsOfInterest", true).put("trackers", true).put("trackerOccurrences", true);
    exposed.putObject("interaction").put("speakers", true).put("personInteractionStats", true)
        .put("questions", true);
    return body;
  }

  /** A date-window filter body for extensive/transcript. */
  static ObjectNode windowBody(Instant from, Instant to) {
    ObjectNode body = SimHttp.JSON.createObjectNode();
    body.putObject("filter").put("fromDateTime", from.toString()).put("toDateTime", to.toString());
    return body;
  }
}
