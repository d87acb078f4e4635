package com.gongpipeline.parse;

import static com.gongpipeline.parse.JsonSupport.array;
import static com.gongpipeline.parse.JsonSupport.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.gongpipeline.gong.GongJson;
import com.gongpipeline.model.CallContext;
import com.gongpipeline.model.CallFacts;
import com.gongpipeline.model.CallIntelligence;
import com.gongpipeline.model.CallTracker;
import com.gongpipeline.model.TrackerOccurrence;
import com.gongpipeline.model.CallParticipant;
import com.gongpipeline.model.CallTopic;
import com.gongpipeline.model.FetchedCall;
import com.gongpipeline.model.ParsedCall;
import com.gongpipeline.model.Sentence;
import com.gongpipeline.model.TranscriptTurn;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Turns one fetched Gong call ({@code /v2/calls/extensive} + {@code /v2/calls/transcript}) into
 * typed call facts, parties, topics and speaker turns (the warehouse layer maps them onto rows). Pure: no I/O, so it is tested on JSON fixtures.
 * Gong's own analysis ({@code content} outcome, action items, outline, highlights, trackers;
 * {@code interaction} speakers, stats, questions) is read by {@link GongIntelligence} and {@link
 * Trackers}, and each turn gets the entities {@link EntityExtractor} finds (the CRM account name
 * and the competitor/product tracker phrases as the organisations it knows).
 *
 * <p>Handles the API's known oddities: ids stay strings, timestamps carry offsets, parties may be
 * missing (imported calls), {@code speakerId} may be null or unmatched ("Unknown speaker"), CRM
 * context appears per system with {@code Now} and {@code TimeOfCall} timings ({@code Now} wins).
 */
public final class GongCallParser {
  public static final String UNKNOWN_SPEAKER = "Unknown speaker";
  /** Longest plausible call (and sentence offset): a week. Beyond it a value is refused. */
  public static final long MAX_CALL_SECONDS = 7L * 24 * 3600;

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(GongCallParser.class);

  private GongCallParser() {}

  /** As {@link #parse(FetchedCall, String, Instant, Consumer)}, logging each warning. */
  public static ParsedCall parse(FetchedCall fetched, String jobId, Instant loadedAt) {
    return parse(fetched, jobId, loadedAt,
        w -> LOG.warn("call {}: {}", fetched.callId(), w));
  }

