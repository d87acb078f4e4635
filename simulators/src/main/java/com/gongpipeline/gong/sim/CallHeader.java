package com.gongpipeline.gong.sim;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * The cheap, metadata-level part of a generated call: everything {@code GET /v2/calls} filters on
 * plus what decides its content. {@code scheduled} is null for uploaded calls. {@code bodySeed}
 * seeds the expensive part ({@link CallBody}), which is generated only when needed.
 */
record CallHeader(
    int index,
    String id,
    Instant started,
    Instant scheduled,
    Duration lag,
    SimUser primaryUser,
    CrmAccount account,
    Set<HardCase> hardCases,
    String language,
    String system,
    String direction,
    String scope,
    String media,
    String title,
    List<Theme> themes,
    long bodySeed) {

  boolean isPrivate() {
    return hardCases.contains(HardCase.PRIVATE);
  }

  boolean has(HardCase c) {
    return hardCases.contains(c);
  }

  /**
   * Gong's AI left this call without a brief and without action items (about 1 call in 5 with
   * speech), so a pipeline's own summary and next-step fallbacks are exercised. Derived from the
   * body seed, so no extra draw changes the rest of the tenant.
   */
  boolean gongAiSilent() {
    return !themes.isEmpty() && Math.floorMod(bodySeed >>> 11, 5) == 0;
  }

  /** Gong has finished processing the call at {@code asOf}, so every endpoint shows it. */
  boolean visibleAt(Instant asOf) {
    return !asOf.isBefore(started.plus(lag));
  }

  String workspaceId() {
    return primaryUser.workspaceId();
  }

  boolean conference() {
    return "Conference".equals(direction);
  }
}
