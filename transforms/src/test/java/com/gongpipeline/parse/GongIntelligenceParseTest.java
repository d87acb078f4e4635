package com.gongpipeline.parse;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.gongpipeline.model.CallIntelligence;
import com.gongpipeline.model.CallTracker;
import com.gongpipeline.model.FetchedCall;
import com.gongpipeline.model.ParsedCall;
import com.gongpipeline.model.TrackerOccurrence;
import com.gongpipeline.transforms.StagingRows;
import com.gongpipeline.warehouse.ChildKeys;
import com.gongpipeline.warehouse.WarehouseRow;
import com.gongpipeline.warehouse.WarehouseTable;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Gong's own analysis fields: each parsed, typed, and NULL (never empty) when Gong sent none. */
class GongIntelligenceParseTest {
  private static final Instant NOW = Instant.parse("2026-03-02T00:00:00Z");

  private static ParsedCall parse(String callJson, List<String> warnings) throws IOException {
    return GongCallParser.parse(new FetchedCall("555", callJson,
        GongCallParserTest.fixture("transcript_intelligence.json")), "job-1", NOW, warnings::add);
  }

  private static ParsedCall full() throws IOException {
    return parse(GongCallParserTest.fixture("call_extensive_intelligence.json"), new ArrayList<>());
  }

  /** The fixture with some fields removed, e.g. {@code "content.trackers"}. */
  private static ParsedCall without(String... paths) throws IOException {
    ObjectNode call = (ObjectNode) JsonSupport.parse(
        GongCallParserTest.fixture("call_extensive_intelligence.json"));
    for (String path : paths) {
      String[] parts = path.split("\\.");
      ObjectNode parent = call;
      for (int i = 0; i < parts.length - 1; i++) {
        parent = (ObjectNode) parent.get(parts[i]);
      }
      parent.remove(parts[parts.length - 1]);
    }
    return parse(JsonSupport.write(call), new ArrayList<>());
  }

  @Test
  void outcome_isTheNameWithTheIdBeside() throws IOException {
    CallIntelligence i = full().call().intelligence();
    assertThat(i.outcome(), is("Meeting booked"));
    assertThat(i.outcomeId(), is("MEETING_BOOKED"));
  }

  @Test
  void nextSteps_areActionItemsWithSpeakerNameAndMillis_speakerGivenAsSpeakerOrPartyId()
      throws IOException {
    JsonNode steps = JsonSupport.parse(full().call().intelligence().nextStepsJson());
    assertThat(steps.size(), is(2));
    assertThat(steps.get(0).get("text").asText(), is("Let's go through the pricing proposal."));
    assertThat(steps.get(0).get("speaker_id").asText(), is("s-dana"));
    assertThat(steps.get(0).get("speaker_name").asText(), is("Dana Rep"));
    assertThat(steps.get(0).get("start_ms").asLong(), is(2100L));
    assertThat(steps.get(0).get("end_ms").asLong(), is(6400L));
    // speakerID given as the party id resolves to the party's speaker id.
    assertThat(steps.get(1).get("speaker_id").asText(), is("s-lee"));
    assertThat(steps.get(1).get("speaker_name").asText(), is("Lee Buyer"));
  }

  @Test
  void talkRatio_isTheCompanyShareOfAllSpeakersTalkTime_notGongsHostStat() throws IOException {
    // Internal 300 s of 600 s (an Unknown dial-in's 100 s counts in the whole).
    assertThat(full().call().intelligence().talkRatio(), closeTo(0.5, 1e-12));
    ObjectNode call = (ObjectNode) JsonSupport.parse(
        GongCallParserTest.fixture("call_extensive_intelligence.json"));
    ((ObjectNode) call.get("interaction").get("speakers").get(2)).put("talkTime", 0);
    assertThat(parse(JsonSupport.write(call), new ArrayList<>()).call().intelligence().talkRatio(),
        closeTo(0.6, 1e-12));
  }

