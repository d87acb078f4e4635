package com.gongpipeline.gong;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * JSON and timestamp helpers shared by the client and downstream parsing.
 *
 * <p>Why: Gong ids are "up to 20 digits", beyond {@code long}; if one ever arrives as a JSON number
 * it must survive exactly, so the {@link #mapper()} reads integers as {@code BigInteger} and floats
 * as {@code BigDecimal}, and {@link #text} renders numbers without scientific notation. Gong
 * timestamps come with numeric offsets and up to micro-second fractions and must be compared as
 * instants, never as strings ({@link #parseInstant}).
 */
public final class GongJson {

  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .build();

  /**
   * ISO-8601 date-time with a mandatory offset: {@code Z}, {@code +05:30}, {@code -0700} or
   * {@code +05}; 0–9 fraction digits.
   */
  private static final DateTimeFormatter OFFSET_DATE_TIME =
      new DateTimeFormatterBuilder()
          .parseCaseInsensitive()
          .append(DateTimeFormatter.ISO_LOCAL_DATE)
          .appendLiteral('T')
          .appendValue(ChronoField.HOUR_OF_DAY, 2)
          .appendLiteral(':')
          .appendValue(ChronoField.MINUTE_OF_HOUR, 2)
          .optionalStart()
          .appendLiteral(':')
          .appendValue(ChronoField.SECOND_OF_MINUTE, 2)
          .optionalStart()
          .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
          .optionalEnd()
          .optionalEnd()
          .optionalStart()
          .appendOffset("+HH:MM:ss", "Z")
          .optionalEnd()
          .optionalStart()
          .appendOffset("+HHMM", "Z")
          .optionalEnd()
          .optionalStart()
          .appendOffset("+HH", "Z")
          .optionalEnd()
          .toFormatter();

  private GongJson() {}

  /**
   * The shared mapper: unknown fields ignored, integers as BigInteger, floats as BigDecimal.
   * Thread-safe; do not reconfigure.
   */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /**
   * Parses a Gong timestamp such as {@code 2026-08-28T08:00:00-07:00}, {@code …Z},
   * {@code 2020-11-20T21:30:07.233692Z} or {@code 2016-02-16T03:57:04.834+05:30}.
   *
   * @return the instant, or {@code null} for null/blank input
   * @throws IllegalArgumentException naming the value if it is not an offset date-time (a value
   *     without offset is rejected: its instant would be a guess)
   */
  public static @Nullable Instant parseInstant(@Nullable String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String trimmed = value.trim();
    try {
      return OffsetDateTime.parse(trimmed, OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "Not an ISO-8601 date-time with offset (e.g. 2026-08-28T08:00:00-07:00 or"
              + " 2020-11-20T21:30:07.233692Z): '"
              + abbreviate(trimmed)
              + "'",
          e);
    }
  }

  /** {@link #parseInstant} on a field of {@code node}; null when absent or JSON null. */
  public static @Nullable Instant instant(@Nullable JsonNode node, String field) {
    return parseInstant(text(node, field));
  }

  /** ISO-8601 UTC with {@code Z}, as Gong expects in request filters. */
  public static String formatInstant(Instant instant) {
    return DateTimeFormatter.ISO_INSTANT.format(instant);
  }

  /**
   * Null-safe string value of {@code node.field}: textual as is, numbers exactly and without
   * exponent (a 20-digit id sent as a number comes back digit for digit), booleans as
   * {@code true}/{@code false}, objects/arrays as compact JSON; {@code null} when the node or field
   * is absent or JSON null. Accepts a dot path ({@code "metaData.id"}).
   */
  public static @Nullable String text(@Nullable JsonNode node, String field) {
    return asText(at(node, field));
  }

  /** String value of a node itself, with the same rules as {@link #text(JsonNode, String)}. */
  public static @Nullable String asText(@Nullable JsonNode value) {
    if (value == null || value.isNull() || value.isMissingNode()) {
      return null;
    }
    if (value.isTextual()) {
      return value.textValue();
    }
    if (value.isIntegralNumber()) {
      return value.bigIntegerValue().toString();
    }
    if (value.isNumber()) {
      // BigDecimal from our mapper; for DoubleNode from elsewhere this is the shortest exact repr.
      return value.decimalValue().toPlainString();
    }
    if (value.isBoolean()) {
      return Boolean.toString(value.booleanValue());
    }
    return value.toString();
  }

  /** The node at a dot path, or {@code null} if any step is missing or not an object. */
  static @Nullable JsonNode at(@Nullable JsonNode node, String dotPath) {
    JsonNode current = node;
    for (String part : dotPath.split("\\.")) {
      if (current == null || !current.isObject()) {
        return null;
      }
      current = current.get(part);
    }
    return current;
  }

  /** {@code errors[]} of a Gong ErrorResponse as strings (empty if absent). */
  static List<String> errors(@Nullable JsonNode body) {
    List<String> out = new ArrayList<>();
    JsonNode errors = body == null ? null : body.get("errors");
    if (errors != null && errors.isArray()) {
      for (JsonNode e : errors) {
        String s = asText(e);
        if (s != null) {
          out.add(s);
        }
      }
    } else if (errors != null && errors.isTextual()) {
      out.add(errors.textValue());
    }
    return out;
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }
}
