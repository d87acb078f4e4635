package com.gongpipeline.model;

import java.io.Serializable;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * What Gong computed about one call (its "AI" fields from {@code /v2/calls/extensive}), typed. A
 * field Gong did not send is null, never an empty value: missing is not empty, and the MERGE keeps
 * a stored value when a re-fetch comes without it.
 *
 * @param outcome {@code content.callOutcome.name} (or its id when unnamed)
 * @param outcomeId {@code content.callOutcome.id}, e.g. {@code MEETING_BOOKED}
 * @param nextStepsJson Gong's action items as a JSON array of {@code {text, speaker_id,
 *     speaker_name, start_ms, end_ms}}; null when {@code pointsOfInterest} was not sent
 * @param talkRatio the company side's share of the call's talk time in [0, 1], from {@code
 *     interaction.speakers} joined to the parties' affiliation
 * @param longestMonologueSeconds Gong's "Longest Monologue" (the host's)
 * @param highlightsJson {@code content.highlights} verbatim
 * @param outlineJson {@code content.outline} verbatim
 */
public record CallIntelligence(
    @Nullable String outcome,
    @Nullable String outcomeId,
    @Nullable String nextStepsJson,
    @Nullable Double talkRatio,
    @Nullable Double longestMonologueSeconds,
    @Nullable Double longestCustomerStorySeconds,
    @Nullable Double interactivity,
    @Nullable Double patience,
    @Nullable Integer questionsCompany,
    @Nullable Integer questionsNonCompany,
    @Nullable String primaryUserName,
    @Nullable String hubspotContactId,
    @Nullable String highlightsJson,
    @Nullable String outlineJson)
    implements Serializable {

  /** Nothing sent. */
  public static final CallIntelligence ABSENT = new CallIntelligence(null, null, null, null, null,
      null, null, null, null, null, null, null, null, null);
}
