package com.gongpipeline.gong.sim;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Renders a call as {@code CallData} for {@code POST /v2/calls/extensive}, honouring the
 * {@link ContentSelector}: CRM {@code context} only when asked (field values only with Extended,
 * one object per requested timing), {@code parties} only when asked and never for uploaded calls,
 * each content/interaction field only when its flag is true, and {@code media} with presigned-style
 * URLs that change on every request, like Gong's re-signed S3 links.
 */
final class ExtensiveRenderer {

  /** name, type, phrases (matched case-insensitively) of the tenant's trackers. */
  private static final List<String[]> TRACKERS = List.of(
      new String[] {"Competitors", "KEYWORD", "Quillstack", "Vantora", "Brightlane",
          "Ostrava Data", "Kestrel Analytics", "Nimbalyst"},
      new String[] {"Pricing", "KEYWORD", "price", "pricing", "discount"},
      new String[] {"Security", "SMART", "SOC 2", "SSO", "SAML", "DPA", "data residency"},
      new String[] {"Next Steps", "SMART", "next steps", "follow-up", "proposal"});
  private static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private final SimulatorConfig config;

  ExtensiveRenderer(SimulatorConfig config) {
    this.config = config;
  }

  ObjectNode render(CallHeader h, CallBody b, ContentSelector sel, Instant now) {
    ObjectNode n = WireJson.MAPPER.createObjectNode();
    n.set("metaData", WireJson.callBasic(h, b));
    if (sel.wantsContext()) {
      n.set("context", callContext(h, sel));
    }
    if (sel.parties() && !b.parties().isEmpty()) {
      ArrayNode parties = n.putArray("parties");
      b.parties().forEach(p -> parties.add(party(p, h.account(), sel)));
    }
    if (!sel.content().isEmpty()) {
      n.set("content", content(b, sel));
    }
    if (!sel.interaction().isEmpty()) {
      n.set("interaction", interaction(b, sel));
    }
    if (sel.publicComments()) {
      n.putObject("collaboration").putArray("publicComments");
    }
    if (sel.media()) {
      ObjectNode media = n.putObject("media");
      media.put("audioUrl", presigned(h.id(), "audio.mp3", now));
      if ("Video".equals(h.media())) {
        media.put("videoUrl", presigned(h.id(), "video.mp4", now));
      }
    }
    return n;
  }

  private ArrayNode callContext(CallHeader h, ContentSelector sel) {
    CrmAccount a = h.account();
    ArrayNode context = WireJson.MAPPER.createArrayNode();
    ObjectNode system = context.addObject();
    system.put("system", a.system());
    ArrayNode objects = system.putArray("objects");
    if (!sel.extended()) {
      objects.addObject().put("objectType", "Account").put("objectId", a.accountId());
      objects.addObject().put("objectType", "Opportunity").put("objectId", a.opportunityId());
      return context;
    }
    long weeksAgo = Duration.between(h.started(), config.callsTo()).toDays() / 7;
    for (String timing : sel.contextTiming()) {
      ObjectNode account = objects.addObject().put("objectType", "Account")
          .put("objectId", a.accountId()).put("timing", timing);
      ArrayNode af = account.putArray("fields");
      af.addObject().put("name", "Name").put("value", a.name());
      af.addObject().put("name", "Website").put("value", "https://www." + a.domain());
      af.addObject().put("name", "Industry").put("value", a.industry());
      ObjectNode opp = objects.addObject().put("objectType", "Opportunity")
          .put("objectId", a.opportunityId()).put("timing", timing);
      ArrayNode of = opp.putArray("fields");
      of.addObject().put("name", "Name").put("value", a.opportunityName());
      of.addObject().put("name", "StageName")
          .put("value", "Now".equals(timing) ? a.stageAt(0) : a.stageAt(weeksAgo));
      of.addObject().put("name", "Amount").put("value", a.amount());
      of.addObject().put("name", "CloseDate").put("value", a.closeDate().toString());
    }
    return context;
  }

  private static ObjectNode party(SimParty p, CrmAccount account, ContentSelector sel) {
    ObjectNode n = WireJson.MAPPER.createObjectNode();
    n.put("id", p.id());
    if (p.email() != null) {
      n.put("emailAddress", p.email());
    }
    n.put("name", p.name());
    n.put("title", p.title());
    if (p.userId() != null) {
      n.put("userId", p.userId());
    }
    n.put("speakerId", p.speakerId());
    if (sel.wantsContext()) {
      ArrayNode context = n.putArray("context");
      if (p.crmContactId() != null) {
        ObjectNode contact = context.addObject().put("system", account.system())
            .putArray("objects").addObject().put("objectType", "Contact")
            .put("objectId", p.crmContactId());
        if (sel.extended()) {
          contact.put("timing", sel.contextTiming().get(0));
          ArrayNode fields = contact.putArray("fields");
          fields.addObject().put("name", "Email").put("value", p.email());
          fields.addObject().put("name", "Title").put("value", p.title());
        }
      }
    }
    n.put("affiliation", p.affiliation());
    if (p.phone() != null) {
      n.put("phoneNumber", p.phone());
    }
    ArrayNode methods = n.putArray("methods");
    if (p.invitee()) {
      methods.add("Invitee");
    }
    methods.add("Attendee");
    return n;
  }