  /**
   * Parses one call. Validation, never coercion: a malformed or out-of-range field the rest of the
   * call does not depend on (the call's or a topic's duration) is stored NULL and reported to
   * {@code warnings} (naming the field); one the transcript depends on (sentence offsets, {@code
   * start > end}) or a missing transcript raises an {@link IllegalArgumentException} (a {@link
   * JsonSupport.InvalidField} naming the field), which the caller dead-letters.
   */
  public static ParsedCall parse(FetchedCall fetched, String jobId, Instant loadedAt,
      Consumer<String> warnings) {
    JsonNode call = JsonSupport.parse(fetched.callJson());
    JsonNode meta = call.get("metaData");
    String callId = text(meta, "id");
    if (callId == null || callId.isBlank()) {
      throw new IllegalArgumentException("call object has no metaData.id");
    }
    if (!callId.equals(fetched.callId())) {
      throw new IllegalArgumentException(
          "call object id " + callId + " does not match requested id " + fetched.callId());
    }

    Crm crm = Crm.from(array(call, "context"));
    List<JsonNode> parties = array(call, "parties");
    Map<String, JsonNode> partyBySpeaker = new HashMap<>();
    List<CallParticipant> participants = new ArrayList<>();
    Map<String, Integer> externalDomains = new LinkedHashMap<>();
    int external = 0;
    for (int i = 0; i < parties.size(); i++) {
      JsonNode party = parties.get(i);
      String speakerId = text(party, "speakerId");
      if (speakerId != null) {
        partyBySpeaker.putIfAbsent(speakerId, party);
      }
      String affiliation = orDefault(text(party, "affiliation"), "Unknown");
      String email = text(party, "emailAddress");
      String domain = emailDomain(email);
      if ("External".equalsIgnoreCase(affiliation)) {
        external++;
        if (domain != null) {
          externalDomains.merge(domain, 1, Integer::sum);
        }
      }
      String participantId = text(party, "id");
      participants.add(
          new CallParticipant(
              callId,
              // A party without id still gets a stable key: its position in the call.
              participantId != null ? participantId : "idx-" + i,
              speakerId,
              text(party, "userId"),
              text(party, "name"),
              text(party, "title"),
              email,
              domain,
              text(party, "phoneNumber"),
              affiliation,
              jsonOrNull(party.get("methods")),
              jsonOrNull(party.get("context")),
              jobId,
              loadedAt));
    }

    JsonNode content = call.get("content");
    List<JsonNode> topicList = array(content, "topics");
    Map<JsonNode, Double> topicSeconds = new java.util.IdentityHashMap<>();
    for (int i = 0; i < topicList.size(); i++) {
      JsonNode topic = topicList.get(i);
      String path = "content.topics[" + i + "].duration";
      topicSeconds.put(topic, orNullWarning(warnings,
          () -> JsonSupport.decimalNumber(topic, "duration", path, 0, MAX_CALL_SECONDS)));
    }
    List<JsonNode> topicNodes = new ArrayList<>(topicList);
    topicNodes.sort(Comparator.comparingDouble(
        (JsonNode t) -> topicSeconds.get(t) == null ? 0 : topicSeconds.get(t)).reversed());
    List<CallTopic> topics = new ArrayList<>();
    ArrayNode keyTopics = JsonNodeFactory.instance.arrayNode();
    Map<String, Boolean> seenTopics = new HashMap<>();
    for (JsonNode t : topicNodes) {
      String name = text(t, "name");
      if (name == null || seenTopics.put(name, true) != null) {
        continue;
      }
      keyTopics.add(name);
      topics.add(new CallTopic(callId, name, topicSeconds.get(t), jobId, loadedAt));
    }
    ArrayNode keyPoints = JsonNodeFactory.instance.arrayNode();
    for (JsonNode kp : array(content, "keyPoints")) {
      String t = kp.isTextual() ? kp.asText() : text(kp, "text");
      if (t != null) {
        keyPoints.add(t);
      }
    }

    Trackers trackers = Trackers.parse(callId, content, jobId, loadedAt, warnings);
    CallIntelligence intelligence =
        GongIntelligence.parse(meta, content, call.get("interaction"), parties, warnings);
    List<String> organisations = new ArrayList<>();
    organisations.add(crm.accountName);
    organisations.addAll(trackers.organisationNames());
    EntityExtractor entities = EntityExtractor.of(organisations);
    List<TranscriptTurn> turns = new ArrayList<>();
    for (TranscriptTurn turn : parseTurns(callId, fetched.transcriptJson(), partyBySpeaker)) {
      turns.add(turn.withEntities(entities.extractJson(turn.text())));
    }
    int words = 0;
    for (TranscriptTurn turn : turns) {
      for (Sentence s : turn.sentences()) {
        words += countWords(s.text());
      }
    }

    String accountName = crm.accountName != null ? crm.accountName : topDomain(externalDomains);
    Instant started = GongJson.parseInstant(text(meta, "started"));
    String title = text(meta, "title");
    String language = text(meta, "language");
    CallFacts facts =
        new CallFacts(
            callId,
            title,
            started,
            GongJson.parseInstant(text(meta, "scheduled")),
            orNullWarning(warnings, () -> JsonSupport.wholeNumber(meta, "duration",
                "metaData.duration", 0, MAX_CALL_SECONDS)),
            text(meta, "direction"),
            text(meta, "scope"),
            text(meta, "system"),
            text(meta, "media"),
            language,
            text(meta, "url"),
            text(meta, "workspaceId"),
            text(meta, "primaryUserId"),
            meta.path("isPrivate").asBoolean(false),
            accountName,
            crm.industry,
            crm.hubspotDealId,
            crm.hubspotCompanyId,
            crm.salesforceAccountId,
            crm.salesforceOpportunityId,
            crm.stage,
            crm.amount,
            text(content, "brief"),
            JsonSupport.write(keyPoints),
            JsonSupport.write(keyTopics),
            parties.size(),
            external,
            turns.size(),
            words,
            jobId,
            loadedAt,
            intelligence);

    CallContext context =
        new CallContext(
            callId, title, started, language, accountName,
            crm.hubspotDealId, crm.hubspotCompanyId, crm.salesforceOpportunityId,
            text(meta, "workspaceId"), text(meta, "url"), fetched.version());
    return new ParsedCall(context, facts, participants, topics, turns, trackers.trackers(),
        trackers.occurrences());
  }

