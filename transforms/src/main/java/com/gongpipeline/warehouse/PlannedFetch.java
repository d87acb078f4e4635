package com.gongpipeline.warehouse;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One row of {@code OPS_MONITORING.CALL_FETCH_SCHEDULE}: a call, when a listing first showed it,
 * when its last fetch was planned (by {@code jobId}), how many were planned, and when the next one
 * is due ({@code null}: the schedule is done).
 */
public record PlannedFetch(String callId, Instant firstSeen, Instant lastFetched,
    @Nullable Instant nextDue, long fetches, String jobId) implements Serializable {
  public PlannedFetch {
    Objects.requireNonNull(callId, "callId");
    Objects.requireNonNull(firstSeen, "firstSeen");
    Objects.requireNonNull(lastFetched, "lastFetched");
    Objects.requireNonNull(jobId, "jobId");
  }
}
