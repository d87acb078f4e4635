package com.gongpipeline.gong.sim;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 12 §1 in the simulator: trackers, action items, talk times, talk ratio and the host's stats
 * are consistent with each call's transcript, the ground truth records exactly what the extensive
 * endpoint serves, and fields the content selector does not ask for are not sent.
 */
class CallInsightsTest {

  @RegisterExtension
  static final RunningSimulator SIM = new RunningSimulator(SimFixtures.config());

  private static final Map<String, JsonNode> SERVED = new HashMap<>();

  /** Everything the pipeline asks for (see the pipeline's HttpGongClient.extensiveBody). */
  static ObjectNode fullBody(List<String> ids) {
    return SimFixtures.extensiveBody(ids);
  }

  /** The same without outline, highlights, outcome, action items, occurrences, stats, questions. */
  static ObjectNode plainBody(List<String> ids) {
    ObjectNode body = SimFixtures.extensiveBody(ids);
    ObjectNode exposed = (ObjectNode) body.path("contentSelector").path("exposedFields");
    ((ObjectNode) exposed.path("content")).remove(List.of("outline", "highlights", "callOutcome",
        "pointsOfInterest", "trackerOccurrences"));
    ((ObjectNode) exposed.path("interaction")).remove(List.of("personInteractionStats",
        "questions"));
    return body;
  }

  @BeforeAll
  static void fetchAll() throws Exception {
    List<String> ids = SIM.truth().callIds();
    for (int i = 0; i < ids.size(); i += 10) {
      for (JsonNode c : extensive(fullBody(ids.subList(i, Math.min(ids.size(), i + 10))))) {
        SERVED.put(c.path("metaData").path("id").asText(), c);
      }
    }
    assertThat(SERVED.size(), is(ids.size()));
  }

  private static List<JsonNode> extensive(ObjectNode body) throws Exception {
    SimHttp.Response r = SIM.http().post("/v2/calls/extensive", body);
    assertThat(r.body(), r.status(), is(200));
    List<JsonNode> out = new ArrayList<>();
    r.json().path("calls").forEach(out::add);
    return out;
  }

  /** The sentence of this speaker that is being spoken at {@code ms}, or null. */
  private static GroundTruth.Sentence spokenAt(GroundTruth.Call c, String speakerId, long ms) {
    for (GroundTruth.Monologue m : c.monologues()) {
      if (Objects.equals(m.speakerId(), speakerId)) {
        for (GroundTruth.Sentence s : m.sentences()) {
          if (s.start() <= ms && ms <= s.end()) {
            return s;
          }
        }
      }
    }
    return null;
  }

  @Test
  void trackerOccurrences_areWhereTheirPhrasesAreSpoken_andCountsMatchTheTranscript() {
    int occurrences = 0;
    for (GroundTruth.Call c : SIM.truth().calls()) {
      for (GroundTruth.Tracker t : c.intelligence().trackers()) {
        assertThat(t.count(), is(t.occurrences().size()));
        String[] def = CallInsights.TRACKERS.stream().filter(d -> d[0].equals(t.name()))
            .findFirst().orElseThrow();
        for (GroundTruth.Occurrence o : t.occurrences()) {
          GroundTruth.Sentence s = spokenAt(c, o.speakerId(), o.startMs());
          assertThat(c.callId() + " " + t.name() + "@" + o.startMs(), s, notNullValue());
          String lower = s.text().toLowerCase(Locale.ROOT);
          boolean said = false;
          for (int i = 2; i < def.length; i++) {
            said |= lower.contains(def[i].toLowerCase(Locale.ROOT));
          }
          assertThat(s.text(), said, is(true));
          occurrences++;
        }
        // Every spoken phrase is an occurrence: the sentences that mention one are covered.
        for (GroundTruth.Monologue m : c.monologues()) {
          for (GroundTruth.Sentence s : m.sentences()) {
            for (int i = 2; i < def.length; i++) {
              if (s.text().matches("(?is).*(?<![\\p{L}\\p{N}])" + java.util.regex.Pattern.quote(def[i])
                  + "(?![\\p{L}\\p{N}]).*")) {
                assertThat(c.callId() + ": '" + def[i] + "' in " + s.text(), t.occurrences()
                    .stream().anyMatch(o -> Objects.equals(o.speakerId(), m.speakerId())
                        && o.startMs() >= s.start() && o.startMs() <= s.end()), is(true));
              }
            }
          }
        }
      }
    }
    assertThat(occurrences, greaterThan(50));
  }

  @Test
  void actionItems_areTranscriptSentencesWithTheirSpeakerAndTimes() {
    int items = 0;
    for (GroundTruth.Call c : SIM.truth().calls()) {
      for (GroundTruth.ActionItem a : c.intelligence().nextSteps()) {
        GroundTruth.Sentence s = spokenAt(c, a.speakerId(), a.startMs());
        assertThat(a.text(), s, notNullValue());
        assertThat(s.text(), is(a.text()));
        assertThat(s.start(), is(a.startMs()));
        assertThat(s.end(), is(a.endMs()));
        items++;
      }
    }
    assertThat(items, greaterThan(20));
  }

