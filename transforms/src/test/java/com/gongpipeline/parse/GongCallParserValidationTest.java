package com.gongpipeline.parse;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.gongpipeline.model.FetchedCall;
import com.gongpipeline.model.ParsedCall;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input is refused, never coerced: a table of malformed and out-of-range fields, each either
 * stored NULL with a warning naming the field (the rest of the call is good) or refused with an
 * error naming the field (the caller dead-letters the call).
 */
class GongCallParserValidationTest {
  private static final Instant NOW = Instant.parse("2026-03-02T00:00:00Z");

  private static String call(String durationJson, String topicDurationJson) {
    return "{\"metaData\":{\"id\":\"1\",\"started\":\"2026-03-01T09:00:00Z\",\"duration\":"
        + durationJson + "},\"content\":{\"topics\":[{\"name\":\"Pricing\",\"duration\":"
        + topicDurationJson + "}]}}";
  }

  private static String transcript(String start, String end) {
    return "{\"callId\":\"1\",\"transcript\":[{\"speakerId\":\"s\",\"sentences\":["
        + "{\"start\":0,\"end\":10,\"text\":\"ok\"},"
        + "{\"start\":" + start + ",\"end\":" + end + ",\"text\":\"Hello.\"}]}]}";
  }

  private static final String GOOD_TRANSCRIPT = transcript("10", "20");

  /** Call-level fields the rest of the call does not need: NULL and a warning naming the field. */
  static Stream<Arguments> storedNullWithAWarning() {
    return Stream.of(
        Arguments.of("24-digit duration", call("123456789012345678901234", "5"),
            "metaData.duration: '123456789012345678901234' is outside"),
        Arguments.of("word duration", call("\"abc\"", "5"), "metaData.duration: 'abc' is not a number"),
        Arguments.of("negative duration", call("-5", "5"), "metaData.duration: '-5' is outside"),
        Arguments.of("fractional duration", call("12.5", "5"),
            "metaData.duration: '12.5' is not a whole number"),
        Arguments.of("object duration", call("{}", "5"), "metaData.duration: a OBJECT is not"),
        Arguments.of("negative topic duration", call("60", "-1"),
            "content.topics[0].duration: '-1' is outside"),
        Arguments.of("word topic duration", call("60", "\"long\""),
            "content.topics[0].duration: 'long' is not a number"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("storedNullWithAWarning")
  void malformedCallFields_areStoredNullWithAWarningNamingTheField(String name, String callJson,
      String warning) {
    List<String> warnings = new ArrayList<>();
    ParsedCall p = GongCallParser.parse(new FetchedCall("1", callJson, GOOD_TRANSCRIPT), "job",
        NOW, warnings::add);
    assertThat(warnings, hasSize(1));
    assertThat(warnings.get(0), containsString(warning));
    assertThat(warnings.get(0), containsString("stored NULL"));
    if (warning.startsWith("metaData.duration")) {
      assertThat(p.call().durationSeconds(), nullValue());
    } else {
      assertThat(p.topics().get(0).durationSeconds(), nullValue());
      assertThat(p.call().durationSeconds(), equalTo(60L));
    }
    assertThat("the rest of the call is kept", p.turns(), hasSize(1));
  }

  /** Good values pass unchanged and without warnings (numbers sent as strings included). */
  static Stream<Arguments> accepted() {
    return Stream.of(
        Arguments.of(call("2711", "12.5"), 2711L, 12.5),
        Arguments.of(call("\"2711\"", "\"0\""), 2711L, 0.0),
        Arguments.of(call("0", "null"), 0L, null),
        Arguments.of(call("null", "3"), null, 3.0));
  }

  @ParameterizedTest
  @MethodSource("accepted")
  void goodValues_areKeptWithoutWarnings(String callJson, Long seconds, Double topicSeconds) {
    List<String> warnings = new ArrayList<>();
    ParsedCall p = GongCallParser.parse(new FetchedCall("1", callJson, GOOD_TRANSCRIPT), "job",
        NOW, warnings::add);
    assertThat(warnings, empty());
    assertThat(p.call().durationSeconds(), equalTo(seconds));
    assertThat(p.topics().get(0).durationSeconds(), equalTo(topicSeconds));
  }

  /** Transcript fields the turns depend on: the call is refused with the field named. */
  static Stream<Arguments> refused() {
    return Stream.of(
        Arguments.of("start after end", transcript("500", "400"),
            "transcript[0].sentences[1]: start 500 ms is after end 400 ms"),
        Arguments.of("negative start", transcript("-1", "400"),
            "transcript[0].sentences[1].start: '-1' is outside"),
        Arguments.of("word end", transcript("1", "\"abc\""),
            "transcript[0].sentences[1].end: 'abc' is not a number"),
        Arguments.of("24-digit end", transcript("1", "123456789012345678901234"),
            "transcript[0].sentences[1].end: '123456789012345678901234' is outside"),
        Arguments.of("missing start", transcript("null", "4"),
            "transcript[0].sentences[1]: a sentence needs start and end"),
        Arguments.of("transcript not an array", "{\"callId\":\"1\",\"transcript\":{}}",
            "transcript: not an array (OBJECT)"),
        Arguments.of("transcript absent", "{\"callId\":\"1\"}", "transcript: not an array (absent)"),
        Arguments.of("no transcript at all", null, "transcript: missing for call 1"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refused")
  void malformedTranscripts_areRefusedNamingTheField(String name, String transcriptJson,
      String message) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> GongCallParser.parse(new FetchedCall("1", call("60", "5"), transcriptJson), "job",
            NOW, w -> {}));
    assertThat(e.getMessage(), containsString(message));
  }

  @ParameterizedTest
  @MethodSource("accepted")
  void aPositiveEmptyTranscript_isZeroTurns(String callJson, Long ignored, Double ignoredToo) {
    ParsedCall p = GongCallParser.parse(
        new FetchedCall("1", callJson, "{\"callId\":\"1\",\"transcript\":[]}"), "job", NOW,
        w -> {});
    assertThat(p.turns(), empty());
    assertThat(p.call().transcriptSegmentCount(), equalTo(0));
  }
}
