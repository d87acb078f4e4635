package com.gongpipeline.gong.sim;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Gong's date-time conventions. Requests may use {@code Z} or a numeric offset, with or without
 * fractional seconds; responses render {@code started}/{@code scheduled} in the call owner's time
 * zone with a numeric offset ({@code -08:00}, never {@code Z}), adding fractional seconds only when
 * the instant has them. That mix is exactly what breaks clients comparing timestamps as strings.
 */
final class TimeFormats {

  private static final DateTimeFormatter WHOLE_SECONDS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxxx");
  private static final DateTimeFormatter MILLIS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSxxx");
  private static final DateTimeFormatter MICROS_UTC =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneId.of("UTC"));

  private TimeFormats() {}

  /** Renders with the zone's numeric offset; fractional seconds (millis) only when present. */
  static String withOffset(Instant instant, ZoneId zone) {
    OffsetDateTime local = instant.atZone(zone).toOffsetDateTime();
    return (instant.getNano() == 0 ? WHOLE_SECONDS : MILLIS).format(local);
  }

  /** Renders in UTC with microseconds and {@code Z}, the other shape the spec's examples show. */
  static String utcMicros(Instant instant) {
    return MICROS_UTC.format(instant);
  }

  /**
   * Parses a request date-time; throws {@link ApiException} 400 naming the parameter otherwise.
   * Returns null for a null or blank value.
   */
  static Instant parseRequest(String name, String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return OffsetDateTime.parse(value, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      throw ApiException.badRequest(
          name + ": '" + value + "' is not an ISO-8601 date-time with offset");
    }
  }
}
