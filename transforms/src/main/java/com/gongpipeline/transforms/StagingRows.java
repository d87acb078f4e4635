package com.gongpipeline.transforms;

import com.gongpipeline.enrich.NextStepsRule;
import com.gongpipeline.model.CallFacts;
import com.gongpipeline.model.CallSummary;
import com.gongpipeline.parse.JsonSupport;
import com.gongpipeline.model.CallIntelligence;
import com.gongpipeline.model.CallTracker;
import com.gongpipeline.model.TrackerOccurrence;
import com.gongpipeline.model.CallParticipant;
import com.gongpipeline.model.CallTopic;
import com.gongpipeline.model.ParsedCall;
import com.gongpipeline.model.TranscriptTurn;
import com.gongpipeline.warehouse.ChildKeys;
import com.gongpipeline.warehouse.WarehouseRow;
import com.gongpipeline.warehouse.WarehouseRow.Json;
import com.gongpipeline.warehouse.WarehouseTable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Maps a parsed call onto its {@code STG_TRANSFORMED} rows: the one place that knows the staging
 * tables' column names (the parser and the model know none). Pure functions, unit-tested.
 */
public final class StagingRows {
  private StagingRows() {}

  /** The {@code STG_GONG_CALLS} row, with the call's sentiment (null when not scored). */
  public static WarehouseRow call(CallFacts c, @Nullable Double sentiment,
      @Nullable String sentimentModel) {
    return callBuilder(c, sentiment, sentimentModel).build();
  }

  /**
   * The {@code STG_GONG_CALLS} row of a parsed call with what is derived from it: {@code
   * CALL_SUMMARY} (Gong's brief when present, else the call's derived summary, else NULL so a
   * stored one is kept) and {@code NEXT_STEPS} (Gong's action items when it sent some, else the
   * {@link NextStepsRule} over the call's closing), each with the method that produced it.
   */
  public static WarehouseRow call(ParsedCall call, @Nullable Double sentiment,
      @Nullable String sentimentModel) {
    CallFacts c = call.call();
    WarehouseRow.Builder b = callBuilder(c, sentiment, sentimentModel);
    CallSummary summary = summary(call);
    b.set("CALL_SUMMARY", summary == null ? null : summary.text())
        .set("CALL_SUMMARY_METHOD", summary == null ? null : summary.method())
        .set("CALL_SUMMARY_INPUT_HASH", summary == null ? null : summary.inputHash());
    String gong = c.intelligence().nextStepsJson();
    if (hasItems(gong)) {
      b.set("NEXT_STEPS_METHOD", NextStepsRule.GONG_METHOD);
    } else {
      String rule = NextStepsRule.nextStepsJson(call.turns());
      if (rule != null) {
        b.set("NEXT_STEPS", new Json(rule)).set("NEXT_STEPS_METHOD", NextStepsRule.METHOD);
      } else if (gong != null) {
        b.set("NEXT_STEPS_METHOD", NextStepsRule.GONG_METHOD);
      }
    }
    return b.build();
  }

  /** Gong's brief as the summary when it sent one, else the derived summary (or null). */
  static @Nullable CallSummary summary(ParsedCall call) {
    String brief = call.call().brief();
    if (brief != null && !brief.isBlank()) {
      return new CallSummary(brief, GONG_BRIEF, JsonSupport.sha256(GONG_BRIEF + "\n" + brief));
    }
    return call.summary();
  }

  /** {@code CALL_SUMMARY_METHOD} of Gong's own brief. */
  public static final String GONG_BRIEF = "gong-brief";

  private static boolean hasItems(@Nullable String json) {
    return json != null && !json.isBlank() && !json.strip().equals("[]");
  }

