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
 * @param summary the derived summary when Gong sent no brief ({@code SummariseCalls}), or null
 *     (none computed: a stored summary is kept)
 */
public record ParsedCall(
    CallContext context,
    CallFacts call,
    List<CallParticipant> participants,
    List<CallTopic> topics,
    List<TranscriptTurn> turns,
    @Nullable List<CallTracker> trackers,
    @Nullable List<TrackerOccurrence> trackerOccurrences,
    @Nullable CallSummary summary)
    implements Serializable {

  /** A call as parsed, before any summary is derived. */
  public ParsedCall(CallContext context, CallFacts call, List<CallParticipant> participants,
      List<CallTopic> topics, List<TranscriptTurn> turns, @Nullable List<CallTracker> trackers,
      @Nullable List<TrackerOccurrence> trackerOccurrences) {
    this(context, call, participants, topics, turns, trackers, trackerOccurrences, null);
  }

  /** This call with its derived summary. */
  public ParsedCall withSummary(@Nullable CallSummary s) {
    return new ParsedCall(context, call, participants, topics, turns, trackers,
        trackerOccurrences, s);
  }

  /** A call without trackers (none sent). */
  public ParsedCall(CallContext context, CallFacts call, List<CallParticipant> participants,
      List<CallTopic> topics, List<TranscriptTurn> turns) {
    this(context, call, participants, topics, turns, null, null, null);
  }
}
