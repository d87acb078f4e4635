package com.gongpipeline.pipeline;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** Parses the command line's {@code --from}/{@code --to}: an ISO instant, offset time or date. */
final class Instants {
  private Instants() {}

  static Instant parse(String option, String value) {
    try {
      if (value.length() == 10) {
        return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
      }
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("--" + option + "=" + value
          + " is not an ISO-8601 date (2026-01-31) or instant (2026-01-31T00:00:00Z)");
    }
  }
}
