package com.gongpipeline.gong.sim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What "Gong's AI" says about one generated call, computed from its transcript alone, so that
 * {@link ExtensiveRenderer} serves it and {@link GroundTruthBuilder} records it from the same
 * values:
 *
 * <ul>
 *   <li>trackers: each phrase of the tenant's trackers wherever it is spoken (case-insensitive,
 *       whole words), timed at its place in the sentence: {@code start + (end − start) × offset /
 *       length} ms, by the monologue's speaker;
 *   <li>action items: the transcript's sentences that commit to something ({@code I'll}, {@code
 *       We'll}, {@code I will}, {@code We will}, {@code Let me} (not "let me know"), {@code Let's},
 *       {@code So for next steps}), not questions, verbatim with their speaker and offsets;
 *   <li>talk per speaker: the sum of the durations of the speaker's sentences; the talk ratio is
 *       the Internal parties' talk over all parties' talk;
 *   <li>the host's stats (the primary user): longest monologue, longest customer story (longest
 *       External monologue), interactivity (speaker changes per minute of transcript) and patience
 *       (mean silence in seconds before the host answers someone else);
 *   <li>the outcome: No answer (no speech), Meeting booked (an action item books a meeting), Next
 *       steps set (some other action item) or Conversation.
 * </ul>
 */