  private static List<TranscriptTurn> parseTurns(
      String callId, String transcriptJson, Map<String, JsonNode> partyBySpeaker) {
    List<TranscriptTurn> turns = new ArrayList<>();
    if (transcriptJson == null) {
      // Missing is not empty: replacing stored turns with none needs Gong's positive "[]".
      throw new IllegalArgumentException("transcript: missing for call " + callId
          + " (only a transcript array, possibly empty, replaces stored turns)");
    }
    JsonNode transcript = JsonSupport.parse(transcriptJson);
    JsonNode monologues = transcript.get("transcript");
    if (monologues == null || !monologues.isArray()) {
      throw new JsonSupport.InvalidField("transcript",
          "not an array (" + (monologues == null ? "absent" : monologues.getNodeType()) + ")");
    }
    String transcriptCallId = text(transcript, "callId");
    if (transcriptCallId != null && !transcriptCallId.equals(callId)) {
      throw new IllegalArgumentException(
          "transcript callId " + transcriptCallId + " does not match call " + callId);
    }
    int index = 0;
    int m = -1;
    for (JsonNode mono : array(transcript, "transcript")) {
      m++;
      String speakerId = text(mono, "speakerId");
      JsonNode party = speakerId == null ? null : partyBySpeaker.get(speakerId);
      String name = party == null ? null : text(party, "name");
      String affiliation = party == null ? null : text(party, "affiliation");
      List<Sentence> sentences = new ArrayList<>();
      int n = -1;
      for (JsonNode s : array(mono, "sentences")) {
        n++;
        String t = text(s, "text");
        if (t == null) {
          continue;
        }
        String path = "transcript[" + m + "].sentences[" + n + "]";
        long maxMs = MAX_CALL_SECONDS * 1000;
        Long start = JsonSupport.wholeNumber(s, "start", path + ".start", 0, maxMs);
        Long end = JsonSupport.wholeNumber(s, "end", path + ".end", 0, maxMs);
        if (start == null || end == null) {
          throw new JsonSupport.InvalidField(path, "a sentence needs start and end offsets");
        }
        if (start > end) {
          throw new JsonSupport.InvalidField(path,
              "start " + start + " ms is after end " + end + " ms");
        }
        sentences.add(new Sentence(start, end, t));
      }
      if (sentences.isEmpty()) {
        continue;
      }
      turns.add(
          new TranscriptTurn(
              callId, index++, speakerId, orDefault(name, UNKNOWN_SPEAKER),
              orDefault(affiliation, "Unknown"), text(mono, "topic"), sentences));
    }
    return turns;
  }

  static int countWords(String text) {
    int n = 0;
    boolean inWord = false;
    for (int i = 0; i < text.length(); i++) {
      boolean ws = Character.isWhitespace(text.charAt(i));
      if (!ws && !inWord) {
        n++;
      }
      inWord = !ws;
    }
    return n;
  }

  private static String emailDomain(String email) {
    if (email == null) {
      return null;
    }
    int at = email.lastIndexOf('@');
    return at < 0 || at == email.length() - 1 ? null : email.substring(at + 1).toLowerCase(Locale.ROOT);
  }

  private static String topDomain(Map<String, Integer> domains) {
    return domains.entrySet().stream()
        .max(Map.Entry.comparingByValue())
        .map(Map.Entry::getKey)
        .orElse(null);
  }

  private static String jsonOrNull(JsonNode node) {
    return node == null || node.isNull() ? null : JsonSupport.write(node);
  }

  /** The value, or null with a warning naming the refused field (never a coerced value). */
  private static <T> T orNullWarning(Consumer<String> warnings,
      java.util.function.Supplier<T> value) {
    try {
      return value.get();
    } catch (JsonSupport.InvalidField e) {
      warnings.accept(e.getMessage() + "; stored NULL");
      return null;
    }
  }

  private static String orDefault(String value, String dflt) {
    return value == null || value.isBlank() ? dflt : value;
  }