  private static WarehouseRow.Builder callBuilder(CallFacts c, @Nullable Double sentiment,
      @Nullable String sentimentModel) {
    CallIntelligence i = c.intelligence();
    return WarehouseRow.of(WarehouseTable.STG_CALLS)
        .set("CALL_ID", c.callId())
        .set("CALL_TITLE", c.title())
        .set("CALL_DATETIME_UTC", c.started())
        .set("CALL_SCHEDULED_UTC", c.scheduled())
        .set("CALL_DURATION_SECONDS", c.durationSeconds())
        .set("CALL_DIRECTION", c.direction())
        .set("CALL_SCOPE", c.scope())
        .set("CALL_SYSTEM", c.system())
        .set("CALL_MEDIA", c.media())
        .set("CALL_LANGUAGE", c.language())
        .set("CALL_URL", c.url())
        .set("WORKSPACE_ID", c.workspaceId())
        .set("PRIMARY_USER_ID", c.primaryUserId())
        .set("IS_PRIVATE", c.isPrivate())
        .set("ACCOUNT_NAME", c.accountName())
        .set("ACCOUNT_INDUSTRY", c.accountIndustry())
        .set("HUBSPOT_DEAL_ID", c.hubspotDealId())
        .set("HUBSPOT_COMPANY_ID", c.hubspotCompanyId())
        .set("SALESFORCE_ACCOUNT_ID", c.salesforceAccountId())
        .set("SALESFORCE_OPPORTUNITY_ID", c.salesforceOpportunityId())
        .set("OPPORTUNITY_STAGE", c.opportunityStage())
        .set("OPPORTUNITY_AMOUNT", c.opportunityAmount())
        .set("CALL_BRIEF", c.brief())
        .set("KEY_POINTS", new Json(c.keyPointsJson()))
        .set("KEY_TOPICS", new Json(c.keyTopicsJson()))
        .set("PARTICIPANT_COUNT", c.participantCount())
        .set("EXTERNAL_PARTICIPANT_COUNT", c.externalParticipantCount())
        .set("TRANSCRIPT_SEGMENT_COUNT", c.transcriptSegmentCount())
        .set("TRANSCRIPT_WORD_COUNT", c.transcriptWordCount())
        .set("JOB_ID", c.jobId())
        .set("LOADED_AT", c.loadedAt())
        .set("SENTIMENT_SCORE", sentiment)
        .set("SENTIMENT_MODEL", sentimentModel)
        .set("IS_DELETED", false) // written because Gong lists it: a reappeared call is restored
        .set("DELETED_AT", null)
        .set("CALL_OUTCOME", i.outcome())
        .set("CALL_OUTCOME_ID", i.outcomeId())
        .set("NEXT_STEPS", json(i.nextStepsJson()))
        .set("TALK_RATIO", i.talkRatio())
        .set("LONGEST_MONOLOGUE_SECONDS", i.longestMonologueSeconds())
        .set("LONGEST_CUSTOMER_STORY_SECONDS", i.longestCustomerStorySeconds())
        .set("INTERACTIVITY", i.interactivity())
        .set("PATIENCE", i.patience())
        .set("QUESTIONS_COMPANY", i.questionsCompany())
        .set("QUESTIONS_NON_COMPANY", i.questionsNonCompany())
        .set("PRIMARY_USER_NAME", i.primaryUserName())
        .set("HUBSPOT_CONTACT_ID", i.hubspotContactId())
        .set("HIGHLIGHTS", json(i.highlightsJson()))
        .set("OUTLINE", json(i.outlineJson()));
  }

  /** A {@code STG_GONG_CALL_PARTICIPANTS} row. */
  public static WarehouseRow participant(CallParticipant p) {
    return WarehouseRow.of(WarehouseTable.STG_PARTICIPANTS)
        .set("CALL_ID", p.callId())
        .set("PARTICIPANT_ID", p.participantId())
        .set("SPEAKER_ID", p.speakerId())
        .set("USER_ID", p.userId())
        .set("PARTICIPANT_NAME", p.name())
        .set("TITLE", p.title())
        .set("EMAIL_ADDRESS", p.emailAddress())
        .set("EMAIL_DOMAIN", p.emailDomain())
        .set("PHONE_NUMBER", p.phoneNumber())
        .set("AFFILIATION", p.affiliation())
        .set("METHODS", json(p.methodsJson()))
        .set("CRM_CONTEXT", json(p.crmContextJson()))
        .set("JOB_ID", p.jobId())
        .set("LOADED_AT", p.loadedAt())
        .build();
  }

  /** A {@code STG_GONG_CALL_TOPICS} row. */
  public static WarehouseRow topic(CallTopic t) {
    return WarehouseRow.of(WarehouseTable.STG_TOPICS)
        .set("CALL_ID", t.callId())
        .set("TOPIC_NAME", t.name())
        .set("DURATION_SECONDS", t.durationSeconds())
        .set("JOB_ID", t.jobId())
        .set("LOADED_AT", t.loadedAt())
        .build();
  }

  /** A {@code STG_GONG_CALL_TRANSCRIPTS} row: one speaker turn and its sentiment (or null). */
  public static WarehouseRow turn(TranscriptTurn t, @Nullable Double sentiment, String jobId,
      Instant loadedAt) {
    return WarehouseRow.of(WarehouseTable.STG_TRANSCRIPTS)
        .set("TRANSCRIPT_ID", transcriptId(t))
        .set("CALL_ID", t.callId())
        .set("TURN_INDEX", t.turnIndex())
        .set("SPEAKER_ID", t.speakerId())
        .set("SPEAKER_NAME", t.speakerName())
        .set("AFFILIATION", t.affiliation())
        .set("TOPIC", t.topic())
        .set("START_MS", t.startMs())
        .set("END_MS", t.endMs())
        .set("SENTENCE_COUNT", t.sentences().size())
        .set("TRANSCRIPT_TEXT", t.text())
        .set("SEGMENT_SENTIMENT", sentiment)
        .set("JOB_ID", jobId)
        .set("LOADED_AT", loadedAt)
        .set("EXTRACTED_ENTITIES", json(t.entitiesJson()))
        .build();
  }

