package com.gongpipeline.gong.sim;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The simulator's risk ground truth: every risk cites a customer (External) sentence that is
 * really spoken at that ms, every category occurs, in several phrasings, churn risks only in calls
 * that go badly, and no two calls of a seed carry the same set of categories by construction.
 */
class RiskTruthTest {

  @Test
  void risksCiteCustomerSentencesAndFollowTheCallsMood() {
    GroundTruth gt = SentimentEval.corpus(42, 90);
    Map<String, Set<String>> phrasings = new HashMap<>();
    int callsWithRisks = 0;
    for (GroundTruth.Call call : gt.calls()) {
      Map<String, String> affiliation = new HashMap<>();
      call.parties().forEach(p -> affiliation.put(p.speakerId(), p.affiliation()));
      if (!call.risks().isEmpty()) {
        callsWithRisks++;
      }
      for (GroundTruth.Risk r : call.risks()) {
        assertThat(GroundTruth.RISK_CATEGORIES, hasItem(r.category()));
        assertThat(affiliation.get(r.speakerId()), equalTo("External"));
        String text = call.monologues().stream()
            .filter(m -> r.speakerId().equals(m.speakerId()))
            .flatMap(m -> m.sentences().stream()).filter(s -> s.start() == r.startMs())
            .map(GroundTruth.Sentence::text).findFirst().orElse(null);
        assertThat(r + " cites no sentence", text, not(equalTo(null)));
        phrasings.computeIfAbsent(r.category(), k -> new TreeSet<>()).add(text);
      }
      if (!"negative".equals(call.sentiment())) {
        assertThat(call.callId(), call.riskCategories().contains("churn_risk"), is(false));
      }
      if (!"eng".equals(call.language())) {
        assertThat(call.risks(), empty());
      }
    }
    assertThat(callsWithRisks, greaterThan(50));
    assertThat(phrasings.keySet(), equalTo(new TreeSet<>(GroundTruth.RISK_CATEGORIES)));
    // Several phrasings per category (call-specific facts aside), not one keyword.
    phrasings.forEach((c, texts) -> assertThat(c, texts.size(), greaterThan(6)));
    assertThat(phrasings.get("churn_risk").size(), lessThan(gt.calls().size()));
  }
}
