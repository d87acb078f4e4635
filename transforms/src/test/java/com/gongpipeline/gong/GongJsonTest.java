package com.gongpipeline.gong;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class GongJsonTest {

  @Test
  void parsesNumericOffsets() {
    assertThat(
        GongJson.parseInstant("2026-08-28T08:00:00-07:00"),
        is(Instant.parse("2026-08-28T15:00:00Z")));
  }

  @Test
  void parsesZulu() {
    assertThat(GongJson.parseInstant("2018-02-18T08:00:00Z"), is(Instant.parse("2018-02-18T08:00:00Z")));
  }

  @Test
  void parsesMicrosecondFractions() {
    assertThat(
        GongJson.parseInstant("2020-11-20T21:30:07.233692Z"),
        is(Instant.parse("2020-11-20T21:30:07.233692Z")));
  }

  @Test
  void parsesMillisecondFractionsWithPositiveOffset() {
    assertThat(
        GongJson.parseInstant("2016-02-16T03:57:04.834+05:30"),
        is(Instant.parse("2016-02-15T22:27:04.834Z")));
  }

  @Test
  void parsesNanosecondFractionsAndCompactOffsets() {
    assertThat(
        GongJson.parseInstant("2020-11-20T21:30:07.123456789+0000"),
        is(Instant.parse("2020-11-20T21:30:07.123456789Z")));
  }

  @Test
  void offsetAndZuloTimesCompareAsInstantsNotStrings() {
    Instant pacific = GongJson.parseInstant("2026-08-28T08:00:00-07:00");
    Instant utc = GongJson.parseInstant("2026-08-28T14:59:59Z");
    assertThat(pacific.isAfter(utc), is(true)); // as strings "…08:00…" < "…14:59…"
  }

  @Test
  void nullOrBlankGivesNull() {
    assertThat(GongJson.parseInstant(null), nullValue());
    assertThat(GongJson.parseInstant("  "), nullValue());
  }

  @Test
  void garbageOrMissingOffsetIsAClearError() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> GongJson.parseInstant("yesterday"));
    assertThat(e.getMessage(), containsString("'yesterday'"));
    assertThrows(IllegalArgumentException.class, () -> GongJson.parseInstant("2026-08-28T08:00:00"));
    assertThrows(IllegalArgumentException.class, () -> GongJson.parseInstant("2026-13-28T08:00:00Z"));
  }

  @Test
  void formatsRequestTimesAsUtcZ() {
    assertThat(
        GongJson.formatInstant(Instant.parse("2026-03-01T00:00:00Z")), is("2026-03-01T00:00:00Z"));
  }

  @Test
  void twentyDigitNumericIdComesOutExactly() throws Exception {
    JsonNode node = GongJson.mapper().readTree("{\"id\": 98765432109876543210, \"small\": 42}");
    assertThat(GongJson.text(node, "id"), is("98765432109876543210"));
    assertThat(GongJson.text(node, "small"), is("42"));
  }

  @Test
  void decimalsHaveNoExponentOrBinaryRounding() throws Exception {
    JsonNode node =
        GongJson.mapper().readTree("{\"a\": 1e-7, \"b\": 0.1, \"c\": 12345678901234567890.123456789}");
    assertThat(GongJson.text(node, "a"), is("0.0000001"));
    assertThat(GongJson.text(node, "b"), is("0.1"));
    assertThat(GongJson.text(node, "c"), is("12345678901234567890.123456789"));
  }

  @Test
  void textIsNullSafeAndFollowsDotPaths() throws Exception {
    JsonNode node =
        GongJson.mapper().readTree("{\"s\":\"x\",\"n\":null,\"b\":true,\"metaData\":{\"id\":\"7\"}}");
    assertThat(GongJson.text(node, "s"), is("x"));
    assertThat(GongJson.text(node, "n"), nullValue());
    assertThat(GongJson.text(node, "missing"), nullValue());
    assertThat(GongJson.text(null, "s"), nullValue());
    assertThat(GongJson.text(node, "b"), is("true"));
    assertThat(GongJson.text(node, "metaData.id"), is("7"));
    assertThat(GongJson.text(node, "s.deeper"), nullValue());
  }

  @Test
  void unknownFieldsDoNotFailTypedReads() throws Exception {
    Probe p = GongJson.mapper().readValue("{\"id\":\"1\",\"addedByGongLater\":3}", Probe.class);
    assertThat(p.id, is("1"));
  }

  /** A typed target with fewer fields than the JSON. */
  static final class Probe {
    public String id;
  }
}