record CallInsights(
    List<Tracker> trackers,
    List<ActionItem> actionItems,
    Map<String, Long> talkMillis,
    Double talkRatio,
    Stats hostStats,
    Outcome outcome,
    int questionsCompany,
    int questionsNonCompany,
    List<Section> outline) {

  /** name, type, phrases of the tenant's trackers. */
  static final List<String[]> TRACKERS = List.of(
      new String[] {"Competitors", "KEYWORD", "Quillstack", "Vantora", "Brightlane",
          "Ostrava Data", "Kestrel Analytics", "Nimbalyst"},
      new String[] {"Pricing", "KEYWORD", "price", "pricing", "discount"},
      new String[] {"Security", "SMART", "SOC 2", "SSO", "SAML", "DPA", "data residency"},
      new String[] {"Next Steps", "SMART", "next steps", "follow-up", "proposal"});
  private static final Map<String, Pattern> PHRASES = new LinkedHashMap<>();
  private static final Pattern ACTION = Pattern.compile(
      "^(?:so for next steps,|i'll |we'll |i will |we will |let me (?!know)|let's )",
      Pattern.CASE_INSENSITIVE);
  private static final List<String> BOOKS_MEETING = List.of("follow-up meeting", "deep dive",
      "on the calendar");

  static {
    for (String[] t : TRACKERS) {
      for (int i = 2; i < t.length; i++) {
        PHRASES.put(t[i], Pattern.compile("(?<![\\p{L}\\p{N}])" + Pattern.quote(t[i])
            + "(?![\\p{L}\\p{N}])", Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE));
      }
    }
  }

  /** One occurrence of a tracker phrase. */
  record Occurrence(String phrase, String speakerId, long startMs) {}

  /** A tracker's mentions in the call (possibly none). */
  record Tracker(String id, String name, String type, List<Occurrence> occurrences) {
    /** Mentions per phrase, in the tracker's phrase order, only phrases spoken. */
    Map<String, List<Occurrence>> byPhrase() {
      Map<String, List<Occurrence>> out = new LinkedHashMap<>();
      for (Occurrence o : occurrences) {
        out.computeIfAbsent(o.phrase(), k -> new ArrayList<>()).add(o);
      }
      return out;
    }
  }

  /**
   * A first-person commitment or a stated next step (not a question): what a reader of the call's
   * closing would list as its next steps.
   */
  private static final Pattern COMMITMENT = Pattern.compile(
      "\\b(?:next steps?|i'll|we'll|i will|we will|let's|let me (?!know))\\b",
      Pattern.CASE_INSENSITIVE);

  /**
   * The true next steps of a call: the commitments spoken in its closing (the monologues on the
   * {@link Theme#NEXT_STEPS} theme), whether or not Gong served them as action items.
   */
  static List<ActionItem> closingNextSteps(CallBody b) {
    List<ActionItem> out = new ArrayList<>();
    for (SimMonologue m : b.transcript()) {
      if (m.theme() != Theme.NEXT_STEPS) {
        continue;
      }
      for (SimSentence s : m.sentences()) {
        String text = s.text().strip();
        if (!text.endsWith("?") && COMMITMENT.matcher(text).find()) {
          out.add(new ActionItem(s.text(), m.speakerId(), s.start(), s.end()));
        }
      }
    }
    return out;
  }

  /** A sentence that is an action item. */
  record ActionItem(String text, String speakerId, long startMs, long endMs) {}

  /** The host's interaction stats; null fields when the call has no host speech. */
  record Stats(Double longestMonologueSeconds, Double longestCustomerStorySeconds,
      Double interactivity, Double patience, Double hostTalkPercent) {}

  /** Gong's call outcome. */
  record Outcome(String id, String category, String name) {}

  /** An outline section: a run of monologues on one theme. */
  record Section(String name, long startMs, long endMs, List<SimSentence> items) {}

  static CallInsights of(CallHeader h, CallBody b) {
    Map<String, SimParty> bySpeaker = new LinkedHashMap<>();
    for (SimParty p : b.parties()) {
      if (p.speakerId() != null) {
        bySpeaker.putIfAbsent(p.speakerId(), p);
      }
    }
    List<Tracker> trackers = new ArrayList<>();
    for (String[] def : TRACKERS) {
      trackers.add(tracker(def, b.transcript()));
    }
    List<ActionItem> actions = new ArrayList<>();
    int company = 0;
    int nonCompany = 0;
    for (SimMonologue m : b.transcript()) {
      SimParty party = m.speakerId() == null ? null : bySpeaker.get(m.speakerId());
      boolean internal = party != null && party.internal();
      for (SimSentence s : m.sentences()) {
        String text = s.text().strip();
        if (text.endsWith("?")) {
          if (internal) {
            company++;
          } else {
            nonCompany++;
          }
        } else if (ACTION.matcher(text).find()) {
          actions.add(new ActionItem(s.text(), m.speakerId(), s.start(), s.end()));
        }
      }
    }
    Map<String, Long> talk = new LinkedHashMap<>();
    b.talkMillis().forEach((speaker, ms) -> {
      if (bySpeaker.containsKey(speaker)) {
        talk.put(speaker, ms);
      }
    });
    long total = talk.values().stream().mapToLong(Long::longValue).sum();
    long internalTalk = talk.entrySet().stream()
        .filter(e -> bySpeaker.get(e.getKey()).internal()).mapToLong(Map.Entry::getValue).sum();
    Double ratio = b.parties().isEmpty() || total == 0 ? null : (double) internalTalk / total;
    String host = b.parties().stream()
        .filter(p -> h.primaryUser().id().equals(p.userId()) && p.speakerId() != null)
        .map(SimParty::speakerId).findFirst().orElse(null);
    // A call Gong's AI left silent serves no action items; its outcome still follows the talk.
    List<ActionItem> served = h.gongAiSilent() ? List.of() : List.copyOf(actions);
    return new CallInsights(List.copyOf(trackers), served, talk, ratio,
        stats(b, host, bySpeaker, talk, total), outcome(b, actions), company, nonCompany,
        outline(b));
  }

  private static Tracker tracker(String[] def, List<SimMonologue> transcript) {
    String id = Long.toString(Math.abs(Ids.mix(def[0].hashCode(), 11)) % 1_000_000_000_000_000L);
    List<Occurrence> occurrences = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    for (SimMonologue m : transcript) {
      for (SimSentence s : m.sentences()) {
        for (int i = 2; i < def.length; i++) {
          Matcher x = PHRASES.get(def[i]).matcher(s.text());
          while (x.find()) {
            long ms = s.start() + (s.end() - s.start()) * x.start() / Math.max(1, s.text().length());
            // One mention per tracker, time and speaker (what Gong's occurrence can tell apart).
            if (seen.add(ms + "|" + m.speakerId())) {
              occurrences.add(new Occurrence(def[i], m.speakerId(), ms));
            }
          }
        }
      }
    }
    occurrences.sort(java.util.Comparator.comparingLong(Occurrence::startMs));
    return new Tracker(id, def[0], def[1], List.copyOf(occurrences));
  }

  private static Stats stats(CallBody b, String host, Map<String, SimParty> bySpeaker,
      Map<String, Long> talk, long total) {
    if (host == null || b.transcript().isEmpty()) {
      return new Stats(null, null, null, null, null);
    }
    long longest = 0;
    long story = 0;
    int switches = 0;
    long gaps = 0;
    int answers = 0;
    SimMonologue previous = null;
    for (SimMonologue m : b.transcript()) {
      long length = m.endMs() - m.startMs();
      SimParty party = m.speakerId() == null ? null : bySpeaker.get(m.speakerId());
      if (host.equals(m.speakerId())) {
        longest = Math.max(longest, length);
        if (previous != null && !host.equals(previous.speakerId())) {
          gaps += Math.max(0, m.startMs() - previous.endMs());
          answers++;
        }
      } else if (party != null && "External".equals(party.affiliation())) {
        story = Math.max(story, length);
      }
      if (previous != null && !java.util.Objects.equals(previous.speakerId(), m.speakerId())) {
        switches++;
      }
      previous = m;
    }
    long span = b.transcript().get(b.transcript().size() - 1).endMs()
        - b.transcript().get(0).startMs();
    double minutes = Math.max(span, 1) / 60_000.0;
    return new Stats(longest / 1000.0, story / 1000.0, round2(switches / minutes),
        answers == 0 ? 0.0 : round2(gaps / 1000.0 / answers),
        total == 0 ? 0.0 : round2(100.0 * talk.getOrDefault(host, 0L) / total));
  }

  private static double round2(double v) {
    return Math.round(v * 100) / 100.0;
  }

  private static Outcome outcome(CallBody b, List<ActionItem> actions) {
    if (b.transcript().isEmpty()) {
      return new Outcome("NO_ANSWER", "Not answered", "No answer");
    }
    for (ActionItem a : actions) {
      String t = a.text().toLowerCase(Locale.ROOT);
      if (BOOKS_MEETING.stream().anyMatch(t::contains)) {
        return new Outcome("MEETING_BOOKED", "Answered", "Meeting booked");
      }
    }
    return actions.isEmpty() ? new Outcome("CONVERSATION", "Answered", "Conversation")
        : new Outcome("NEXT_STEPS_SET", "Answered", "Next steps set");
  }

  private static List<Section> outline(CallBody b) {
    List<Section> out = new ArrayList<>();
    Theme current = null;
    long start = 0;
    long end = 0;
    List<SimSentence> items = new ArrayList<>();
    for (SimMonologue m : b.transcript()) {
      if (m.theme() != current) {
        if (current != null) {
          out.add(new Section(current.displayName(), start, end, List.copyOf(items)));
        }
        current = m.theme();
        start = m.startMs();
        items.clear();
      }
      end = m.endMs();
      if (current != null && items.size() < 3 && !m.sentences().isEmpty()) {
        items.add(m.sentences().get(0));
      }
    }
    if (current != null) {
      out.add(new Section(current.displayName(), start, end, List.copyOf(items)));
    }
    return List.copyOf(out);
  }
}
