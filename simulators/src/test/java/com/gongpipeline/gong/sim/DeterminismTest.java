package com.gongpipeline.gong.sim;

import static com.gongpipeline.gong.sim.SimFixtures.FROM;
import static com.gongpipeline.gong.sim.SimFixtures.TO;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Same seed, same data: ground truth and wire responses are identical modulo volatile fields. */
class DeterminismTest {

  @Test
  void sameSeedGivesTheSameGroundTruthAndTranscriptJson() throws Exception {
    try (GongSimulator a = GongSimulator.start(SimFixtures.config().build());
        GongSimulator b = GongSimulator.start(SimFixtures.config().build())) {
      assertThat(a.groundTruth(FROM, TO), is(b.groundTruth(FROM, TO)));
      assertThat(stripped(transcripts(a)), is(stripped(transcripts(b))));
    }
  }

  @Test
  void sameSeedGivesTheSameExtensiveJsonExceptRequestIdAndMediaUrls() throws Exception {
    try (GongSimulator a = GongSimulator.start(SimFixtures.config().build());
        GongSimulator b = GongSimulator.start(SimFixtures.config().build())) {
      List<String> ids = a.groundTruth(FROM, TO).callIds().subList(0, 17);
      ObjectNode body = SimFixtures.extensiveBody(ids);
      ((ObjectNode) body.path("contentSelector").path("exposedFields")).put("media", true);
      JsonNode fromA = new SimHttp(a).post("/v2/calls/extensive", body).json();
      JsonNode fromB = new SimHttp(b).post("/v2/calls/extensive", body).json();
      assertThat(fromA.path("calls").path(0).path("media").path("audioUrl"),
          not(fromB.path("calls").path(0).path("media").path("audioUrl")));
      fromA.path("calls").forEach(c -> ((ObjectNode) c).remove("media"));
      fromB.path("calls").forEach(c -> ((ObjectNode) c).remove("media"));
      assertThat(stripped(fromA), is(stripped(fromB)));
    }
  }

  @Test
  void aDifferentSeedGivesDifferentCalls() throws Exception {
    try (GongSimulator a = GongSimulator.start(SimFixtures.config().build());
        GongSimulator b = GongSimulator.start(SimFixtures.config().seed(43).build())) {
      GroundTruth ta = a.groundTruth(FROM, TO);
      GroundTruth tb = b.groundTruth(FROM, TO);
      assertThat(ta.callIds().get(0), not(tb.callIds().get(0)));
      assertThat(ta.calls().get(0).monologues(), not(tb.calls().get(0).monologues()));
    }
  }

  @Test
  void groundTruthServedOverHttpRoundTripsToTheSameRecord() throws Exception {
    try (GongSimulator sim = GongSimulator.start(SimFixtures.config().calls(60).build())) {
      String json = new SimHttp(sim).get("/sim/ground-truth").body();
      GroundTruth parsed = SimHttp.JSON.readValue(json, GroundTruth.class);
      assertThat(parsed, is(sim.groundTruth()));
      assertThat(SimHttp.JSON.readTree(json).path("calls").path(0).has("isPrivate"), is(true));
    }
  }

  private static JsonNode transcripts(GongSimulator sim) throws Exception {
    return new SimHttp(sim).post("/v2/calls/transcript", SimFixtures.windowBody(FROM, TO)).json();
  }

  private static String stripped(JsonNode response) {
    ((ObjectNode) response).remove("requestId");
    return response.toString();
  }
}
