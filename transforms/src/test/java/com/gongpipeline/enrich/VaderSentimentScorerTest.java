package com.gongpipeline.enrich;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class VaderSentimentScorerTest {
  private final VaderSentimentScorer scorer = new VaderSentimentScorer();

  private double score(String text) {
    return scorer.score(List.of(text))[0];
  }

  @Test
  void salesSentencesGetSensibleSigns() {
    assertEquals("vader-1.0+sales-2", scorer.modelName());
    assertThat(score("This is great, we love the product"), greaterThan(0.3));
    assertThat(
        score("The price is way too high and honestly the onboarding was a nightmare"),
        lessThan(0.0));
    assertThat(score("We were really frustrated with support, it was a nightmare."), lessThan(-0.3));
    assertThat(score("The rollout was seamless and the team is happy."), greaterThan(0.3));
    assertThat(score("It's too expensive and the UI is clunky."), lessThan(-0.3));
    assertThat(score("We will send the contract on Tuesday."), closeTo(0.0, 1e-9));
  }

  @Test
  void fillersDoNotMakeNeutralSpeechPositive() {
    assertThat(score("Yeah, okay, so like, well, we'll sync on Tuesday."), closeTo(0.0, 1e-9));
  }

  @Test
  void multiSentenceTextsAreTheMeanOfTheirSentences() {
    String a = "This is great, we love the product.";
    String b = "The onboarding was a nightmare.";
    String c = "We meet again on Tuesday.";
    double mean = (score(a) + score(b) + score(c)) / 3;
    assertThat(score(a + " " + b + "  " + c), closeTo(mean, 1e-9));
    // A long positive chunk does not saturate at 1 just because it is long.
    assertThat(score((a + " " + c + " ").repeat(10)), closeTo((score(a) + score(c)) / 2, 1e-9));
  }

  /** Nothing the model can read is NaN (stored as NULL), never a neutral 0. */
  @Test
  void textsWithNothingToReadScoreNaNAndOddTextsStayInRange() {
    List<String> texts =
        Arrays.asList(
            "", "   ", null, "...", "😀 👍🏽 东京 谢谢", "‏שלום‎", "!!!???",
            "I HATE THIS!!!", "Absolutely fantastic, best vendor ever!!!",
            "e\u0301\u200D\u202E", "Zoë's café in Zürich ☕ was a nightmare 🚀.",
            "The contract is fine. 東京の営業チームが担当します。");
    double[] s = scorer.score(texts);
    assertEquals(texts.size(), s.length);
    for (int i = 0; i <= 6; i++) {
      assertEquals(Double.NaN, s[i], "text " + i + " has nothing to score");
    }
    for (int i = 7; i < s.length; i++) {
      assertThat(s[i], greaterThanOrEqualTo(-1.0));
      assertThat(s[i], lessThanOrEqualTo(1.0));
    }
    assertThat(s[7], lessThan(-0.5));
    assertThat(s[8], greaterThan(0.5));
    assertThat(s[10], lessThan(-0.3));
    // The Japanese sentence is skipped, not averaged in as a neutral 0.
    assertThat(s[11], closeTo(score("The contract is fine."), 1e-9));
    assertEquals(0, scorer.score(List.of()).length);
  }

  @Test
  void negationFlipsWordsAndSalesPhrases() {
    assertThat(score("We are happy with the rollout."), greaterThan(0.3));
    assertThat(score("We are not happy with the rollout."), lessThan(0.0));
    assertThat(score("We're moving forward with the contract."), greaterThan(0.2));
    assertThat(score("We won't be moving forward with the contract."), lessThan(-0.2));
    assertThat(score("This is not what we were promised."), lessThan(-0.4));
  }

  @Test
  void intensifiersStrengthenWordsAndPhrases() {
    assertThat(score("We are really frustrated."), lessThan(score("We are frustrated.")));
    assertThat(score("The team is extremely happy."), greaterThan(score("The team is happy.")));
    assertThat(score("We are seriously considering not renewing."),
        lessThan(score("We are considering not renewing.")));
  }

  /** How buyers say a deal is going badly or well without a sentiment word. */
  @Test
  void salesPhrasesWithoutSentimentWordsScore() {
    assertThat(score("We've decided to go with Vantora."), lessThan(-0.4));
    assertThat(score("We've decided to go with you."), closeTo(0.0, 1e-9));
    assertThat(score("The project has been put on hold."), lessThan(-0.3));
    assertThat(score("We're in a hiring freeze."), lessThan(-0.3));
    assertThat(score("Procurement has gone quiet."), lessThan(-0.3));
    assertThat(score("If nothing changes we'll walk away."), lessThan(-0.3));
    assertThat(score("Our VP signed off on the budget yesterday."), greaterThan(0.3));
    assertThat(score("The security review came back clean."), greaterThan(0.3));
  }

  /** The domain's own nouns and polite formulas are not praise. */
  @Test
  void businesslikeSpeechIsNeutral() {
    for (String s : List.of("Our customer success team will join the call.",
        "On the security side, we support SSO and can share the report.",
        "No worries, we have a hard stop at the top of the hour.",
        "To be honest, legal will want the free tier terms.",
        "Yes, that's fair.")) {
      assertThat(s, score(s), closeTo(0.0, 0.25));
    }
  }

  @Test
  void parallelScoringEqualsSerialScoring() {
    String[] words = {
      "great", "terrible", "price", "love", "nightmare", "contract", "not", "very", "happy",
      "frustrated", "onboarding", "but", "expensive", "seamless", "honestly", "!"
    };
    Random r = new Random(9);
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      StringBuilder sb = new StringBuilder();
      for (int j = 0; j < 3 + r.nextInt(12); j++) {
        sb.append(words[r.nextInt(words.length)]).append(' ');
      }
      texts.add(sb.toString().strip() + ".");
    }
    double[] serial = scorer.score(texts);
    double[] parallel =
        IntStream.range(0, texts.size())
            .parallel()
            .mapToDouble(i -> new VaderSentimentScorer().score(List.of(texts.get(i)))[0])
            .toArray();
    assertArrayEquals(serial, parallel, 0.0);
    assertThat(Arrays.stream(serial).filter(v -> v != 0).count(), greaterThan(300L));
  }
}
