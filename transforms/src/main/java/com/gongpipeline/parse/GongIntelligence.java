package com.gongpipeline.parse;

import static com.gongpipeline.parse.JsonSupport.array;
import static com.gongpipeline.parse.JsonSupport.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.gongpipeline.model.CallIntelligence;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Gong's own analysis of a call ({@code content} and {@code interaction} of {@code
 * /v2/calls/extensive}) as a {@link CallIntelligence}. Every field is null when Gong did not send
 * it (it was not requested, or Gong has none for the call); a malformed number is null with a
 * warning naming it, never a coerced value.
 *
 * <p>{@code TALK_RATIO} is the company side's share of the call's talk time: the {@code talkTime}
 * of speakers whose party is Internal over the {@code talkTime} of all speakers ({@code
 * interaction.speakers[].id} is the party id). Gong's own "Talk Ratio" stat covers the host only.
 */
final class GongIntelligence {
  private static final double MAX_SECONDS = GongCallParser.MAX_CALL_SECONDS;

  private GongIntelligence() {}

  static CallIntelligence parse(JsonNode meta, @Nullable JsonNode content,
      @Nullable JsonNode interaction, List<JsonNode> parties, Consumer<String> warnings) {
    Map<String, JsonNode> byId = new HashMap<>();
    Map<String, JsonNode> bySpeaker = new HashMap<>();
    Map<String, JsonNode> byUser = new HashMap<>();
    for (JsonNode p : parties) {
      putIfPresent(byId, text(p, "id"), p);
      putIfPresent(bySpeaker, text(p, "speakerId"), p);
      putIfPresent(byUser, text(p, "userId"), p);
    }
    JsonNode outcome = content == null ? null : content.get("callOutcome");
    String outcomeId = outcome == null ? null : text(outcome, "id");
    String outcomeName = outcome == null ? null : text(outcome, "name");
    Map<String, Double> stats = stats(interaction, warnings);
    JsonNode questions = interaction == null ? null : interaction.get("questions");
    String primaryUser = text(meta, "primaryUserId");
    JsonNode primary = primaryUser == null ? null : byUser.get(primaryUser);
    return new CallIntelligence(
        outcomeName != null ? outcomeName : outcomeId,
        outcomeId,
        nextSteps(content, byId, bySpeaker, warnings),
        talkRatio(interaction, parties, byId, bySpeaker, byUser, warnings),
        stats.get("longest monologue"),
        stats.get("longest customer story"),
        stats.get("interactivity"),
        stats.get("patience"),
        count(questions, "companyCount", warnings),
        count(questions, "nonCompanyCount", warnings),
        primary == null ? null : text(primary, "name"),
        hubspotContact(parties),
        json(content, "highlights"),
        json(content, "outline"));
  }

  /** {@code pointsOfInterest.actionItems} as {@code [{text, speaker_id, speaker_name, start_ms, end_ms}]}. */
  static @Nullable String nextSteps(@Nullable JsonNode content, Map<String, JsonNode> byId,
      Map<String, JsonNode> bySpeaker, Consumer<String> warnings) {
    JsonNode poi = content == null ? null : content.get("pointsOfInterest");
    JsonNode items = poi == null ? null : poi.get("actionItems");
    if (items == null || !items.isArray()) {
      return null;
    }
    ArrayNode out = JsonNodeFactory.instance.arrayNode();
    for (int i = 0; i < items.size(); i++) {
      JsonNode item = items.get(i);
      String snippet = text(item, "snippet");
      if (snippet == null) {
        continue;
      }
      String path = "content.pointsOfInterest.actionItems[" + i + "]";
      // The spec spells it speakerID; accept speakerId too. It may be a speaker or a party id.
      String speaker = text(item, "speakerID") != null ? text(item, "speakerID")
          : text(item, "speakerId");
      JsonNode party = speaker == null ? null
          : bySpeaker.containsKey(speaker) ? bySpeaker.get(speaker) : byId.get(speaker);
      Long start = millis(item, "snippetStartTime", path, warnings);
      Long end = millis(item, "snippetEndTime", path, warnings);
      var o = out.addObject().put("text", snippet);
      o.put("speaker_id", party != null && text(party, "speakerId") != null
          ? text(party, "speakerId") : speaker);
      o.put("speaker_name", party == null ? null : text(party, "name"));
      o.put("start_ms", start);
      o.put("end_ms", end);
    }
    return JsonSupport.write(out);
  }

