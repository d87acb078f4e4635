package com.gongpipeline.gong.sim;

import static com.gongpipeline.gong.sim.SimFixtures.FROM;
import static com.gongpipeline.gong.sim.SimFixtures.TO;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Auth, the two kinds of 404 and the 400 validation rules, over real HTTP. */
class AuthAndErrorsTest {

  /** What peers use to recognise the "empty result" 404 (Estuary's pattern). */
  private static final Pattern EMPTY_404 = Pattern.compile("No .* found .* provided filters");

  @RegisterExtension
  static final RunningSimulator SIM = new RunningSimulator(SimFixtures.config());


  @Test
  void missingCredentialsAre401WithGongErrorBody() throws Exception {
    SimHttp.Response r = new SimHttp(SIM.sim().baseUrl(), null, null).get("/v2/workspaces");
    assertThat(r.status(), is(401));
    assertThat(r.json().path("requestId").asText(), not(emptyString()));
    assertThat(r.json().path("errors").size(), is(1));
  }

  @Test
  void wrongSecretIs401OnEveryV2PathIncludingUnknownOnes() throws Exception {
    SimHttp wrong = new SimHttp(SIM.sim().baseUrl(), "sim-access-key", "nope");
    assertThat(wrong.get("/v2/calls?fromDateTime=2026-01-01T00:00:00Z&toDateTime=2026-01-02T00:00:00Z").status(), is(401));
    assertThat(wrong.post("/v2/calls/transcript", "{\"filter\":{}}").status(), is(401));
    assertThat(wrong.get("/v2/no-such-thing").status(), is(401));
  }

  @Test
  void emptyWindowIsThe404ThatMeansNoRows() throws Exception {
    Instant from = Instant.parse("2025-06-01T00:00:00Z");
    SimHttp.Response r = SIM.http().listCalls(from, from.plusSeconds(3600), null);
    assertThat(r.status(), is(404));
    assertThat(r.firstError(), is("No calls found corresponding to the provided filters"));
    SimHttp.Response t = SIM.http().post("/v2/calls/transcript", SimFixtures.windowBody(from, from.plusSeconds(3600)));
    assertThat(t.status(), is(404));
    assertThat(t.firstError(), matchesPattern(EMPTY_404));
  }

  @Test
  void unknownCallIdsOnlyAreAlsoAnEmpty404() throws Exception {
    SimHttp.Response r = SIM.http().post("/v2/calls/extensive",
        SimFixtures.extensiveBody(List.of("12345678901234567890")));
    assertThat(r.status(), is(404));
    assertThat(r.firstError(), matchesPattern(EMPTY_404));
  }

  @Test
  void unknownCallByIdIsAGenuine404ThatDoesNotLookEmpty() throws Exception {
    SimHttp.Response r = SIM.http().get("/v2/calls/123");
    assertThat(r.status(), is(404));
    assertThat(r.firstError(), is("Call ID 123 was not found"));
    assertThat(EMPTY_404.matcher(r.firstError()).find(), is(false));
  }

  @Test
  void knownCallByIdIsServed() throws Exception {
    String id = SIM.truth().callIds().get(3);
    SimHttp.Response r = SIM.http().get("/v2/calls/" + id);
    assertThat(r.status(), is(200));
    assertThat(r.json().path("call").path("id").asText(), is(id));
  }

  @Test
  void unknownPathIs404WithoutTheNoRowsWording() throws Exception {
    SimHttp.Response r = SIM.http().get("/v2/settings/nope");
    assertThat(r.status(), is(404));
    assertThat(EMPTY_404.matcher(r.firstError()).find(), is(false));
  }

  @Test
  void postToCallsIsTheCreateCallEndpointAndRejectsAListingBody() throws Exception {
    SimHttp.Response r = SIM.http().post("/v2/calls", SimFixtures.windowBody(FROM, TO));
    assertThat(r.status(), is(400));
  }

  @Test
  void emptyCallIdsIs400() throws Exception {
    SimHttp.Response r = SIM.http().post("/v2/calls/transcript", SimFixtures.transcriptBody(List.of()));
    assertThat(r.status(), is(400));
    assertThat(SIM.http().post("/v2/calls/extensive", SimFixtures.extensiveBody(List.of())).status(), is(400));
  }

  @Test
  void moreThanOneHundredCallIdsIs400ButExactlyOneHundredIsFine() throws Exception {
    List<String> ids = new ArrayList<>(SIM.truth().callIds().subList(0, 100));
    assertThat(SIM.http().post("/v2/calls/transcript", SimFixtures.transcriptBody(ids)).status(), is(200));
    ids.add(SIM.truth().callIds().get(100));
    SimHttp.Response r = SIM.http().post("/v2/calls/transcript", SimFixtures.transcriptBody(ids));
    assertThat(r.status(), is(400));
    assertThat(r.firstError(), containsString("100"));
  }

  @Test
  void duplicateCallIdsAre400() throws Exception {
    String id = SIM.truth().callIds().get(0);
    assertThat(SIM.http().post("/v2/calls/extensive", SimFixtures.extensiveBody(List.of(id, id))).status(), is(400));
  }

  @Test
  void fromNotBeforeToIs400OnGetAndPost() throws Exception {
    Instant t = Instant.parse("2026-01-10T00:00:00Z");
    assertThat(SIM.http().listCalls(t, t, null).status(), is(400));
    assertThat(SIM.http().listCalls(t.plusSeconds(1), t, null).status(), is(400));
    SimHttp.Response r = SIM.http().post("/v2/calls/transcript", SimFixtures.windowBody(t, t));
    assertThat(r.status(), is(400));
    assertThat(r.firstError(), containsString("before"));
  }

  @Test
  void malformedDatesAndBodiesAre400() throws Exception {
    assertThat(SIM.http().get("/v2/calls?fromDateTime=yesterday&toDateTime=2026-01-02T00:00:00Z").status(), is(400));
    assertThat(SIM.http().get("/v2/calls?fromDateTime=2026-01-01T00:00:00Z").status(), is(400));
    assertThat(SIM.http().post("/v2/calls/transcript", "{not json").status(), is(400));
    assertThat(SIM.http().post("/v2/calls/transcript", "{}").status(), is(400));
  }

  @Test
  void cursorReusedWithAChangedFilterIs400() throws Exception {
    SimHttp.Response first = SIM.http().listCalls(FROM, TO, null);
    String cursor = first.json().path("records").path("cursor").asText();
    assertThat(SIM.http().listCalls(FROM, TO, cursor).status(), is(200));
    SimHttp.Response changed = SIM.http().listCalls(FROM.plusSeconds(1), TO, cursor);
    assertThat(changed.status(), is(400));
    SimHttp.Response otherEndpoint = SIM.http().post("/v2/calls/transcript",
        SimFixtures.windowBody(FROM, TO).put("cursor", cursor));
    assertThat(otherEndpoint.status(), is(400));
  }

  @Test
  void garbageCursorIs400() throws Exception {
    assertThat(SIM.http().listCalls(FROM, TO, "not-a-cursor!").status(), is(400));
  }
}
