package com.gongpipeline.model;

import java.io.Serializable;
import java.util.List;

/**
 * A call parsed into typed facts and speaker turns. Sentiment is still unknown: the scoring step
 * adds it when the warehouse rows are made.
 *
 * @param call the call's facts (its staging row without sentiment)
 * @param participants the call's parties
 * @param topics the call's topics
 * @param turns the transcript's speaker turns, in order, joined to parties
 */
public record ParsedCall(
    CallContext context,
    CallFacts call,
    List<CallParticipant> participants,
    List<CallTopic> topics,
    List<TranscriptTurn> turns)
    implements Serializable {}