  static @Nullable Double talkRatio(@Nullable JsonNode interaction, List<JsonNode> parties,
      Map<String, JsonNode> byId, Map<String, JsonNode> bySpeaker, Map<String, JsonNode> byUser,
      Consumer<String> warnings) {
    JsonNode speakers = interaction == null ? null : interaction.get("speakers");
    if (speakers == null || !speakers.isArray() || parties.isEmpty()) {
      return null;
    }
    double company = 0;
    double total = 0;
    for (int i = 0; i < speakers.size(); i++) {
      JsonNode s = speakers.get(i);
      String path = "interaction.speakers[" + i + "].talkTime";
      Double talk;
      try {
        talk = JsonSupport.decimalNumber(s, "talkTime", path, 0, MAX_SECONDS);
      } catch (JsonSupport.InvalidField e) {
        warnings.accept(e.getMessage() + "; TALK_RATIO stored NULL");
        return null;
      }
      if (talk == null) {
        continue;
      }
      String id = text(s, "id");
      String user = text(s, "userId");
      // speakers[].id is the party id; some payloads carry the speaker id, some only userId.
      JsonNode party = id != null && byId.containsKey(id) ? byId.get(id)
          : id != null && bySpeaker.containsKey(id) ? bySpeaker.get(id)
          : user == null ? null : byUser.get(user);
      total += talk;
      if (party != null && "Internal".equalsIgnoreCase(text(party, "affiliation"))) {
        company += talk;
      }
    }
    return total <= 0 ? null : company / total;
  }

  /** {@code interaction.interactionStats[] {name, value}} by lower-case name. */
  private static Map<String, Double> stats(@Nullable JsonNode interaction,
      Consumer<String> warnings) {
    Map<String, Double> out = new HashMap<>();
    JsonNode list = interaction == null ? null : interaction.get("interactionStats");
    if (list == null || !list.isArray()) {
      return out;
    }
    for (int i = 0; i < list.size(); i++) {
      JsonNode stat = list.get(i);
      // Some tenants nest the host's stats as {userId, personInteractionStats: [...]}.
      List<JsonNode> entries = stat.has("personInteractionStats")
          ? array(stat, "personInteractionStats") : List.of(stat);
      for (JsonNode e : entries) {
        String name = text(e, "name");
        if (name == null) {
          continue;
        }
        String path = "interaction.interactionStats[" + i + "](" + name + ")";
        try {
          Double v = JsonSupport.decimalNumber(e, "value", path, 0, MAX_SECONDS);
          if (v != null) {
            out.putIfAbsent(name.toLowerCase(Locale.ROOT), v);
          }
        } catch (JsonSupport.InvalidField bad) {
          warnings.accept(bad.getMessage() + "; stored NULL");
        }
      }
    }
    return out;
  }

  private static @Nullable Integer count(@Nullable JsonNode questions, String field,
      Consumer<String> warnings) {
    if (questions == null) {
      return null;
    }
    try {
      Long n = JsonSupport.wholeNumber(questions, field, "interaction.questions." + field, 0,
          Integer.MAX_VALUE);
      return n == null ? null : n.intValue();
    } catch (JsonSupport.InvalidField e) {
      warnings.accept(e.getMessage() + "; stored NULL");
      return null;
    }
  }

  private static @Nullable Long millis(JsonNode node, String field, String path,
      Consumer<String> warnings) {
    try {
      Double s = JsonSupport.decimalNumber(node, field, path + "." + field, 0, MAX_SECONDS);
      return s == null ? null : Math.round(s * 1000);
    } catch (JsonSupport.InvalidField e) {
      warnings.accept(e.getMessage() + "; stored NULL");
      return null;
    }
  }

  /** The HubSpot Contact id of the first External party that has one (else of any party). */
  static @Nullable String hubspotContact(List<JsonNode> parties) {
    for (boolean externalOnly : new boolean[] {true, false}) {
      for (JsonNode p : parties) {
        if (externalOnly && !"External".equalsIgnoreCase(text(p, "affiliation"))) {
          continue;
        }
        for (JsonNode ctx : array(p, "context")) {
          if (!"HubSpot".equalsIgnoreCase(text(ctx, "system"))) {
            continue;
          }
          for (JsonNode obj : array(ctx, "objects")) {
            if ("Contact".equalsIgnoreCase(text(obj, "objectType"))
                && text(obj, "objectId") != null) {
              return text(obj, "objectId");
            }
          }
        }
      }
    }
    return null;
  }

  private static @Nullable String json(@Nullable JsonNode content, String field) {
    JsonNode v = content == null ? null : content.get(field);
    return v == null || v.isNull() ? null : JsonSupport.write(v);
  }

  private static void putIfPresent(Map<String, JsonNode> map, @Nullable String key, JsonNode v) {
    if (key != null) {
      map.putIfAbsent(key, v);
    }
  }
}