  private static ObjectNode content(CallBody b, ContentSelector sel) {
    ObjectNode n = WireJson.MAPPER.createObjectNode();
    if (sel.content().contains("topics")) {
      ArrayNode topics = n.putArray("topics");
      b.topicSeconds().forEach((t, s) -> topics.addObject().put("name", t.displayName())
          .put("duration", s));
    }
    if (sel.content().contains("trackers")) {
      ArrayNode trackers = n.putArray("trackers");
      List<SimSentence> sentences = new ArrayList<>();
      List<String> speakers = new ArrayList<>();
      List<String> lowerCase = new ArrayList<>();
      for (SimMonologue m : b.transcript()) {
        for (SimSentence s : m.sentences()) {
          sentences.add(s);
          speakers.add(m.speakerId());
          lowerCase.add(s.text().toLowerCase(Locale.ROOT));
        }
      }
      boolean withOccurrences = sel.content().contains("trackerOccurrences");
      TRACKERS.forEach(t -> trackers.add(
          tracker(t, sentences, speakers, lowerCase, withOccurrences)));
    }
    if (sel.content().contains("brief") && b.brief() != null) {
      n.put("brief", b.brief());
    }
    if (sel.content().contains("keyPoints")) {
      ArrayNode points = n.putArray("keyPoints");
      b.keyPoints().forEach(k -> points.addObject().put("text", k));
    }
    return n;
  }

  private static ObjectNode tracker(String[] def, List<SimSentence> sentences,
      List<String> speakers, List<String> lowerCase, boolean withOccurrences) {
    ObjectNode n = WireJson.MAPPER.createObjectNode();
    n.put("id", Long.toString(Math.abs(Ids.mix(def[0].hashCode(), 11)) % 1_000_000_000_000_000L));
    n.put("name", def[0]);
    ArrayNode phrases = WireJson.MAPPER.createArrayNode();
    ArrayNode all = WireJson.MAPPER.createArrayNode();
    int total = 0;
    for (int i = 2; i < def.length; i++) {
      String phrase = def[i].toLowerCase(Locale.ROOT);
      ArrayNode occurrences = WireJson.MAPPER.createArrayNode();
      for (int k = 0; k < sentences.size(); k++) {
        if (lowerCase.get(k).contains(phrase)) {
          occurrences.addObject().put("startTime", sentences.get(k).start() / 1000.0)
              .put("speakerId", speakers.get(k));
        }
      }
      total += occurrences.size();
      all.addAll(occurrences);
      if (occurrences.size() > 0) {
        ObjectNode p = phrases.addObject().put("count", occurrences.size());
        if (withOccurrences) {
          p.set("occurrences", occurrences);
        }
        p.put("phrase", def[i]);
      }
    }
    n.put("count", total);
    n.put("type", def[1]);
    if (withOccurrences) {
      n.set("occurrences", all);
    }
    n.set("phrases", phrases);
    return n;
  }

  private static ObjectNode interaction(CallBody b, ContentSelector sel) {
    ObjectNode n = WireJson.MAPPER.createObjectNode();
    if (sel.interaction().contains("speakers") && !b.parties().isEmpty()) {
      ArrayNode speakers = n.putArray("speakers");
      var talk = b.talkMillis();
      for (SimParty p : b.parties()) {
        if (p.speakerId() != null && talk.containsKey(p.speakerId())) {
          ObjectNode s = speakers.addObject().put("id", p.id());
          if (p.userId() != null) {
            s.put("userId", p.userId());
          }
          s.put("talkTime", Math.round(talk.get(p.speakerId()) / 100.0) / 10.0);
        }
      }
    }
    if (sel.interaction().contains("questions")) {
      int company = 0;
      int nonCompany = 0;
      for (SimMonologue m : b.transcript()) {
        boolean internal = b.parties().stream()
            .anyMatch(p -> p.internal() && p.speakerId() != null && p.speakerId().equals(m.speakerId()));
        long questions = m.sentences().stream().filter(s -> s.text().endsWith("?")).count();
        if (internal) {
          company += questions;
        } else {
          nonCompany += questions;
        }
      }
      n.putObject("questions").put("companyCount", company).put("nonCompanyCount", nonCompany);
    }
    return n;
  }

  private static String presigned(String callId, String file, Instant now) {
    byte[] signature = new byte[32];
    ThreadLocalRandom.current().nextBytes(signature);
    return "https://gong-sim-media.s3.amazonaws.com/calls/" + callId + "/" + file
        + "?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=" + AMZ_DATE.format(now)
        + "&X-Amz-Expires=28799&X-Amz-SignedHeaders=host&X-Amz-Signature="
        + HexFormat.of().formatHex(signature);
  }
}
