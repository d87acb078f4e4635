package com.gongpipeline.gong.sim;

import com.gongpipeline.testing.MutableClock;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every hard case occurs in a 200-call run, and the API really serves it the awkward way. */
class HardCasesTest {

  private static final Instant FROM = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant TO = Instant.parse("2026-02-01T00:00:00Z");

  @RegisterExtension
  static final RunningSimulator SIM = new RunningSimulator(SimulatorConfig.builder().seed(2026).calls(200).callsFrom(FROM)
          .callsTo(TO).requestsPerSecond(0).clock(new MutableClock(TO.plus(Duration.ofDays(1)))));


  @Test
  void everyHardCaseOccursInA200CallRun() {
    assertThat(SIM.truth().calls().size(), is(200));
    for (String name : GroundTruth.HARD_CASE_NAMES) {
      assertThat(name, SIM.truth().hardCase(name).size(), greaterThanOrEqualTo(2));
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 77, -5})
  void everyHardCaseOccursForOtherSeedsInA100CallRun(long seed) throws Exception {
    try (GongSimulator other = GongSimulator.start(SimulatorConfig.builder().seed(seed).calls(100)
        .callsFrom(FROM).callsTo(TO).clock(new MutableClock(TO)).build())) {
      GroundTruth t = other.groundTruth(FROM, TO);
      assertThat(t.hardCases().keySet(), is(Set.copyOf(GroundTruth.HARD_CASE_NAMES)));
    }
  }

  @Test
  void privateCallsAreFlaggedOnTheWire() throws Exception {
    List<JsonNode> calls = extensive(SIM.truth().hardCase("private"));
    assertThat(calls.stream().map(c -> c.path("metaData").path("isPrivate").asBoolean()).toList(),
        everyItem(is(true)));
    assertThat(SIM.truth().nonPrivateCallIds(), not(hasItems(SIM.truth().hardCase("private").toArray(new String[0]))));
  }

  @Test
  void uploadedCallsHaveNoPartiesFieldAtAll() throws Exception {
    for (JsonNode call : extensive(SIM.truth().hardCase("no_parties"))) {
      assertThat(call.has("parties"), is(false));
      assertThat(call.path("metaData").path("system").asText(), is("Upload API"));
    }
    String id = SIM.truth().hardCase("no_parties").get(0);
    assertThat(transcript(id).size(), greaterThan(0));
  }

  @Test
  void nullSpeakerMonologuesAreExplicitNulls() throws Exception {
    JsonNode monologues = transcript(SIM.truth().hardCase("null_speaker").get(0));
    List<JsonNode> nulls = new ArrayList<>();
    monologues.forEach(m -> {
      if (m.has("speakerId") && m.get("speakerId").isNull()) {
        nulls.add(m);
      }
    });
    assertThat(nulls.size(), greaterThanOrEqualTo(1));
  }

  @Test
  void emptyTranscriptCallIsZxxWithNoMonologues() throws Exception {
    String id = SIM.truth().hardCase("empty_transcript").get(0);
    assertThat(transcript(id).isArray(), is(true));
    assertThat(transcript(id).size(), is(0));
    assertThat(SIM.http().get("/v2/calls/" + id).json().path("call").path("language").asText(), is("zxx"));
    assertThat(SIM.truth().call(id).monologues(), empty());
  }

  @Test
  void longMonologueHas3000WordsFromOneSpeakerAndA700WordSentence() throws Exception {
    JsonNode monologues = transcript(SIM.truth().hardCase("long_monologue").get(0));
    int maxWords = 0;
    int maxSentenceWords = 0;
    for (JsonNode m : monologues) {
      int words = 0;
      for (JsonNode s : m.path("sentences")) {
        int w = s.path("text").asText().split("\\s+").length;
        words += w;
        maxSentenceWords = Math.max(maxSentenceWords, w);
      }
      maxWords = Math.max(maxWords, words);
    }
    assertThat(maxWords, greaterThanOrEqualTo(3000));
    assertThat(maxSentenceWords, greaterThanOrEqualTo(700));
  }

  @Test
  void nonEnglishCallsAreSpanishAndFrenchOrGerman() {
    Set<String> languages = SIM.truth().hardCase("non_english").stream()
        .map(id -> SIM.truth().call(id).language()).collect(Collectors.toSet());
    assertThat(languages, hasItem("spa"));
    assertThat(languages, anyOf(hasItem("fre"), hasItem("ger")));
    String spanish = SIM.truth().hardCase("non_english").stream().map(SIM.truth()::call)
        .filter(c -> c.language().equals("spa")).findFirst().orElseThrow()
        .monologues().stream().flatMap(m -> m.texts().stream()).collect(Collectors.joining(" "));
    assertThat(spanish, anyOf(containsString("¿"), containsString("descuento")));
  }

