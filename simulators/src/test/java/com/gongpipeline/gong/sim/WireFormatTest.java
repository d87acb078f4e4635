package com.gongpipeline.gong.sim;

import static com.gongpipeline.gong.sim.SimFixtures.FROM;
import static com.gongpipeline.gong.sim.SimFixtures.TO;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Field names, types and formats match Gong's v2 spec; the content selector is honoured. */
class WireFormatTest {

  private static final String OFFSET_TIME =
      "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{3})?[+-]\\d{2}:\\d{2}";

  @RegisterExtension
  static final RunningSimulator SIM = new RunningSimulator(SimFixtures.config());

  private static List<JsonNode> listed;

  @BeforeAll
  static void start() throws Exception {
    listed = SimHttp.flatMapPages(SimHttp.allPages(c -> SIM.http().listCalls(FROM, TO, c)), "calls", n -> n);
  }

  @Test
  void startedAndScheduledCarryVaryingNumericOffsetsAndSometimesMillis() {
    List<String> started = listed.stream().map(c -> c.path("started").asText()).toList();
    assertThat(started, everyItem(matchesPattern(OFFSET_TIME)));
    Set<String> offsets = started.stream().map(s -> s.substring(s.length() - 6)).collect(Collectors.toSet());
    assertThat(offsets.size(), greaterThanOrEqualTo(3));
    assertThat(started.stream().filter(s -> s.contains(".")).count(), greaterThan(0L));
    listed.stream().map(c -> c.path("scheduled")).filter(n -> !n.isNull())
        .forEach(n -> assertThat(n.asText(), matchesPattern(OFFSET_TIME)));
    for (int i = 0; i < listed.size(); i++) {
      assertThat(OffsetDateTime.parse(started.get(i)).toInstant(), is(SIM.truth().calls().get(i).started()));
    }
  }

  @Test
  void idsAreJsonStringsEverywhere() throws Exception {
    for (JsonNode c : listed) {
      assertThat(c.get("id").isTextual() && c.get("primaryUserId").isTextual()
          && c.get("workspaceId").isTextual(), is(true));
      assertThat(c.get("id").asText(), matchesPattern("\\d{19,20}"));
    }
    JsonNode call = extensive(SimFixtures.extensiveBody(SIM.truth().callIds().subList(0, 5))).get(0);
    for (JsonNode p : call.path("parties")) {
      assertThat(p.get("id").isTextual(), is(true));
      assertThat(p.get("id").asText(), matchesPattern("\\d{15,19}"));
      assertThat(p.get("speakerId").isTextual() || p.get("speakerId").isNull(), is(true));
    }
    JsonNode users = SIM.http().get("/v2/users").json().path("users");
    users.forEach(u -> assertThat(u.get("id").asText(), matchesPattern("\\d{15,19}")));
  }

  @Test
  void extensiveCallsPutTheIdUnderMetaDataAndReturnOnlyWhatWasSelected() throws Exception {
    List<String> ids = SIM.truth().callIds().subList(0, 3);
    ObjectNode bare = SimFixtures.transcriptBody(ids);
    List<JsonNode> calls = extensive(bare);
    assertThat(calls.stream().map(c -> c.path("metaData").path("id").asText()).toList(), is(ids));
    for (JsonNode c : calls) {
      assertThat(c.has("id"), is(false));
      assertThat(c.has("context") || c.has("parties") || c.has("content") || c.has("media"), is(false));
    }
  }

  @Test
  void extendedContextCarriesCrmFieldValuesPerTiming() throws Exception {
    String id = SIM.truth().callIds().get(0);
    JsonNode context = extensive(SimFixtures.extensiveBody(List.of(id))).get(0).path("context").path(0);
    GroundTruth.Call expected = SIM.truth().call(id);
    String system = expected.salesforceAccountId() != null ? "Salesforce" : "HubSpot";
    assertThat(context.path("system").asText(), is(system));
    List<String> timings = new ArrayList<>();
    Set<String> fieldNames = new HashSet<>();
    for (JsonNode o : context.path("objects")) {
      timings.add(o.path("timing").asText());
      o.path("fields").forEach(f -> fieldNames.add(f.path("name").asText()));
      if (o.path("objectType").asText().equals("Account")) {
        assertThat(o.path("fields").path(0).path("value").asText(), is(expected.accountName()));
      }
    }
    assertThat(Set.copyOf(timings), is(Set.of("Now", "TimeOfCall")));
    assertThat(fieldNames.containsAll(Set.of("Name", "Website", "Industry", "StageName", "Amount",
        "CloseDate")), is(true));
  }

  @Test
  void basicContextHasLinksWithoutFieldValues() throws Exception {
    ObjectNode body = SimFixtures.extensiveBody(SIM.truth().callIds().subList(0, 1));
    ((ObjectNode) body.path("contentSelector")).put("context", "Basic");
    JsonNode call = extensive(body).get(0);
    call.path("context").path(0).path("objects").forEach(o -> {
      assertThat(o.has("fields"), is(false));
      assertThat(o.path("objectId").asText(), not(""));
    });
  }

