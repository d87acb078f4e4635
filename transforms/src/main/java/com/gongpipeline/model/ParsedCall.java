package com.gongpipeline.model;

import java.io.Serializable;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A call parsed into typed facts and speaker turns. Sentiment is still unknown: the scoring step
 * adds it when the warehouse rows are made.
 *
 * @param call the call's facts (its staging row without sentiment)
 * @param participants the call's parties
 * @param topics the call's topics
 * @param turns the transcript's speaker turns, in order, joined to parties
 * @param trackers the call's trackers, or null when Gong sent no {@code content.trackers}
 *     (missing is not empty: stored trackers are then left as they are)
 * @param trackerOccurrences the trackers' occurrences, or null when Gong sent none
 */
public record ParsedCall(
    CallContext context,
    CallFacts call,
    List<CallParticipant> participants,
    List<CallTopic> topics,
    List<TranscriptTurn> turns,
    @Nullable List<CallTracker> trackers,
    @Nullable List<TrackerOccurrence> trackerOccurrences)
    implements Serializable {

  /** A call without trackers (none sent). */
  public ParsedCall(CallContext context, CallFacts call, List<CallParticipant> participants,
      List<CallTopic> topics, List<TranscriptTurn> turns) {
    this(context, call, participants, topics, turns, null, null);
  }
}