  @Test
  void piiCallsSpeakEmailsPhoneNumbersAndAnSsnLikeNumber() throws Exception {
    String text = allText(transcript(SIM.truth().hardCase("pii").get(0)));
    assertThat(text.matches("(?s).*[a-z]+\\.[a-z]+@[a-z0-9.-]+\\.[a-z]+.*"), is(true));
    assertThat(text, containsString("+1 (415) 555-01"));
    assertThat(text.matches("(?s).*\\b\\d{3}-\\d{2}-\\d{4}\\b.*"), is(true));
    assertThat(text, containsString(" dot "));
    assertThat(SIM.truth().call(SIM.truth().hardCase("pii").get(0)).facts().get("piiSsn").length(), is(11));
  }

  @Test
  void sqlLookingTextIsServedVerbatim() throws Exception {
    String text = allText(transcript(SIM.truth().hardCase("sql_text").get(0)));
    assertThat(text, containsString("'); DROP TABLE STG_GONG_CALLS; --"));
    assertThat(text, containsString("SELECT * FROM users WHERE 1=1"));
  }

  @Test
  void unicodeCallsCarryEmojiCjkRtlZwjAndCombiningMarks() throws Exception {
    String text = allText(transcript(SIM.truth().hardCase("unicode").get(0)));
    assertThat(text, containsString("\u200D"));
    assertThat(text, containsString("e\u0301"));
    assertThat(text, containsString("東京"));
    assertThat(text, containsString("שלום"));
    assertThat(text, containsString("مرحبا"));
    assertThat(text.codePoints().anyMatch(cp -> cp >= 0x1F300), is(true));
  }

  @Test
  void unknownPartyHasNoEmailAndANullSpeakerId() throws Exception {
    JsonNode call = extensive(SIM.truth().hardCase("unknown_party")).get(0);
    List<JsonNode> unknown = new ArrayList<>();
    call.path("parties").forEach(p -> {
      if (p.path("affiliation").asText().equals("Unknown")) {
        unknown.add(p);
      }
    });
    assertThat(unknown.size(), is(1));
    assertThat(unknown.get(0).get("speakerId").isNull(), is(true));
    assertThat(unknown.get(0).has("emailAddress"), is(false));
  }

  @Test
  void someCallIdsExceedLongMaxValue() {
    for (String id : SIM.truth().hardCase("id_above_long_max")) {
      assertThat(id.length(), is(20));
      assertThat(new BigInteger(id).compareTo(BigInteger.valueOf(Long.MAX_VALUE)), is(1));
    }
    assertThat(SIM.truth().callIds().stream().filter(id -> id.length() == 19).count(), greaterThan(100L));
  }

  @Test
  void transcriptSpeakersJoinToPartiesExceptNullAndUploadedOnes() {
    Set<String> uploaded = Set.copyOf(SIM.truth().hardCase("no_parties"));
    for (GroundTruth.Call call : SIM.truth().calls()) {
      if (uploaded.contains(call.callId())) {
        continue;
      }
      Set<String> speakers = call.parties().stream().map(GroundTruth.Party::speakerId)
          .filter(s -> s != null).collect(Collectors.toSet());
      call.monologues().stream().map(GroundTruth.Monologue::speakerId).filter(s -> s != null)
          .forEach(s -> assertThat(call.callId(), speakers.contains(s), is(true)));
    }
  }

  private static List<JsonNode> extensive(List<String> ids) throws Exception {
    SimHttp.Response r = SIM.http().post("/v2/calls/extensive", SimFixtures.extensiveBody(ids));
    assertThat(r.body(), r.status(), is(200));
    List<JsonNode> out = new ArrayList<>();
    r.json().path("calls").forEach(out::add);
    assertThat(out.size(), is(ids.size()));
    return out;
  }

  private static JsonNode transcript(String id) throws Exception {
    SimHttp.Response r = SIM.http().post("/v2/calls/transcript", SimFixtures.transcriptBody(List.of(id)));
    assertThat(r.status(), is(200));
    return r.json().path("callTranscripts").path(0).path("transcript");
  }

  private static String allText(JsonNode monologues) {
    StringBuilder sb = new StringBuilder();
    monologues.forEach(m -> m.path("sentences").forEach(s -> sb.append(s.path("text").asText()).append('\n')));
    return sb.toString();
  }
}