  @Test
  void talkTimes_areTheSumOfEachSpeakersTurns_andTheRatioIsTheInternalShare() {
    for (GroundTruth.Call c : SIM.truth().calls()) {
      Map<String, Long> sums = new HashMap<>();
      for (GroundTruth.Monologue m : c.monologues()) {
        if (m.speakerId() != null && c.parties().stream()
            .anyMatch(p -> m.speakerId().equals(p.speakerId()))) {
          m.sentences().forEach(s -> sums.merge(m.speakerId(), s.end() - s.start(), Long::sum));
        }
      }
      assertThat(c.intelligence().talkMillis(), is(sums));
      long total = sums.values().stream().mapToLong(Long::longValue).sum();
      long internal = c.parties().stream().filter(p -> "Internal".equals(p.affiliation())
          && p.speakerId() != null).mapToLong(p -> sums.getOrDefault(p.speakerId(), 0L)).sum();
      if (c.parties().isEmpty() || total == 0) {
        assertThat(c.intelligence().talkRatio(), nullValue());
      } else {
        assertThat(c.intelligence().talkRatio(), closeTo((double) internal / total, 1e-12));
      }
      // Served talk times are the same milliseconds.
      JsonNode served = SERVED.get(c.callId());
      for (JsonNode s : served.path("interaction").path("speakers")) {
        String speaker = c.parties().stream().filter(p -> p.id().equals(s.path("id").asText()))
            .findFirst().orElseThrow().speakerId();
        assertThat(Math.round(s.path("talkTime").asDouble() * 1000), is(sums.get(speaker)));
      }
    }
  }

  @Test
  void servedFields_equalTheGroundTruth() {
    for (GroundTruth.Call c : SIM.truth().calls()) {
      JsonNode served = SERVED.get(c.callId());
      GroundTruth.Intelligence truth = c.intelligence();
      JsonNode content = served.path("content");
      assertThat(content.path("callOutcome").path("id").asText(), is(truth.outcomeId()));
      JsonNode items = content.path("pointsOfInterest").path("actionItems");
      assertThat(items.size(), is(truth.nextSteps().size()));
      for (int i = 0; i < items.size(); i++) {
        assertThat(items.get(i).path("snippet").asText(), is(truth.nextSteps().get(i).text()));
        assertThat(Math.round(items.get(i).path("snippetStartTime").asDouble() * 1000),
            is(truth.nextSteps().get(i).startMs()));
      }
      JsonNode trackers = content.path("trackers");
      assertThat(trackers.size(), is(truth.trackers().size()));
      for (int i = 0; i < trackers.size(); i++) {
        assertThat(trackers.get(i).path("count").asInt(), is(truth.trackers().get(i).count()));
        assertThat(trackers.get(i).path("occurrences").size(),
            is(truth.trackers().get(i).occurrences().size()));
      }
      JsonNode questions = served.path("interaction").path("questions");
      assertThat(questions.path("companyCount").asInt(), is(truth.questionsCompany()));
      assertThat(questions.path("nonCompanyCount").asInt(), is(truth.questionsNonCompany()));
      if (truth.longestMonologueSeconds() != null) {
        assertThat(served.path("interaction").path("interactionStats").size(), is(5));
      }
    }
    assertThat(SIM.truth().calls().stream().map(c -> c.intelligence().outcomeId()).distinct()
        .count(), greaterThan(1L));
  }

  /**
   * About 1 call in 5 with speech gets neither a brief nor action items from "Gong", so the
   * pipeline's own summary and next steps are exercised; its true next steps (the commitments of
   * its closing) are still in the ground truth, as transcript sentences.
   */
  @Test
  void silentCalls_haveNoBriefNorActionItems_butTrueClosingNextSteps() {
    int silent = 0;
    int spoken = 0;
    for (GroundTruth.Call c : SIM.truth().calls()) {
      if (c.monologues().isEmpty()) {
        continue;
      }
      spoken++;
      JsonNode content = SERVED.get(c.callId()).path("content");
      if (c.intelligence().gongAiSilent()) {
        silent++;
        assertThat(content.has("brief"), is(false));
        assertThat(content.path("pointsOfInterest").path("actionItems").size(), is(0));
        assertThat(c.intelligence().nextSteps().isEmpty(), is(true));
      } else {
        assertThat(c.callId(), content.path("brief").asText().isEmpty(), is(false));
      }
      for (GroundTruth.ActionItem a : c.intelligence().closingNextSteps()) {
        GroundTruth.Sentence s = spokenAt(c, a.speakerId(), a.startMs());
        assertThat(a.text(), s, notNullValue());
        assertThat(s.text(), is(a.text()));
      }
      if ("eng".equals(c.language())) {
        assertThat(c.callId(), c.intelligence().closingNextSteps().isEmpty(), is(false));
      }
    }
    assertThat(silent, greaterThan(spoken / 10));
    assertThat(silent, org.hamcrest.Matchers.lessThan(spoken / 3));
  }

  @Test
  void fieldsNotRequested_areNotSent() throws Exception {
    String id = SIM.truth().calls().stream().filter(c -> !c.intelligence().nextSteps().isEmpty())
        .findFirst().orElseThrow().callId();
    JsonNode plain = extensive(plainBody(List.of(id))).get(0);
    JsonNode content = plain.path("content");
    for (String absent : List.of("outline", "highlights", "callOutcome", "pointsOfInterest")) {
      assertThat(absent, content.has(absent), is(false));
    }
    assertThat(content.path("trackers").get(0).has("occurrences"), is(false));
    assertThat(plain.path("interaction").has("interactionStats"), is(false));
    assertThat(plain.path("interaction").has("questions"), is(false));
    JsonNode full = SERVED.get(id);
    for (String present : List.of("outline", "highlights", "callOutcome", "pointsOfInterest")) {
      assertThat(present, full.path("content").has(present), is(true));
    }
    assertThat(full.path("content").path("highlights").toString(),
        containsString(SIM.truth().call(id).intelligence().nextSteps().get(0).text()
            .replace("\"", "\\\"")));
  }
}
