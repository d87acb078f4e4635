package com.gongpipeline.parse;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.gongpipeline.model.FetchedCall;
import com.gongpipeline.model.ParsedCall;
import com.gongpipeline.transforms.StagingRows;
import com.gongpipeline.model.TranscriptTurn;
import com.gongpipeline.warehouse.WarehouseRow;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class GongCallParserTest {
  static final String CALL_ID = "98765432109876543210";
  static final Instant NOW = Instant.parse("2026-03-02T00:00:00Z");

  static String fixture(String name) throws IOException {
    try (InputStream in = GongCallParserTest.class.getResourceAsStream("/gong/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** The call's staging row, as the warehouse layer maps the parsed facts. */
  private static WarehouseRow row(ParsedCall p) {
    return StagingRows.call(p.call(), null, null);
  }

  static ParsedCall parseFixture() throws IOException {
    return GongCallParser.parse(
        new FetchedCall(CALL_ID, fixture("call_extensive.json"), fixture("transcript.json")),
        "job-1", NOW);
  }

  @Test
  void callRow_keepsTwentyDigitIdAndConvertsOffsetTimeToUtc() throws IOException {
    WarehouseRow call = row(parseFixture());
    assertThat(call.get("CALL_ID"), equalTo(CALL_ID));
    assertThat(call.get("CALL_DATETIME_UTC"), equalTo(Instant.parse("2026-03-01T17:02:13.250Z")));
    assertThat(call.get("CALL_DURATION_SECONDS"), equalTo(2711L));
    assertThat(call.get("PRIMARY_USER_ID"), equalTo("234599484848423"));
    assertThat(call.get("IS_PRIVATE"), is(false));
  }

  @Test
  void crmContext_nowBeatsTimeOfCall() throws IOException {
    WarehouseRow call = row(parseFixture());
    assertThat(call.get("ACCOUNT_NAME"), equalTo("Contoso"));
    assertThat(call.get("ACCOUNT_INDUSTRY"), equalTo("Retail"));
    assertThat(call.get("SALESFORCE_ACCOUNT_ID"), equalTo("0015g00000AbCdEAA1"));
    assertThat(call.get("SALESFORCE_OPPORTUNITY_ID"), equalTo("0065g00000XyZ12AAB"));
    assertThat(call.get("OPPORTUNITY_STAGE"), equalTo("Negotiation"));
    assertThat(call.get("OPPORTUNITY_AMOUNT"), equalTo(48000.0));
    assertThat(call.get("HUBSPOT_DEAL_ID"), nullValue());
  }

  @Test
  void topics_sortedByDurationAndKeyPointsExtracted() throws IOException {
    ParsedCall p = parseFixture();
    assertThat(((WarehouseRow.Json) row(p).get("KEY_TOPICS")).text(),
        equalTo("[\"Pricing\",\"Small Talk\"]"));
    assertThat(((WarehouseRow.Json) row(p).get("KEY_POINTS")).text(),
        containsString("multi-year discount"));
    assertThat(p.topics(), hasSize(2));
  }

  @Test
  void turns_joinPartiesOnSpeakerIdAndFallBackToUnknownSpeaker() throws IOException {
    ParsedCall p = parseFixture();
    // The empty monologue is dropped; four remain, indexed in order.
    assertThat(p.turns(), hasSize(4));
    TranscriptTurn buyer = p.turns().get(1);
    assertThat(buyer.speakerName(), equalTo("Lee Buyer"));
    assertThat(buyer.affiliation(), equalTo("External"));
    assertThat(buyer.startMs(), equalTo(6500L));
    assertThat(buyer.endMs(), equalTo(15000L));
    assertThat(p.turns().get(2).speakerId(), nullValue());
    assertThat(p.turns().get(2).speakerName(), equalTo(GongCallParser.UNKNOWN_SPEAKER));
    // A speaker id no party claims is unknown too, and SQL-looking text stays verbatim.
    assertThat(p.turns().get(3).speakerName(), equalTo(GongCallParser.UNKNOWN_SPEAKER));
    assertThat(p.turns().get(3).text(), equalTo("'); DROP TABLE STG_GONG_CALLS; --"));
    assertThat(row(p).get("TRANSCRIPT_SEGMENT_COUNT"), equalTo(4));
  }

  @Test
  void participants_includePartyWithoutSpeakerAndCountExternals() throws IOException {
    ParsedCall p = parseFixture();
    assertThat(p.participants(), hasSize(3));
    assertThat(p.participants().get(1).emailDomain(), equalTo("contoso.com"));
    assertThat(row(p).get("EXTERNAL_PARTICIPANT_COUNT"), equalTo(1));
  }

  @Test
  void callWithoutPartiesOrTranscript_parsesWithDomainlessAccount() {
    String json = "{\"metaData\":{\"id\":\"1\",\"started\":\"2026-03-01T09:00:00Z\","
        + "\"system\":\"Upload API\",\"language\":\"zxx\"}}";
    ParsedCall p = GongCallParser.parse(
        new FetchedCall("1", json, "{\"callId\":\"1\",\"transcript\":[]}"), "job", NOW);
    assertThat(p.turns(), hasSize(0));
    assertThat(p.participants(), hasSize(0));
    assertThat(row(p).get("ACCOUNT_NAME"), nullValue());
    assertThat(p.context().englishOrUnknown(), is(false));
  }

  @Test
  void malformedOrMismatchedJson_isAClearError() {
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
        () -> GongCallParser.parse(new FetchedCall("1", "{\"metaData\":{\"id\":", null), "j", NOW));
    assertThat(bad.getMessage(), containsString("malformed JSON"));
    IllegalArgumentException mismatch = assertThrows(IllegalArgumentException.class,
        () -> GongCallParser.parse(new FetchedCall("2", "{\"metaData\":{\"id\":\"1\"}}", null),
            "j", NOW));
    assertThat(mismatch.getMessage(), containsString("does not match"));
  }

  @Test
  void contentHash_ignoresMediaUrlsAndKeyOrder() {
    String a = "{\"metaData\":{\"id\":\"1\",\"title\":\"x\"},\"media\":{\"audioUrl\":\"u1\"}}";
    String b = "{\"media\":{\"audioUrl\":\"u2\"},\"metaData\":{\"title\":\"x\",\"id\":\"1\"}}";
    String c = "{\"metaData\":{\"id\":\"1\",\"title\":\"y\"}}";
    assertThat(JsonSupport.contentHash(JsonSupport.parse(a)),
        equalTo(JsonSupport.contentHash(JsonSupport.parse(b))));
    assertThat(JsonSupport.contentHash(JsonSupport.parse(a)).equals(
        JsonSupport.contentHash(JsonSupport.parse(c))), is(false));
  }

  @Test
  void twentyDigitIdSentAsNumber_survivesExactly() {
    String json = "{\"id\": 98765432109876543210, \"amount\": 48000.50}";
    assertThat(JsonSupport.text(JsonSupport.parse(json), "id"), equalTo("98765432109876543210"));
    assertThat(JsonSupport.text(JsonSupport.parse(json), "amount"), equalTo("48000.5"));
  }

  @Test
  void turnsInOrder() throws IOException {
    assertThat(parseFixture().turns().stream().map(TranscriptTurn::turnIndex).toList(),
        contains(0, 1, 2, 3));
  }
}
