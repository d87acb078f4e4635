package com.gongpipeline.gong.sim;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.oneOf;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The tenant has calls that go badly and calls that go well, labelled, in varied words. */
class SentimentLabelsTest {

  private static final GroundTruth GT = SentimentEval.corpus(42, 200);

  @Test
  void everyCallWithATranscriptIsLabelledAndTheLabelsAreBalanced() {
    Map<String, Integer> counts = new HashMap<>();
    for (GroundTruth.Call c : GT.calls()) {
      if (c.monologues().isEmpty()) {
        assertThat(c.callId(), c.sentiment(), nullValue());
      } else {
        assertThat(c.sentiment(), oneOf(GroundTruth.SENTIMENT_LABELS.toArray()));
        counts.merge(c.sentiment(), 1, Integer::sum);
      }
    }
    int labelled = counts.values().stream().mapToInt(Integer::intValue).sum();
    for (String label : GroundTruth.SENTIMENT_LABELS) {
      assertThat(label, counts.getOrDefault(label, 0), greaterThan(labelled / 5));
      assertThat(label, counts.getOrDefault(label, 0), lessThan(labelled / 2));
    }
  }

  /** Each kind of bad call occurs, and its customer says so in many different sentences. */
  @Test
  void badCallsAreWrittenInVariedSentences() {
    Map<CallMood, Set<String>> saidPerMood = new HashMap<>();
    for (GroundTruth.Call c : GT.calls()) {
      CallMood mood = moodOf(c);
      if (mood == null || mood == CallMood.NEUTRAL) {
        continue;
      }
      List<String> sentences = new ArrayList<>();
      c.monologues().forEach(m -> sentences.addAll(m.texts()));
      assertThat(c.sentiment(), is(mood.label()));
      Set<String> moodLines = new HashSet<>(PhraseBook.MOOD_BUYER.get(mood));
      List<String> moodSaid = sentences.stream()
          .filter(s -> moodLines.stream().anyMatch(t -> matches(t, s))).toList();
      assertThat(c.callId() + " " + mood, moodSaid.size(), greaterThanOrEqualTo(2));
      // The customer never says the same mood line twice (a one-keyword call would repeat itself).
      assertThat(c.callId(), new HashSet<>(moodSaid).size(), is(moodSaid.size()));
      saidPerMood.computeIfAbsent(mood, k -> new HashSet<>()).addAll(sentences);
    }
    assertThat(saidPerMood.keySet(), is(Set.of(CallMood.ESCALATION, CallMood.CHURN_THREAT,
        CallMood.LOST_TO_COMPETITOR, CallMood.STALLED, CallMood.DELIGHTED,
        CallMood.READY_TO_BUY)));
    // Within every mood's pool no content word dominates: the most common one is in under a
    // third of the lines ({slots} such as the competitor's name aside).
    for (Map.Entry<CallMood, List<String>> e : PhraseBook.MOOD_BUYER.entrySet()) {
      Map<String, Integer> wordLines = new HashMap<>();
      for (String line : e.getValue()) {
        String words = line.replaceAll("\\{[A-Za-z0-9]+}", " ").toLowerCase();
        new HashSet<>(List.of(words.replaceAll("[^a-z' ]", " ").split("\\s+")))
            .stream().filter(w -> w.length() > 4).forEach(w -> wordLines.merge(w, 1, Integer::sum));
      }
      assertThat(e.getKey().toString(), wordLines.values(),
          everyItem(lessThan(Math.max(4, e.getValue().size() / 3))));
      assertThat(e.getKey().toString(), e.getValue().size(), greaterThanOrEqualTo(12));
    }
  }

  @Test
  void moodsAreDeterministicPerSeed() {
    GroundTruth again = SentimentEval.corpus(42, 200);
    assertThat(again, is(GT));
    List<String> other = SentimentEval.corpus(43, 200).calls().stream()
        .map(GroundTruth.Call::sentiment).toList();
    assertThat(other.equals(GT.calls().stream().map(GroundTruth.Call::sentiment).toList()),
        is(false));
  }

  /** Whether a sentence is the template {@code t} with its slots filled. */
  private static boolean matches(String t, String s) {
    String regex = java.util.regex.Pattern.quote(t).replaceAll("\\{[A-Za-z0-9]+}", "\\\\E.+\\\\Q");
    return s.matches(regex);
  }

  private static CallMood moodOf(GroundTruth.Call c) {
    // The test sees the mood the way the generator decided it: via the catalogue header.
    return MOODS.get(c.callId());
  }

  private static final Map<String, CallMood> MOODS = moods();

  private static Map<String, CallMood> moods() {
    SimulatorConfig config = SimulatorConfig.builder().seed(42).calls(200)
        .callsFrom(java.time.Instant.parse("2026-01-01T00:00:00Z"))
        .callsTo(java.time.Instant.parse("2026-01-31T00:00:00Z")).requestsPerSecond(0).build();
    CallCatalog catalog = new CallCatalog(config, new Directory(config));
    Map<String, CallMood> out = new HashMap<>();
    for (int i = 0; i < catalog.size(); i++) {
      CallHeader h = catalog.header(i);
      out.put(h.id(), CallMood.of(h));
    }
    return out;
  }
}
