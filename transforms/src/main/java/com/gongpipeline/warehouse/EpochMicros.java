package com.gongpipeline.warehouse;

import java.time.Instant;

/**
 * Instants as UTC epoch microseconds, the resolution both warehouses store TIMESTAMPs with (finer
 * digits are cut): how marks, leases and job-log times cross the JDBC boundary on every database.
 */
final class EpochMicros {
  private EpochMicros() {}

  /** Microseconds since the epoch (nanoseconds are truncated). */
  static long of(Instant i) {
    return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000L), i.getNano() / 1_000L);
  }

  static Instant toInstant(long micros) {
    return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
        Math.floorMod(micros, 1_000_000L) * 1_000L);
  }
}
