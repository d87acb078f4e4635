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
    assertEquals("vader-1.0", scorer.modelName());
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

  @Test
  void blankAndOddTextsScoreInRange() {
    List<String> texts =
        Arrays.asList(
            "", "   ", null, "...", "😀 👍🏽 东京 谢谢", "‏שלום‎", "e\u0301\u200D\u202E", "!!!???",
            "I HATE THIS!!!", "Absolutely fantastic, best vendor ever!!!");
    double[] s = scorer.score(texts);
    assertEquals(texts.size(), s.length);
    assertEquals(0.0, s[0]);
    assertEquals(0.0, s[1]);
    assertEquals(0.0, s[2]);
    for (double v : s) {
      assertThat(v, greaterThanOrEqualTo(-1.0));
      assertThat(v, lessThanOrEqualTo(1.0));
    }
    assertThat(s[8], lessThan(-0.5));
    assertThat(s[9], greaterThan(0.5));
    assertEquals(0, scorer.score(List.of()).length);
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
