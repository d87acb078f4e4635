package com.gongpipeline.model;

import java.io.Serializable;
import java.time.Instant;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One mention of a tracker in a call ({@code content.trackers[].occurrences[]}): who said it and
 * when, in milliseconds from the call's start.
 */
public record TrackerOccurrence(
    String callId,
    String trackerId,
    @Nullable String trackerName,
    @Nullable String speakerId,
    long startMs,
    String jobId,
    Instant loadedAt)
    implements Serializable {

  /** The occurrence's key within its call: tracker, time and speaker. */
  public String occurrenceId() {
    return trackerId + ":" + startMs + ":" + (speakerId == null ? "" : speakerId);
  }
}
