package com.gongpipeline.gong.sim;

import com.gongpipeline.testing.MutableClock;
import static com.gongpipeline.gong.sim.SimFixtures.FROM;
import static com.gongpipeline.gong.sim.SimFixtures.TO;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Cursor pagination on every paginated endpoint: odd page sizes, last page, union = truth. */
class PaginationTest {

  @RegisterExtension
  static final RunningSimulator SIM = new RunningSimulator(SimFixtures.config());


  @Test
  void listingCallsPagesBy37AndOmitsTheCursorOnlyOnTheLastPage() throws Exception {
    List<SimHttp.Response> pages = SimHttp.allPages(c -> SIM.http().listCalls(FROM, TO, c));
    assertThat(pages.size(), greaterThan(2));
    assertThat(pages.size(), is((SIM.truth().calls().size() + 36) / 37));
    for (int p = 0; p < pages.size(); p++) {
      JsonNode records = pages.get(p).json().path("records");
      boolean last = p == pages.size() - 1;
      assertThat(records.path("currentPageNumber").asInt(), is(p));
      assertThat(records.path("totalRecords").asInt(), is(SIM.truth().calls().size()));
      assertThat(records.has("cursor"), is(!last));
      int size = pages.get(p).json().path("calls").size();
      assertThat(records.path("currentPageSize").asInt(), is(size));
      if (!last) {
        assertThat(size, is(37));
      }
    }
  }

  @Test
  void unionOfCallPagesIsExactlyTheGroundTruthInStartOrder() throws Exception {
    List<SimHttp.Response> pages = SimHttp.allPages(c -> SIM.http().listCalls(FROM, TO, c));
    List<String> ids = SimHttp.flatMapPages(pages, "calls", n -> n.path("id").asText());
    assertThat(new HashSet<>(ids).size(), is(ids.size()));
    assertThat(ids, is(SIM.truth().callIds()));
  }

  @Test
  void extensivePagesBy17AndCoversTheWindow() throws Exception {
    List<SimHttp.Response> pages = SimHttp.allPages(c -> {
      var body = SimFixtures.windowBody(FROM, TO);
      body.set("contentSelector", SimFixtures.extensiveBody(List.of()).get("contentSelector"));
      if (c != null) {
        body.put("cursor", c);
      }
      return SIM.http().post("/v2/calls/extensive", body);
    });
    List<Integer> sizes = pages.stream().map(p -> p.json().path("calls").size()).toList();
    assertThat(sizes.subList(0, sizes.size() - 1), everyItem(is(17)));
    assertThat(sizes.get(sizes.size() - 1), lessThanOrEqualTo(17));
    List<String> ids = SimHttp.flatMapPages(pages, "calls", n -> n.path("metaData").path("id").asText());
    assertThat(ids, is(SIM.truth().callIds()));
  }

  @Test
  void transcriptsPageBy13AndMatchGroundTruthSentenceForSentence() throws Exception {
    List<SimHttp.Response> pages = SimHttp.allPages(c -> SIM.http().post("/v2/calls/transcript",
        c == null ? SimFixtures.windowBody(FROM, TO) : SimFixtures.windowBody(FROM, TO).put("cursor", c)));
    assertThat(pages.get(0).json().path("callTranscripts").size(), is(13));
    List<JsonNode> transcripts = SimHttp.flatMapPages(pages, "callTranscripts", n -> n);
    assertThat(transcripts.stream().map(t -> t.path("callId").asText()).toList(), is(SIM.truth().callIds()));
    long sentences = transcripts.stream().flatMap(t -> iterable(t.path("transcript")).stream())
        .mapToLong(m -> m.path("sentences").size()).sum();
    assertThat(sentences, is(SIM.truth().sentenceCount()));
    JsonNode first = transcripts.get(0).path("transcript").path(0);
    GroundTruth.Monologue expected = SIM.truth().calls().get(0).monologues().get(0);
    assertThat(first.path("sentences").path(0).path("text").asText(), is(expected.texts().get(0)));
  }

  @Test
  void callIdBatchesPaginateToo() throws Exception {
    List<String> batch = SIM.truth().callIds().subList(0, 30);
    List<SimHttp.Response> pages = SimHttp.allPages(c -> SIM.http().post("/v2/calls/transcript",
        c == null ? SimFixtures.transcriptBody(batch) : SimFixtures.transcriptBody(batch).put("cursor", c)));
    assertThat(pages, hasSize(3));
    assertThat(SimHttp.flatMapPages(pages, "callTranscripts", n -> n.path("callId").asText()), is(batch));
  }

  @Test
  void usersPageBy29AndAvatarsOnlyOnRequest() throws Exception {
    List<SimHttp.Response> pages = SimHttp.allPages(c -> SIM.http().get("/v2/users" + (c == null ? "" : "?cursor=" + SimHttp.enc(c))));
    assertThat(pages.stream().map(p -> p.json().path("users").size()).toList(), contains(29, 11));
    List<String> ids = SimHttp.flatMapPages(pages, "users", n -> n.path("id").asText());
    assertThat(ids, is(SIM.truth().users().stream().map(GroundTruth.User::id).toList()));
    List<SimHttp.Response> withAvatars = SimHttp.allPages(c -> SIM.http().get("/v2/users?includeAvatars=true"
        + (c == null ? "" : "&cursor=" + SimHttp.enc(c))));
    assertThat(SimHttp.flatMapPages(withAvatars, "users", n -> n).size(), is(42));
  }

  @Test
  void workspacesAreNotPaginated() throws Exception {
    JsonNode json = SIM.http().get("/v2/workspaces").json();
    assertThat(json.has("records"), is(false));
    assertThat(json.path("workspaces").size(), is(2));
    assertThat(json.path("workspaces").path(0).path("id").asText(), is(SIM.truth().workspaces().get(0).id()));
  }

  @Test
  void cursorExpiresAnHourAfterTheFirstPage() throws Exception {
    MutableClock clock = new MutableClock(SimFixtures.NOW);
    try (GongSimulator own = GongSimulator.start(SimFixtures.config().clock(clock).build())) {
      SimHttp client = new SimHttp(own);
      String cursor = client.listCalls(FROM, TO, null).json().path("records").path("cursor").asText();
      clock.advance(Duration.ofMinutes(59));
      SimHttp.Response second = client.listCalls(FROM, TO, cursor);
      assertThat(second.status(), is(200));
      String third = second.json().path("records").path("cursor").asText();
      clock.advance(Duration.ofMinutes(2));
      SimHttp.Response expired = client.listCalls(FROM, TO, third);
      assertThat(expired.status(), is(400));
      assertThat(expired.firstError(), is("cursor has expired"));
      assertThat(client.listCalls(FROM, TO, null).status(), is(200));
    }
  }

  private static List<JsonNode> iterable(JsonNode array) {
    List<JsonNode> out = new java.util.ArrayList<>();
    array.forEach(out::add);
    return out;
  }
}