  @Test
  void interactionStatsAndQuestions_areTyped() throws IOException {
    CallIntelligence i = full().call().intelligence();
    assertThat(i.longestMonologueSeconds(), is(95.5));
    assertThat(i.longestCustomerStorySeconds(), is(40.0));
    assertThat(i.interactivity(), is(9.23));
    assertThat(i.patience(), is(0.85));
    assertThat(i.questionsCompany(), is(7));
    assertThat(i.questionsNonCompany(), is(3));
  }

  @Test
  void primaryUserName_andHubspotContact_comeFromTheParties() throws IOException {
    CallIntelligence i = full().call().intelligence();
    assertThat(i.primaryUserName(), is("Dana Rep"));
    assertThat(i.hubspotContactId(), is("hs-c-42"));
    // A Salesforce contact is no HubSpot contact.
    ParsedCall sf = GongCallParserTest.parseFixture();
    assertThat(sf.call().intelligence().hubspotContactId(), nullValue());
  }

  @Test
  void highlightsAndOutline_areStoredAsJson() throws IOException {
    CallIntelligence i = full().call().intelligence();
    assertThat(JsonSupport.parse(i.outlineJson()).get(0).get("section").asText(), is("Pricing"));
    assertThat(JsonSupport.parse(i.highlightsJson()).get(0).get("items").get(0).get("text")
        .asText(), is("Send proposal"));
  }

  @Test
  void trackers_haveIdNameTypeCountAndPhrases() throws IOException {
    List<CallTracker> trackers = full().trackers();
    assertThat(trackers.stream().map(CallTracker::name).toList(),
        contains("Competitors", "Pricing", "Security"));
    CallTracker comp = trackers.get(0);
    assertThat(comp.trackerId(), is("t-comp"));
    assertThat(comp.type(), is("KEYWORD"));
    assertThat(comp.count(), is(2));
    assertThat(JsonSupport.parse(comp.phrasesJson()).get(0).get("phrase").asText(),
        is("Quillstack"));
    assertThat(trackers.get(2).count(), is(0));
  }

  @Test
  void occurrences_inMillisWithSpeaker_fromTrackerOrItsPhrases_duplicatesOnce() throws IOException {
    List<String> got = full().trackerOccurrences().stream()
        .map(o -> o.trackerName() + "@" + o.startMs() + "/" + o.speakerId()).toList();
    assertThat(got, containsInAnyOrder("Competitors@7250/s-lee", "Competitors@12000/s-dana",
        "Pricing@6500/s-lee"));
  }

  @Test
  void absentFields_areNull_notEmpty_andTheirStoredRowsAreNotReplaced() throws IOException {
    ParsedCall p = without("content", "interaction");
    CallIntelligence i = p.call().intelligence();
    assertThat(i.outcome(), nullValue());
    assertThat(i.nextStepsJson(), nullValue());
    assertThat(i.talkRatio(), nullValue());
    assertThat(i.longestMonologueSeconds(), nullValue());
    assertThat(i.interactivity(), nullValue());
    assertThat(i.patience(), nullValue());
    assertThat(i.questionsCompany(), nullValue());
    assertThat(i.questionsNonCompany(), nullValue());
    assertThat(i.highlightsJson(), nullValue());
    assertThat(i.outlineJson(), nullValue());
    assertThat(p.trackers(), nullValue());
    assertThat(p.trackerOccurrences(), nullValue());
    WarehouseRow row = StagingRows.call(p.call(), null, null);
    assertThat(row.get("NEXT_STEPS"), nullValue());
    assertThat(row.get("TALK_RATIO"), nullValue());
    // No key set for trackers: what an earlier fetch stored stays.
    assertThat(StagingRows.keySets(p).stream().map(ChildKeys::table).toList(),
        contains(WarehouseTable.STG_TRANSCRIPTS, WarehouseTable.STG_PARTICIPANTS,
            WarehouseTable.STG_TOPICS));
    assertThat(StagingRows.trackerRows(p), hasSize(0));
    // And the MERGE keeps stored values where a re-fetch sends NULL.
    assertThat(WarehouseTable.STG_CALLS.keepStoredWhenNull(), hasItem("NEXT_STEPS"));
    assertThat(WarehouseTable.STG_CALLS.keepStoredWhenNull(), hasItem("TALK_RATIO"));
  }

