package com.gongpipeline.gong.sim;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a perfect sync of the calls started in {@code [from, to)} must contain, as seen at
 * {@code asOf} (the simulator clock's now): every call that has finished processing, with its
 * parties and monologues exactly as the API serves them, plus users and workspaces. Tests compare
 * a pipeline's output against it; {@code hardCases} maps each hard-case name (see
 * {@link #HARD_CASE_NAMES}) to the ids of the calls in this window that exhibit it.
 *
 * <p>Serialisable with a plain Jackson {@code ObjectMapper} (also served as JSON by
 * {@code GET /sim/ground-truth}).
 */
public record GroundTruth(
    @JsonSerialize(using = InstantJson.Serializer.class)
    @JsonDeserialize(using = InstantJson.Deserializer.class) Instant from,
    @JsonSerialize(using = InstantJson.Serializer.class)
    @JsonDeserialize(using = InstantJson.Deserializer.class) Instant to,
    @JsonSerialize(using = InstantJson.Serializer.class)
    @JsonDeserialize(using = InstantJson.Deserializer.class) Instant asOf,
    List<Call> calls,
    Map<String, List<String>> hardCases,
    List<User> users,
    List<Workspace> workspaces) {

  /** Every hard-case name that can appear as a key of {@link #hardCases()}. */
  public static final List<String> HARD_CASE_NAMES = java.util.Arrays.stream(HardCase.values())
      .map(HardCase::wireName).toList();

  /**
   * One visible call. CRM ids are null for the other CRM; {@code parties} is empty for uploaded
   * calls; {@code facts} are the concrete values the conversation states (competitor,
   * discountPercent, seats, …, and piiEmail/piiPhone/piiSsn on {@code pii} calls);
   * {@code sentiment} is how the call went, {@code negative}, {@code neutral} or {@code positive}
   * (null when nothing was said), see {@link #SENTIMENT_LABELS}; {@code risks} are the deal risks
   * the customer side (External parties' speakers) voices, one per category per sentence, in
   * transcript order.
   */
  public record Call(
      String callId,
      @JsonSerialize(using = InstantJson.Serializer.class)
      @JsonDeserialize(using = InstantJson.Deserializer.class) Instant started,
      String title,
      boolean isPrivate,
      String workspaceId,
      String primaryUserId,
      String accountName,
      String hubspotDealId,
      String hubspotCompanyId,
      String salesforceAccountId,
      String salesforceOpportunityId,
      String language,
      String sentiment,
      long durationSeconds,
      List<String> hardCases,
      List<String> topics,
      Map<String, String> facts,
      List<Party> parties,
      List<Monologue> monologues,
      Intelligence intelligence,
      List<Risk> risks) {

    /** The risk categories the customer side voices in this call (see {@link #RISK_CATEGORIES}). */
    public java.util.Set<String> riskCategories() {
      java.util.Set<String> out = new java.util.TreeSet<>();
      risks.forEach(x -> out.add(x.category()));
      return out;
    }

    /** Number of sentences over all monologues. */
    public int sentenceCount() {
      return monologues.stream().mapToInt(m -> m.sentences().size()).sum();
    }
  }

  /**
   * What the simulator's "Gong AI" says about the call, as {@code /v2/calls/extensive} serves it
   * when asked (see {@code CallInsights} for how each is derived from the transcript).
   *
   * @param outcomeId {@code content.callOutcome.id}; {@code outcome} its name
   * @param nextSteps the action items: transcript sentences, with speaker and offsets
   * @param trackers every tracker of the tenant with its count and occurrences (ms, speaker)
   * @param talkRatio the Internal parties' share of the parties' talk time; null without parties
   * @param talkMillis talk per speaker id: the sum of that speaker's sentence durations
   * @param longestMonologueSeconds the host's (primary user's) longest monologue; null, like the
   *     other host stats, when the host has no speech
   * @param primaryUserName the primary user's party name; null without parties
   * @param hubspotContactId the first External party's HubSpot contact; null on Salesforce
   * @param gongAiSilent Gong served neither a brief nor action items for this call (about 1 in 5
   *     calls with speech): a pipeline summarises it and derives its next steps itself
   * @param closingNextSteps the true next steps: the commitments spoken in the call's closing
   *     (its Next Steps monologues), served as action items or not; what a next-step fallback
   *     should find
   */
  public record Intelligence(
      String outcomeId,
      String outcome,
      List<ActionItem> nextSteps,
      List<Tracker> trackers,
      Double talkRatio,
      Map<String, Long> talkMillis,
      Double longestMonologueSeconds,
      Double longestCustomerStorySeconds,
      Double interactivity,
      Double patience,
      int questionsCompany,
      int questionsNonCompany,
      String primaryUserName,
      String hubspotContactId,
      boolean gongAiSilent,
      List<ActionItem> closingNextSteps) {}

  /**
   * A customer sentence voicing a deal risk: its category (one of {@link #RISK_CATEGORIES}),
   * speaker and start in ms from the call's start.
   */
  public record Risk(String category, String speakerId, long startMs) {}

  /** The fixed risk taxonomy, in canonical order. */
  public static final List<String> RISK_CATEGORIES = RiskBook.CATEGORIES;

  /** An action item: a sentence of the transcript, by its speaker (may be null), in ms. */
  public record ActionItem(String text, String speakerId, long startMs, long endMs) {}

  /** A tracker of a call: id, name, KEYWORD or SMART, count and occurrences. */
  public record Tracker(String id, String name, String type, int count,
      List<Occurrence> occurrences) {}

  /** Where a tracker phrase was spoken: speaker id and ms from the call's start. */
  public record Occurrence(String speakerId, long startMs) {}

  /** A participant; {@code speakerId} is null for the Unknown party, {@code userId} for externals. */
  public record Party(String id, String speakerId, String name, String email, String affiliation,
      String userId, String title) {}

  /** A speaker turn; {@code speakerId} may be null, start/end are ms from the call's start. */
  public record Monologue(String speakerId, String topic, long startMs, long endMs,
      List<Sentence> sentences) {

    /** The sentence texts in order. */
    public List<String> texts() {
      return sentences.stream().map(Sentence::text).toList();
    }
  }

  /** One sentence with its millisecond offsets. */
  public record Sentence(long start, long end, String text) {}

  /** A Gong user as {@code GET /v2/users} lists it (without avatars). */
  public record User(String id, String email, String firstName, String lastName, String title,
      String managerId, boolean active, String workspaceId) {}

  /** A workspace. */
  public record Workspace(String id, String name, String description) {}

  /** The values of {@link Call#sentiment()}. */
  public static final List<String> SENTIMENT_LABELS = List.of("negative", "neutral", "positive");

  /** Ids of all calls, in start order. */
  public List<String> callIds() {
    return calls.stream().map(Call::callId).toList();
  }

  /** Ids of the calls a sync that drops private calls must contain. */
  public List<String> nonPrivateCallIds() {
    return calls.stream().filter(c -> !c.isPrivate()).map(Call::callId).toList();
  }

  /** Total sentences over all calls. */
  public long sentenceCount() {
    return calls.stream().mapToLong(Call::sentenceCount).sum();
  }

  /** Ids of the calls exhibiting a hard case (empty when none in this window). */
  public List<String> hardCase(String name) {
    return hardCases.getOrDefault(name, List.of());
  }

  /** The call with this id, or null. */
  public Call call(String callId) {
    return calls.stream().filter(c -> c.callId().equals(callId)).findFirst().orElse(null);
  }
}