  @Test
  void partiesJoinToUsersAndAccountDomains() throws Exception {
    Set<String> userIds = SIM.truth().users().stream().map(GroundTruth.User::id).collect(Collectors.toSet());
    for (JsonNode call : extensive(SimFixtures.extensiveBody(SIM.truth().callIds().subList(10, 27)))) {
      for (JsonNode p : call.path("parties")) {
        switch (p.path("affiliation").asText()) {
          case "Internal" -> {
            assertThat(userIds.contains(p.path("userId").asText()), is(true));
            assertThat(p.path("emailAddress").asText(), containsString("@lumenary.io"));
          }
          case "External" -> assertThat(p.path("emailAddress").asText(), not(containsString("lumenary")));
          default -> assertThat(p.path("affiliation").asText(), is("Unknown"));
        }
      }
    }
  }

  @Test
  void contentTopicsBriefAndSpeakersMatchTheGroundTruth() throws Exception {
    GroundTruth.Call expected = SIM.truth().calls().stream().filter(c -> c.topics().contains("Competition")
        && c.language().equals("eng") && !c.intelligence().gongAiSilent()).findFirst().orElseThrow();
    JsonNode call = extensive(SimFixtures.extensiveBody(List.of(expected.callId()))).get(0);
    List<String> topics = new ArrayList<>();
    call.path("content").path("topics").forEach(t -> topics.add(t.path("name").asText()));
    assertThat(topics, is(expected.topics()));
    assertThat(call.path("content").path("brief").asText(), containsString(expected.facts().get("competitor")));
    String transcriptText = expected.monologues().stream().flatMap(m -> m.texts().stream())
        .collect(Collectors.joining(" "));
    assertThat(transcriptText, containsString(expected.facts().get("competitor")));
    assertThat(call.path("interaction").path("speakers").size(), greaterThan(1));
    call.path("interaction").path("speakers").forEach(s ->
        assertThat(s.path("talkTime").isNumber(), is(true)));
  }

  @Test
  void mediaUrlsAreOnlySentOnRequestAndChangeEveryTime() throws Exception {
    ObjectNode body = SimFixtures.extensiveBody(SIM.truth().callIds().subList(0, 1));
    assertThat(extensive(body).get(0).has("media"), is(false));
    ((ObjectNode) body.path("contentSelector").path("exposedFields")).put("media", true);
    String first = extensive(body).get(0).path("media").path("audioUrl").asText();
    String second = extensive(body).get(0).path("media").path("audioUrl").asText();
    assertThat(first, startsWith("https://"));
    assertThat(first, containsString("X-Amz-Expires=28799"));
    assertThat(first, not(second));
  }

  @Test
  void sentenceTimesAreIncreasingIntegerMilliseconds() throws Exception {
    JsonNode transcripts = SIM.http().post("/v2/calls/transcript",
        SimFixtures.transcriptBody(SIM.truth().callIds().subList(0, 13))).json().path("callTranscripts");
    assertThat(transcripts.size(), is(13));
    for (JsonNode t : transcripts) {
      long previousStart = -1;
      for (JsonNode m : t.path("transcript")) {
        assertThat(m.has("topic"), is(true));
        for (JsonNode s : m.path("sentences")) {
          assertThat(s.get("start").isIntegralNumber() && s.get("end").isIntegralNumber(), is(true));
          assertThat(s.get("start").asLong(), greaterThan(previousStart));
          assertThat(s.get("end").asLong(), greaterThan(s.get("start").asLong()));
          previousStart = s.get("start").asLong();
        }
      }
    }
  }

  @Test
  void requestTimesAcceptOffsetsAndFractionalSeconds() throws Exception {
    String viaOffset = "/v2/calls?fromDateTime=" + SimHttp.enc("2026-01-01T01:00:00+01:00")
        + "&toDateTime=" + SimHttp.enc("2026-01-09T19:30:00.000-04:30");
    Instant to = Instant.parse("2026-01-10T00:00:00Z");
    List<String> a = ids(SIM.http().get(viaOffset).json());
    List<String> b = ids(SIM.http().listCalls(FROM, to, null).json());
    assertThat(a, is(b));
    assertThat(a.size(), greaterThan(0));
  }

  @Test
  void everyResponseHasItsOwnRequestId() throws Exception {
    String first = SIM.http().get("/v2/workspaces").json().path("requestId").asText();
    String second = SIM.http().get("/v2/workspaces").json().path("requestId").asText();
    assertThat(first, matchesPattern("[a-z0-9]{19}"));
    assertThat(first, not(second));
  }

  @Test
  void statsCountRequestsByRouteAndStatus() throws Exception {
    long before = SIM.sim().stats().requests("GET /v2/workspaces", 200);
    SIM.http().get("/v2/workspaces");
    SIM.http().get("/v2/workspaces");
    SIM.http().get("/v2/calls/1");
    SimulatorStats stats = SIM.sim().stats();
    assertThat(stats.requests("GET /v2/workspaces", 200), is(before + 2));
    assertThat(stats.requests("GET /v2/calls/{id}", 404), greaterThanOrEqualTo(1L));
    assertThat(SIM.http().get("/sim/stats").json().path("totalRequests").asLong(),
        greaterThanOrEqualTo(stats.totalRequests()));
  }

  private static List<JsonNode> extensive(ObjectNode body) throws Exception {
    SimHttp.Response r = SIM.http().post("/v2/calls/extensive", body);
    assertThat(r.body(), r.status(), is(200));
    List<JsonNode> out = new ArrayList<>();
    r.json().path("calls").forEach(out::add);
    return out;
  }

  private static List<String> ids(JsonNode page) {
    List<String> out = new ArrayList<>();
    page.path("calls").forEach(c -> out.add(c.path("id").asText()));
    return out;
  }
}
