package com.gongpipeline.transforms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.gongpipeline.errors.DeadLetter;
import com.gongpipeline.errors.DeadLetterStage;
import com.gongpipeline.errors.FailureKind;
import com.gongpipeline.parse.JsonSupport;
import org.junit.jupiter.api.Test;

/** Issue 11 item 12: dead letters keep references and a redacted payload unless asked for full. */
class DeadLetterPayloadTest {
  static final String CALL = "{\"metaData\":{\"id\":\"7782342274025937895\",\"title\":\"Acme renewal "
      + "with Jane Roe\",\"started\":\"not a time\",\"duration\":123456789012345678901234},"
      + "\"parties\":[{\"speakerId\":\"s1\",\"name\":\"Jane Roe\",\"emailAddress\":\"jane@acme.com\","
      + "\"phoneNumber\":\"+1 415 555 0134\",\"affiliation\":\"External\"}],"
      + "\"transcript\":[{\"speakerId\":\"s1\",\"sentences\":[{\"start\":0,\"end\":900,"
      + "\"text\":\"Call me on 07700 900123 or write to jane@acme.com\"}]}]}";

  static DeadLetter parseFailure(String payload) {
    return DeadLetter.of(DeadLetterStage.PARSE_CALL, "7782342274025937895",
        new IllegalArgumentException("bad started 'not a time' near jane@acme.com"), payload, 1);
  }

  @Test
  void byDefaultTheRowKeepsReferencesAndARedactedPayload() {
    DeadLetter stored = DeadLetterPayload.parse(null).apply(parseFailure(CALL));
    assertThat(stored.recordKey(), equalTo("7782342274025937895"));
    assertThat(stored.stage(), equalTo(DeadLetterStage.PARSE_CALL));
    assertThat(stored.kind(), equalTo(FailureKind.PERMANENT));
    for (String pii : new String[] {"Jane Roe", "jane@acme.com", "555 0134", "07700 900123"}) {
      assertThat(stored.payload(), not(containsString(pii)));
      assertThat(stored.errorMessage() + stored.stackTrace(), not(containsString(pii)));
    }
    JsonNode p = JsonSupport.parse(stored.payload());
    // What an operator needs to see why it failed stays: ids, the malformed values, the shape.
    assertThat(p.at("/metaData/id").asText(), equalTo("7782342274025937895"));
    assertThat(p.at("/metaData/started").asText(), equalTo("not a time"));
    assertThat(p.at("/metaData/duration").toString(), equalTo("123456789012345678901234"));
    assertThat(p.at("/metaData/title").asText(), equalTo(DeadLetterPayload.MASK));
    assertThat(p.at("/parties/0/name").asText(), equalTo(DeadLetterPayload.MASK));
    assertThat(p.at("/parties/0/affiliation").asText(), equalTo("External"));
    assertThat(p.at("/transcript/0/sentences/0/text").asText(),
        equalTo("Call me on [PHONE] or write to [EMAIL]"));
    assertThat(stored.errorMessage(), containsString("not a time"));
  }

  @Test
  void textAndMalformedPayloadsGoThroughThePiiRedactor() {
    assertThat(DeadLetterPayload.REDACTED.apply(parseFailure("{\"id\": \"1\", jane@acme.com"))
        .payload(), equalTo("{\"id\": \"1\", [EMAIL]"));
    assertThat(DeadLetterPayload.redactPayload("ring +44 20 7946 0958?"),
        equalTo("ring [PHONE]?"));
    assertThat(DeadLetterPayload.redactPayload(null), equalTo(null));
  }

  @Test
  void fullKeepsThePayloadVerbatimButNeverSecrets() {
    DeadLetter d = DeadLetter.of(DeadLetterStage.WRITE, "STG:1",
        new IllegalStateException("jdbc:snowflake://a/?password=hunter2 refused"), CALL, 2);
    DeadLetter stored = DeadLetterPayload.parse("full").apply(d);
    assertThat(stored.payload(), equalTo(CALL));
    assertThat(stored.errorMessage(), not(containsString("hunter2")));
    assertThat(stored.stackTrace(), not(containsString("hunter2")));
  }

  @Test
  void anUnknownModeNamesTheFlag() {
    assertThat(assertThrows(IllegalArgumentException.class,
        () -> DeadLetterPayload.parse("raw")).getMessage(), containsString("--deadLetterPayload"));
  }
}
