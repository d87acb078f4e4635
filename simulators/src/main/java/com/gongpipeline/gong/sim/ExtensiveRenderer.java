package com.gongpipeline.gong.sim;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Renders a call as {@code CallData} for {@code POST /v2/calls/extensive}, honouring the
 * {@link ContentSelector}: CRM {@code context} only when asked (field values only with Extended,
 * one object per requested timing), {@code parties} only when asked and never for uploaded calls,
 * each content/interaction field only when its flag is true (trackers, action items, outcome,
 * outline, highlights, talk times, the host's stats and questions from {@link CallInsights}, so
 * they match the transcript), and {@code media} with presigned-style
 * URLs that change on every request, like Gong's re-signed S3 links.
 */
final class ExtensiveRenderer {

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
    CallInsights insights = sel.content().isEmpty() && sel.interaction().isEmpty() ? null
        : CallInsights.of(h, b);
    if (!sel.content().isEmpty()) {
      n.set("content", content(b, insights, sel));
    }
    if (!sel.interaction().isEmpty()) {
      n.set("interaction", interaction(b, insights, sel));
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

  private static ObjectNode content(CallBody b, CallInsights in, ContentSelector sel) {
    ObjectNode n = WireJson.MAPPER.createObjectNode();
    if (sel.content().contains("topics")) {
      ArrayNode topics = n.putArray("topics");
      b.topicSeconds().forEach((t, s) -> topics.addObject().put("name", t.displayName())
          .put("duration", s));
    }
    if (sel.content().contains("trackers")) {
      ArrayNode trackers = n.putArray("trackers");
      boolean withOccurrences = sel.content().contains("trackerOccurrences");
      in.trackers().forEach(t -> trackers.add(tracker(t, withOccurrences)));
    }
    if (sel.content().contains("pointsOfInterest")) {
      ArrayNode items = n.putObject("pointsOfInterest").putArray("actionItems");
      for (CallInsights.ActionItem a : in.actionItems()) {
        ObjectNode item = items.addObject().put("snippetStartTime", a.startMs() / 1000.0)
            .put("snippetEndTime", a.endMs() / 1000.0);
        if (a.speakerId() != null) {
          item.put("speakerID", a.speakerId());
        }
        item.put("snippet", a.text());
      }
    }
    if (sel.content().contains("brief") && b.brief() != null) {
      n.put("brief", b.brief());
    }
    if (sel.content().contains("outline") && !in.outline().isEmpty()) {
      ArrayNode outline = n.putArray("outline");
      for (CallInsights.Section s : in.outline()) {
        ObjectNode section = outline.addObject().put("section", s.name())
            .put("startTime", s.startMs() / 1000.0)
            .put("duration", (s.endMs() - s.startMs()) / 1000.0);
        ArrayNode items = section.putArray("items");
        s.items().forEach(i -> items.addObject().put("text", i.text())
            .put("startTime", i.start() / 1000.0));
      }
    }
    if (sel.content().contains("highlights") && !in.actionItems().isEmpty()) {
      ObjectNode section = n.putArray("highlights").addObject().put("title", "Next steps");
      ArrayNode items = section.putArray("items");
      in.actionItems().forEach(a -> items.addObject().put("text", a.text())
          .putArray("startTimes").add(a.startMs() / 1000.0));
    }
    if (sel.content().contains("callOutcome")) {
      CallInsights.Outcome o = in.outcome();
      n.putObject("callOutcome").put("id", o.id()).put("category", o.category())
          .put("name", o.name());
    }
    if (sel.content().contains("keyPoints")) {
      ArrayNode points = n.putArray("keyPoints");
      b.keyPoints().forEach(k -> points.addObject().put("text", k));
    }
    return n;
  }

  /** A tracker; phrases only for keyword trackers (Gong lists no phrases of smart ones). */
  private static ObjectNode tracker(CallInsights.Tracker t, boolean withOccurrences) {
    ObjectNode n = WireJson.MAPPER.createObjectNode();
    n.put("id", t.id());
    n.put("name", t.name());
    n.put("count", t.occurrences().size());
    n.put("type", t.type());
    if (withOccurrences) {
      ArrayNode all = n.putArray("occurrences");
      t.occurrences().forEach(o -> all.add(occurrence(o)));
    }
    ArrayNode phrases = n.putArray("phrases");
    if ("KEYWORD".equals(t.type())) {
      t.byPhrase().forEach((phrase, list) -> {
        ObjectNode p = phrases.addObject().put("count", list.size());
        if (withOccurrences) {
          ArrayNode occ = p.putArray("occurrences");
          list.forEach(o -> occ.add(occurrence(o)));
        }
        p.put("phrase", phrase);
      });
    }
    return n;
  }

  private static ObjectNode occurrence(CallInsights.Occurrence o) {
    ObjectNode n = WireJson.MAPPER.createObjectNode().put("startTime", o.startMs() / 1000.0);
    if (o.speakerId() != null) {
      n.put("speakerId", o.speakerId());
    }
    return n;
  }

  private static ObjectNode interaction(CallBody b, CallInsights in, ContentSelector sel) {
    ObjectNode n = WireJson.MAPPER.createObjectNode();
    if (sel.interaction().contains("speakers") && !b.parties().isEmpty()) {
      ArrayNode speakers = n.putArray("speakers");
      for (SimParty p : b.parties()) {
        if (p.speakerId() != null && in.talkMillis().containsKey(p.speakerId())) {
          ObjectNode s = speakers.addObject().put("id", p.id());
          if (p.userId() != null) {
            s.put("userId", p.userId());
          }
          s.put("talkTime", in.talkMillis().get(p.speakerId()) / 1000.0);
        }
      }
    }
    CallInsights.Stats stats = in.hostStats();
    if (sel.interaction().contains("personInteractionStats") && stats.longestMonologueSeconds() != null) {
      ArrayNode list = n.putArray("interactionStats");
      list.addObject().put("name", "Talk Ratio").put("value", stats.hostTalkPercent());
      list.addObject().put("name", "Longest Monologue").put("value", stats.longestMonologueSeconds());
      list.addObject().put("name", "Longest Customer Story")
          .put("value", stats.longestCustomerStorySeconds());
      list.addObject().put("name", "Interactivity").put("value", stats.interactivity());
      list.addObject().put("name", "Patience").put("value", stats.patience());
    }
    if (sel.interaction().contains("questions")) {
      n.putObject("questions").put("companyCount", in.questionsCompany())
          .put("nonCompanyCount", in.questionsNonCompany());
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
