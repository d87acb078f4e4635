package com.gongpipeline.gong.sim;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Builds {@link GroundTruth} from the same generated data the endpoints render. */
final class GroundTruthBuilder {

  private final CallCatalog catalog;

  GroundTruthBuilder(CallCatalog catalog) {
    this.catalog = catalog;
  }

  GroundTruth build(Instant from, Instant to, Instant asOf) {
    List<GroundTruth.Call> calls = new ArrayList<>();
    Map<String, List<String>> cases = new TreeMap<>();
    for (int i : catalog.startedIn(from, to)) {
      CallHeader h = catalog.header(i);
      if (!h.visibleAt(asOf) || catalog.isDeleted(h.id())) {
        continue;
      }
      GroundTruth.Call call = call(h, catalog.body(i));
      call.hardCases().forEach(c -> cases.computeIfAbsent(c, k -> new ArrayList<>()).add(h.id()));
      calls.add(call);
    }
    Map<String, List<String>> frozen = new TreeMap<>();
    cases.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
    List<GroundTruth.User> users = catalog.directory().users().stream()
        .map(u -> new GroundTruth.User(u.id(), u.email(), u.firstName(), u.lastName(), u.title(),
            u.managerId(), u.active(), u.workspaceId())).toList();
    List<GroundTruth.Workspace> workspaces = catalog.directory().workspaces().stream()
        .map(w -> new GroundTruth.Workspace(w.id(), w.name(), w.description())).toList();
    return new GroundTruth(from, to, asOf, List.copyOf(calls),
        java.util.Collections.unmodifiableMap(frozen), users, workspaces);
  }

  private static GroundTruth.Call call(CallHeader h, CallBody b) {
    CrmAccount a = h.account();
    List<String> hardCases = h.hardCases().stream().map(HardCase::wireName).toList();
    List<GroundTruth.Party> parties = b.parties().stream()
        .map(p -> new GroundTruth.Party(p.id(), p.speakerId(), p.name(), p.email(),
            p.affiliation(), p.userId(), p.title())).toList();
    List<GroundTruth.Monologue> monologues = b.transcript().stream()
        .map(m -> new GroundTruth.Monologue(m.speakerId(), m.topic(), m.startMs(), m.endMs(),
            m.sentences().stream().map(s -> new GroundTruth.Sentence(s.start(), s.end(), s.text()))
                .toList())).toList();
    List<String> topics = b.topicSeconds().keySet().stream().map(Theme::displayName).toList();
    Map<String, String> facts = h.themes().isEmpty() && !h.has(HardCase.PII)
        ? Map.of() : new LinkedHashMap<>(b.facts().publicFacts());
    return new GroundTruth.Call(h.id(), h.started(), h.title(), h.isPrivate(), h.workspaceId(),
        h.primaryUser().id(), a.name(),
        a.salesforce() ? null : a.opportunityId(), a.salesforce() ? null : a.accountId(),
        a.salesforce() ? a.accountId() : null, a.salesforce() ? a.opportunityId() : null,
        h.language(),
        b.transcript().isEmpty() ? null : CallMood.of(h).label(),
        b.durationSeconds(), hardCases, topics, facts, parties, monologues,
        intelligence(h, b), risks(b));
  }

  /** The customer sentences that voice a risk ({@link RiskBook#labelled}), in order. */
  static List<GroundTruth.Risk> risks(CallBody b) {
    java.util.Set<String> customers = new java.util.HashSet<>();
    b.parties().stream().filter(p -> "External".equals(p.affiliation()) && p.speakerId() != null)
        .forEach(p -> customers.add(p.speakerId()));
    Map<String, java.util.Set<String>> labelled = RiskBook.labelled(b.facts());
    List<GroundTruth.Risk> out = new java.util.ArrayList<>();
    for (SimMonologue m : b.transcript()) {
      if (m.speakerId() == null || !customers.contains(m.speakerId())) {
        continue;
      }
      for (SimSentence s : m.sentences()) {
        for (String c : labelled.getOrDefault(s.text(), java.util.Set.of())) {
          out.add(new GroundTruth.Risk(c, m.speakerId(), s.start()));
        }
      }
    }
    return List.copyOf(out);
  }

  /** The same {@link CallInsights} the extensive renderer serves. */
  static GroundTruth.Intelligence intelligence(CallHeader h, CallBody b) {
    CallInsights in = CallInsights.of(h, b);
    CrmAccount a = h.account();
    String primaryName = b.parties().stream()
        .filter(p -> h.primaryUser().id().equals(p.userId())).map(SimParty::name).findFirst()
        .orElse(null);
    String hubspotContact = a.salesforce() ? null : b.parties().stream()
        .filter(p -> "External".equals(p.affiliation()) && p.crmContactId() != null)
        .map(SimParty::crmContactId).findFirst().orElse(null);
    CallInsights.Stats s = in.hostStats();
    return new GroundTruth.Intelligence(in.outcome().id(), in.outcome().name(),
        in.actionItems().stream().map(x -> new GroundTruth.ActionItem(x.text(), x.speakerId(),
            x.startMs(), x.endMs())).toList(),
        in.trackers().stream().map(t -> new GroundTruth.Tracker(t.id(), t.name(), t.type(),
            t.occurrences().size(), t.occurrences().stream()
                .map(o -> new GroundTruth.Occurrence(o.speakerId(), o.startMs())).toList()))
            .toList(),
        in.talkRatio(), new LinkedHashMap<>(in.talkMillis()), s.longestMonologueSeconds(),
        s.longestCustomerStorySeconds(), s.interactivity(), s.patience(), in.questionsCompany(),
        in.questionsNonCompany(), primaryName, hubspotContact, h.gongAiSilent(),
        CallInsights.closingNextSteps(b).stream().map(x -> new GroundTruth.ActionItem(x.text(),
            x.speakerId(), x.startMs(), x.endMs())).toList());
  }
}
