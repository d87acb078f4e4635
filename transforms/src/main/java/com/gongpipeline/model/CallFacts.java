package com.gongpipeline.model;

import java.io.Serializable;
import java.time.Instant;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * What one parsed call is, before sentiment: its metadata, CRM facts, content summary and counts.
 * The warehouse layer maps it onto its staging row; this record knows no table or column.
 *
 * @param keyPointsJson Gong's key points as a JSON array of strings
 * @param keyTopicsJson the call's topic names, longest first, as a JSON array
 * @param intelligence what Gong computed about the call (outcome, action items, talk ratio, …)
 */
public record CallFacts(
    String callId,
    @Nullable String title,
    @Nullable Instant started,
    @Nullable Instant scheduled,
    @Nullable Long durationSeconds,
    @Nullable String direction,
    @Nullable String scope,
    @Nullable String system,
    @Nullable String media,
    @Nullable String language,
    @Nullable String url,
    @Nullable String workspaceId,
    @Nullable String primaryUserId,
    boolean isPrivate,
    @Nullable String accountName,
    @Nullable String accountIndustry,
    @Nullable String hubspotDealId,
    @Nullable String hubspotCompanyId,
    @Nullable String salesforceAccountId,
    @Nullable String salesforceOpportunityId,
    @Nullable String opportunityStage,
    @Nullable Double opportunityAmount,
    @Nullable String brief,
    String keyPointsJson,
    String keyTopicsJson,
    int participantCount,
    int externalParticipantCount,
    int transcriptSegmentCount,
    int transcriptWordCount,
    String jobId,
    Instant loadedAt,
    CallIntelligence intelligence)
    implements Serializable {

  /** A call without Gong's computed fields ({@link CallIntelligence#ABSENT}). */
  public CallFacts(String callId, @Nullable String title, @Nullable Instant started,
      @Nullable Instant scheduled, @Nullable Long durationSeconds, @Nullable String direction,
      @Nullable String scope, @Nullable String system, @Nullable String media,
      @Nullable String language, @Nullable String url, @Nullable String workspaceId,
      @Nullable String primaryUserId, boolean isPrivate, @Nullable String accountName,
      @Nullable String accountIndustry, @Nullable String hubspotDealId,
      @Nullable String hubspotCompanyId, @Nullable String salesforceAccountId,
      @Nullable String salesforceOpportunityId, @Nullable String opportunityStage,
      @Nullable Double opportunityAmount, @Nullable String brief, String keyPointsJson,
      String keyTopicsJson, int participantCount, int externalParticipantCount,
      int transcriptSegmentCount, int transcriptWordCount, String jobId, Instant loadedAt) {
    this(callId, title, started, scheduled, durationSeconds, direction, scope, system, media,
        language, url, workspaceId, primaryUserId, isPrivate, accountName, accountIndustry,
        hubspotDealId, hubspotCompanyId, salesforceAccountId, salesforceOpportunityId,
        opportunityStage, opportunityAmount, brief, keyPointsJson, keyTopicsJson, participantCount,
        externalParticipantCount, transcriptSegmentCount, transcriptWordCount, jobId, loadedAt,
        CallIntelligence.ABSENT);
  }
}