  /** A {@code STG_GONG_CALL_TRACKERS} row. */
  public static WarehouseRow tracker(CallTracker t) {
    return WarehouseRow.of(WarehouseTable.STG_TRACKERS)
        .set("CALL_ID", t.callId())
        .set("TRACKER_ID", t.trackerId())
        .set("TRACKER_NAME", t.name())
        .set("TRACKER_TYPE", t.type())
        .set("MENTION_COUNT", t.count())
        .set("PHRASES", json(t.phrasesJson()))
        .set("JOB_ID", t.jobId())
        .set("LOADED_AT", t.loadedAt())
        .build();
  }

  /** A {@code STG_GONG_CALL_TRACKER_OCCURRENCES} row. */
  public static WarehouseRow trackerOccurrence(TrackerOccurrence o) {
    return WarehouseRow.of(WarehouseTable.STG_TRACKER_OCCURRENCES)
        .set("CALL_ID", o.callId())
        .set("OCCURRENCE_ID", o.occurrenceId())
        .set("TRACKER_ID", o.trackerId())
        .set("TRACKER_NAME", o.trackerName())
        .set("SPEAKER_ID", o.speakerId())
        .set("START_MS", o.startMs())
        .set("JOB_ID", o.jobId())
        .set("LOADED_AT", o.loadedAt())
        .build();
  }

  /**
   * The tracker and occurrence rows of a call, with its version; none for what Gong did not send
   * (see {@link ParsedCall#trackers()}).
   */
  public static List<WarehouseRow> trackerRows(ParsedCall call) {
    List<WarehouseRow> rows = new ArrayList<>();
    long v = call.context().version();
    if (call.trackers() != null) {
      for (CallTracker t : call.trackers()) {
        rows.add(tracker(t).withCallVersion(v));
      }
    }
    if (call.trackerOccurrences() != null) {
      for (TrackerOccurrence o : call.trackerOccurrences()) {
        rows.add(trackerOccurrence(o).withCallVersion(v));
      }
    }
    return rows;
  }

  /** The key of a turn's row. */
  public static String transcriptId(TranscriptTurn t) {
    return t.callId() + ":" + t.turnIndex();
  }

  /** Key sets of one call's STG transcripts, participants, topics and trackers ({@link ChildKeys}). */
  public static List<ChildKeys> keySets(ParsedCall call) {
    String callId = call.context().callId();
    long v = call.context().version();
    List<String> turns = new ArrayList<>();
    for (TranscriptTurn t : call.turns()) {
      turns.add(transcriptId(t));
    }
    List<String> participants = new ArrayList<>();
    for (CallParticipant p : call.participants()) {
      participants.add(p.participantId());
    }
    List<String> topics = new ArrayList<>();
    for (CallTopic t : call.topics()) {
      topics.add(t.name());
    }
    List<ChildKeys> sets = new ArrayList<>(List.of(
        new ChildKeys(WarehouseTable.STG_TRANSCRIPTS, "CALL_ID", callId, "TRANSCRIPT_ID", turns, v),
        new ChildKeys(WarehouseTable.STG_PARTICIPANTS, "CALL_ID", callId, "PARTICIPANT_ID",
            participants, v),
        new ChildKeys(WarehouseTable.STG_TOPICS, "CALL_ID", callId, "TOPIC_NAME", topics, v)));
    // Missing is not empty: only trackers (occurrences) Gong sent replace the stored set.
    if (call.trackers() != null) {
      sets.add(new ChildKeys(WarehouseTable.STG_TRACKERS, "CALL_ID", callId, "TRACKER_ID",
          call.trackers().stream().map(CallTracker::trackerId).toList(), v));
    }
    if (call.trackerOccurrences() != null) {
      sets.add(new ChildKeys(WarehouseTable.STG_TRACKER_OCCURRENCES, "CALL_ID", callId,
          "OCCURRENCE_ID",
          call.trackerOccurrences().stream().map(TrackerOccurrence::occurrenceId).toList(), v));
    }
    return List.copyOf(sets);
  }

  private static @Nullable Json json(@Nullable String text) {
    return text == null ? null : new Json(text);
  }
}
