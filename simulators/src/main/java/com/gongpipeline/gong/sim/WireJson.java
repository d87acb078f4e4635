package com.gongpipeline.gong.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Renders generated data in Gong's v2 shapes ({@code CallBasicData}, {@code CallTranscript},
 * {@code UserMetadata}, {@code WorkspaceMetadata}) with the spec's field names. Ids are strings;
 * {@code started}/{@code scheduled} carry the owner's numeric offset; optional fields Gong leaves
 * empty are rendered as explicit nulls, as the real API does.
 */
final class WireJson {

  static final ObjectMapper MAPPER = new ObjectMapper();

  private WireJson() {}

  static ObjectNode callBasic(CallHeader h, CallBody b) {
    ObjectNode n = MAPPER.createObjectNode();
    long hash = Ids.mix(h.bodySeed(), 7);
    n.put("id", h.id());
    n.put("url", "https://us-4242.app.gong.io/call?id=" + h.id());
    n.put("title", h.title());
    n.put("scheduled", h.scheduled() == null ? null
        : TimeFormats.withOffset(h.scheduled(), h.primaryUser().zone()));
    n.put("started", TimeFormats.withOffset(h.started(), h.primaryUser().zone()));
    n.put("duration", b.durationSeconds());
    n.put("primaryUserId", h.primaryUser().id());
    n.put("direction", h.direction());
    n.put("system", h.system());
    n.put("scope", h.scope());
    n.put("media", h.media());
    n.put("language", h.language());
    n.put("workspaceId", h.workspaceId());
    n.put("sdrDisposition", "Outbound".equals(h.direction())
        ? new String[] {"Connected", "Left voicemail", "Got the gatekeeper", "No answer"}[
            (int) Math.floorMod(hash, 4L)] : null);
    n.put("clientUniqueId", h.conference() ? null
        : Long.toString(Math.abs(hash), 36).toUpperCase(java.util.Locale.ROOT));
    n.put("customData", "Upload API".equals(h.system()) ? "Imported from legacy recorder" : null);
    n.putNull("purpose");
    n.put("meetingUrl", h.conference() ? meetingUrl(h.system(), hash) : null);
    n.put("isPrivate", h.isPrivate());
    n.put("calendarEventId", h.conference()
        ? Long.toString(Math.abs(hash >>> 3), 36) + "@google.com" : null);
    return n;
  }

  private static String meetingUrl(String system, long hash) {
    long digits = Math.floorMod(hash, 90_000_000_000L) + 10_000_000_000L;
    return switch (system) {
      case "Zoom" -> "https://lumenary.zoom.us/j/" + digits;
      case "Google Meet" -> "https://meet.google.com/" + Long.toString(digits, 36);
      case "Microsoft Teams" -> "https://teams.microsoft.com/l/meetup-join/19%3ameeting_" + digits;
      default -> "https://lumenary.webex.com/meet/" + digits;
    };
  }

  static ObjectNode transcript(CallHeader h, CallBody b) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("callId", h.id());
    ArrayNode monologues = n.putArray("transcript");
    for (SimMonologue m : b.transcript()) {
      ObjectNode mono = monologues.addObject();
      mono.put("speakerId", m.speakerId());
      mono.put("topic", m.topic());
      ArrayNode sentences = mono.putArray("sentences");
      for (SimSentence s : m.sentences()) {
        sentences.addObject().put("start", s.start()).put("end", s.end()).put("text", s.text());
      }
    }
    return n;
  }

  static ObjectNode user(SimUser u) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("id", u.id());
    n.put("emailAddress", u.email());
    n.put("created", u.id().hashCode() % 2 == 0 ? TimeFormats.utcMicros(u.created())
        : TimeFormats.withOffset(u.created(), u.zone()));
    n.put("active", u.active());
    n.putArray("emailAliases");
    n.put("trustedEmailAddress", u.email());
    n.put("firstName", u.firstName());
    n.put("lastName", u.lastName());
    n.put("title", u.title());
    n.put("phoneNumber", u.phone());
    n.putNull("extension");
    ArrayNode urls = n.putArray("personalMeetingUrls");
    if (!u.avatar()) {
      urls.add("https://lumenary.zoom.us/my/" + Directory.slug(u.firstName() + u.lastName()));
    }
    ObjectNode settings = n.putObject("settings");
    settings.put("webConferencesRecorded", !u.avatar());
    settings.put("preventWebConferenceRecording", false);
    settings.put("telephonyCallsImported", !u.avatar());
    settings.put("emailsImported", false);
    settings.put("preventEmailImport", false);
    settings.put("nonRecordedMeetingsImported", false);
    settings.put("gongConnectEnabled", !u.avatar());
    n.put("managerId", u.managerId());
    n.put("meetingConsentPageUrl", u.avatar() ? null
        : "https://join.gong.io/lumenary/" + u.email().substring(0, u.email().indexOf('@')));
    ArrayNode languages = n.putArray("spokenLanguages");
    for (int i = 0; i < u.spokenLanguages().size(); i++) {
      languages.addObject().put("language", u.spokenLanguages().get(i)).put("primary", i == 0);
    }
    return n;
  }

  static ObjectNode workspace(SimWorkspace w) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("id", w.id());
    n.put("name", w.name());
    n.put("description", w.description());
    return n;
  }
}