  /**
   * {@code content.trackers[]}: one {@link CallTracker} each, and their occurrences (from a
   * tracker's {@code occurrences}, else its phrases' {@code occurrences}). Null lists when Gong
   * sent no trackers, or no occurrences at all (not requested): stored rows then stay.
   */
  record Trackers(List<CallTracker> trackers, List<TrackerOccurrence> occurrences,
      List<String> organisationNames) {
    private static final Trackers NONE = new Trackers(null, null, List.of());

    static Trackers parse(String callId, JsonNode content, String jobId, Instant loadedAt,
        Consumer<String> warnings) {
      JsonNode list = content == null ? null : content.get("trackers");
      if (list == null || !list.isArray()) {
        return NONE;
      }
      List<CallTracker> trackers = new ArrayList<>();
      Map<String, TrackerOccurrence> occurrences = new LinkedHashMap<>();
      List<String> names = new ArrayList<>();
      boolean occurrencesSent = false;
      Map<String, Boolean> seen = new HashMap<>();
      for (int i = 0; i < list.size(); i++) {
        JsonNode t = list.get(i);
        String id = text(t, "id");
        String path = "content.trackers[" + i + "]";
        if (id == null || id.isBlank()) {
          warnings.accept(path + ".id: absent; tracker skipped");
          continue;
        }
        if (seen.put(id, true) != null) {
          continue;
        }
        String name = text(t, "name");
        Long count = orNullWarning(warnings,
            () -> JsonSupport.wholeNumber(t, "count", path + ".count", 0, Integer.MAX_VALUE));
        ArrayNode phrases = null;
        List<JsonNode> occurrenceNodes = new ArrayList<>();
        if (t.get("occurrences") != null && t.get("occurrences").isArray()) {
          occurrencesSent = true;
          occurrenceNodes.addAll(array(t, "occurrences"));
        }
        boolean fromPhrases = occurrenceNodes.isEmpty();
        if (t.get("phrases") != null && t.get("phrases").isArray()) {
          phrases = JsonNodeFactory.instance.arrayNode();
          for (JsonNode ph : array(t, "phrases")) {
            String phrase = text(ph, "phrase");
            phrases.addObject().put("phrase", phrase)
                .put("count", ph.path("count").isNumber() ? ph.get("count").asInt() : null);
            if (ph.get("occurrences") != null && ph.get("occurrences").isArray()) {
              occurrencesSent = true;
              if (fromPhrases) {
                occurrenceNodes.addAll(array(ph, "occurrences"));
              }
            }
            if (phrase != null && name != null && isOrganisationTracker(name)) {
              names.add(phrase);
            }
          }
        }
        trackers.add(new CallTracker(callId, id, name, text(t, "type"),
            count == null ? null : count.intValue(),
            phrases == null ? null : JsonSupport.write(phrases), jobId, loadedAt));
        for (int k = 0; k < occurrenceNodes.size(); k++) {
          JsonNode o = occurrenceNodes.get(k);
          Double seconds = orNullWarning(warnings, () -> JsonSupport.decimalNumber(o,
              "startTime", path + ".occurrences.startTime", 0, MAX_CALL_SECONDS));
          if (seconds == null) {
            continue;
          }
          TrackerOccurrence occ = new TrackerOccurrence(callId, id, name, text(o, "speakerId"),
              Math.round(seconds * 1000), jobId, loadedAt);
          occurrences.putIfAbsent(occ.occurrenceId(), occ);
        }
      }
      return new Trackers(trackers,
          occurrencesSent ? new ArrayList<>(occurrences.values()) : null, names);
    }

    /** Trackers whose phrases name organisations: competitors and products. */
    static boolean isOrganisationTracker(String name) {
      String n = name.toLowerCase(Locale.ROOT);
      return n.contains("competitor") || n.contains("product");
    }
  }

  /** CRM ids and account facts from call-level {@code context[]}; {@code Now} beats TimeOfCall. */
  private static final class Crm {
    String accountName;
    String industry;
    String hubspotDealId;
    String hubspotCompanyId;
    String salesforceAccountId;
    String salesforceOpportunityId;
    String stage;
    Double amount;

    static Crm from(List<JsonNode> contexts) {
      Crm crm = new Crm();
      // Two passes: TimeOfCall first, then Now overwrites, so current values win.
      for (String timing : List.of("TimeOfCall", "Now")) {
        for (JsonNode ctx : contexts) {
          String system = orDefault(text(ctx, "system"), "");
          for (JsonNode obj : array(ctx, "objects")) {
            String objTiming = orDefault(text(obj, "timing"), "Now");
            if (!objTiming.equalsIgnoreCase(timing)) {
              continue;
            }
            crm.apply(system, obj);
          }
        }
      }
      return crm;
    }

    private void apply(String system, JsonNode obj) {
      String type = orDefault(text(obj, "objectType"), "").toLowerCase(Locale.ROOT);
      String id = text(obj, "objectId");
      Map<String, String> fields = new HashMap<>();
      for (JsonNode f : array(obj, "fields")) {
        String name = text(f, "name");
        if (name != null) {
          fields.put(name.toLowerCase(Locale.ROOT), text(f, "value"));
        }
      }
      boolean account = type.equals("account") || type.equals("company");
      boolean deal = type.equals("opportunity") || type.equals("deal");
      if (account) {
        if (fields.get("name") != null) {
          accountName = fields.get("name");
        }
        if (fields.get("industry") != null) {
          industry = fields.get("industry");
        }
        if (system.equalsIgnoreCase("HubSpot")) {
          hubspotCompanyId = id;
        } else if (system.equalsIgnoreCase("Salesforce")) {
          salesforceAccountId = id;
        }
      } else if (deal) {
        String st = fields.containsKey("stagename") ? fields.get("stagename") : fields.get("dealstage");
        if (st != null) {
          stage = st;
        }
        String amt = fields.get("amount");
        if (amt != null) {
          try {
            amount = Double.valueOf(amt);
          } catch (NumberFormatException e) {
            // CRM values are free-form; a non-numeric amount stays only in RAW.
          }
        }
        if (system.equalsIgnoreCase("HubSpot")) {
          hubspotDealId = id;
        } else if (system.equalsIgnoreCase("Salesforce")) {
          salesforceOpportunityId = id;
        }
      }
    }
  }
}