  @Test
  void trackersWithoutOccurrences_replaceTrackersButLeaveStoredOccurrences() throws IOException {
    ObjectNode call = (ObjectNode) JsonSupport.parse(
        GongCallParserTest.fixture("call_extensive_intelligence.json"));
    for (JsonNode t : call.get("content").get("trackers")) {
      ((ObjectNode) t).remove("occurrences");
      for (JsonNode ph : t.path("phrases")) {
        ((ObjectNode) ph).remove("occurrences");
      }
    }
    ParsedCall p = parse(JsonSupport.write(call), new ArrayList<>());
    assertThat(p.trackers(), hasSize(3));
    assertThat(p.trackerOccurrences(), nullValue());
    assertThat(StagingRows.keySets(p).stream().map(ChildKeys::table).toList(),
        hasItem(WarehouseTable.STG_TRACKERS));
    assertThat(StagingRows.keySets(p).stream().map(ChildKeys::table).toList().contains(
        WarehouseTable.STG_TRACKER_OCCURRENCES), is(false));
  }

  @Test
  void emptyActionItemsAndNoSpeakers_areEmptyAndNull() throws IOException {
    ObjectNode call = (ObjectNode) JsonSupport.parse(
        GongCallParserTest.fixture("call_extensive_intelligence.json"));
    ((ObjectNode) call.get("content").get("pointsOfInterest")).putArray("actionItems");
    ((ObjectNode) call.get("interaction")).remove("speakers");
    CallIntelligence i = parse(JsonSupport.write(call), new ArrayList<>()).call().intelligence();
    assertThat(i.nextStepsJson(), is("[]"));
    assertThat(i.talkRatio(), nullValue());
  }

  @Test
  void malformedNumbers_areNullWithAWarningNamingTheField() throws IOException {
    ObjectNode call = (ObjectNode) JsonSupport.parse(
        GongCallParserTest.fixture("call_extensive_intelligence.json"));
    ((ObjectNode) call.get("interaction").get("questions")).put("companyCount", "many");
    ((ObjectNode) call.get("interaction").get("speakers").get(0)).put("talkTime", -5);
    List<String> warnings = new ArrayList<>();
    CallIntelligence i = parse(JsonSupport.write(call), warnings).call().intelligence();
    assertThat(i.questionsCompany(), nullValue());
    assertThat(i.questionsNonCompany(), is(3));
    assertThat(i.talkRatio(), nullValue());
    assertThat(String.join("\n", warnings), containsString("interaction.questions.companyCount"));
    assertThat(String.join("\n", warnings), containsString("interaction.speakers[0].talkTime"));
  }

  @Test
  void turnEntities_nameTheCrmAccountAndCompetitorTrackerPhrases_andMoney() throws IOException {
    ParsedCall p = full();
    JsonNode e = JsonSupport.parse(p.turns().get(1).entitiesJson());
    List<String> orgs = new ArrayList<>();
    e.get("organisations").forEach(n -> orgs.add(n.asText()));
    // Known spelling, first mention first; the Pricing tracker's "price" is no organisation.
    assertThat(orgs, contains("Quillstack", "Contoso Zürich AG"));
    assertThat(e.get("money").size(), is(2));
    assertThat(e.get("money").get(0).get("currency").asText(), is("USD"));
    assertThat(e.get("money").get(1).get("amount").decimalValue().toPlainString(), is("12.5"));
    WarehouseRow turn = StagingRows.turn(p.turns().get(1), null, "j", NOW);
    assertThat(turn.get("EXTRACTED_ENTITIES").toString(), containsString("Quillstack"));
    assertThat(p.trackerOccurrences().get(0), equalTo(new TrackerOccurrence("555", "t-comp",
        "Competitors", "s-lee", 7250, "job-1", NOW)));
  }
}
