package com.gongpipeline.gong.sim;

import static com.gongpipeline.gong.sim.SimFixtures.FROM;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The runtime call-lifecycle controls: {@code POST /sim/calls/{id}/private} lists the call as
 * private from then on, {@code POST /sim/calls/{id}/delete} removes it from every endpoint and the
 * ground truth, and {@link GongSimulator#failListingsCovering} fails the windows covering an
 * instant (a partial listing).
 */
class CallLifecycleControlTest {
  private static final Instant DAY2 = FROM.plusSeconds(2 * 86400);

  @Test
  void aCallMadePrivateOrDeletedAtRuntimeIsListedThatWay() throws Exception {
    try (GongSimulator sim = GongSimulator.start(SimFixtures.config().build())) {
      SimHttp http = new SimHttp(sim);
      SimHttp anonymous = new SimHttp(sim.baseUrl(), null, null);
      List<JsonNode> before = calls(http);
      String hidden = null;
      for (JsonNode c : before) {
        if (!c.path("isPrivate").asBoolean()) {
          hidden = hidden == null ? c.path("id").asText() : hidden;
        }
      }
      String gone = before.get(before.size() - 1).path("id").asText();

      assertThat(anonymous.post("/sim/calls/" + hidden + "/private", "").status(), is(200));
      assertThat(anonymous.post("/sim/calls/" + gone + "/delete", "").status(), is(200));
      assertThat(anonymous.post("/sim/calls/999/delete", "").status(), is(404));

      List<JsonNode> after = calls(http);
      assertThat(after.size(), is(before.size() - 1));
      List<String> ids = new ArrayList<>();
      for (JsonNode c : after) {
        ids.add(c.path("id").asText());
        if (c.path("id").asText().equals(hidden)) {
          assertThat(c.path("isPrivate").asBoolean(), is(true));
        }
      }
      assertThat(ids, hasItem(hidden));
      assertThat(ids, not(hasItem(gone)));
      assertThat(http.get("/v2/calls/" + gone).status(), is(404));
      List<String> truth = new ArrayList<>();
      sim.groundTruth(FROM, DAY2).calls().forEach(c -> truth.add(c.callId()));
      assertThat(truth, not(hasItem(gone)));

      sim.failListingsCovering(FROM.plusSeconds(3600));
      assertThat(http.listCalls(FROM, FROM.plusSeconds(86400), null).status(), is(503));
      assertThat(http.listCalls(FROM.plusSeconds(86400), DAY2, null).status(), is(200));
      sim.failListingsCovering(null);
      assertThat(http.listCalls(FROM, FROM.plusSeconds(86400), null).status(), is(200));
    }
  }

  private static List<JsonNode> calls(SimHttp http) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (SimHttp.Response page : SimHttp.allPages(c -> http.listCalls(FROM, DAY2, c))) {
      page.json().path("calls").forEach(out::add);
    }
    return out;
  }
}
