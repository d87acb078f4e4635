package com.gongpipeline.enrich;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SalesLexiconTest {
  /** At least one sentence per phrase, in odd cases, plus near misses that match none. */
  private static final List<String> SENTENCES = List.of(
      "We've DECIDED to go with Vantora for next year.",
      "we decided to go with you, congratulations",
      "They are going with a different vendor.",
      "We will not be renewing this year.", "We won't renew.",
      "We want to cancel the contract.", "We'll let our contract lapse.",
      "Honestly we might walk away.", "The project is on hold.", "Let's hold off for now.",
      "There is a hiring freeze.", "They went quiet after the demo.",
      "The budget was pulled last week.", "There's no point in continuing.",
      "That price is hard to swallow.", "I can't justify the spend.",
      "The seats aren't pulling their weight.", "People stopped logging in.",
      "It has been down since Monday.", "We are still waiting on a fix.",
      "Nobody uses the dashboards.", "The committee voted against it.",
      "The answer is a no.", "It's not what we were promised.",
      "The team went back to their spreadsheets.", "That went over my head.",
      "We got a canned response.", "Their quote came in well under yours.",
      "The rollout dragged on for months.", "We lost the argument internally.",
      "Legal signed off yesterday.", "We are moving forward with the pilot.",
      "It just works.", "The security review came back clean.",
      "Looking forward to it!", "Let's make this happen.", "It's a great fit.",
      "This is an easy decision.", "We're ready to sign.", "We plan on expanding to Europe.",
      // Near misses: no phrase.
      "going with your plan sounds fine", "the freezer is holding up",
      "we walked away from the table", "justification is pending", "forwarding the deck",
      "", "   ", "Price?", "Ünïcödé — ‘quotes’ and emoji 🙂 only", "DROP TABLE calls; --");

  private static boolean anyPhraseOneByOne(String sentence) {
    return SalesLexicon.PHRASES.stream().anyMatch(p -> p.pattern().matcher(sentence).find());
  }

  @Test
  void theCombinedPatternFindsAPhraseExactlyWhenOneOfThePhrasesDoes() {
    int matched = 0;
    for (String s : SENTENCES) {
      boolean expected = anyPhraseOneByOne(s);
      assertEquals(expected, SalesLexicon.ANY_PHRASE.matcher(s).find(), s);
      matched += expected ? 1 : 0;
    }
    assertThat(matched, greaterThan(35));
  }

  @Test
  void theCombinedPatternAgreesOnMutatedSentences() {
    List<String> words = new ArrayList<>(List.of("not", "never", "really", "so", "the", "our",
        "you", "your", "us", "we", "it", "a", "is", "was", "n't", "Vantora", ",", ".", "!"));
    for (String s : SENTENCES) {
      for (String w : s.split("\\s+")) {
        words.add(w.replaceAll("[.!?,]$", ""));
      }
    }
    // Each sentence is one of the above mutated: words inserted, dropped, swapped, upper-cased.
    Random random = new Random(7);
    int matched = 0;
    for (int i = 0; i < 5_000; i++) {
      List<String> tokens = new ArrayList<>(List.of(
          SENTENCES.get(random.nextInt(SENTENCES.size())).split("\\s+")));
      for (int m = 1 + random.nextInt(3); m > 0; m--) {
        int at = random.nextInt(tokens.size() + 1);
        switch (random.nextInt(4)) {
          case 0 -> tokens.add(at, words.get(random.nextInt(words.size())));
          case 1 -> {
            if (at < tokens.size()) {
              tokens.remove(at);
            }
          }
          case 2 -> {
            if (at + 1 < tokens.size()) {
              java.util.Collections.swap(tokens, at, at + 1);
            }
          }
          default -> {
            if (at < tokens.size()) {
              tokens.set(at, tokens.get(at).toUpperCase(java.util.Locale.ROOT));
            }
          }
        }
      }
      String s = String.join(" ", tokens);
      boolean expected = anyPhraseOneByOne(s);
      assertEquals(expected, SalesLexicon.ANY_PHRASE.matcher(s).find(), s);
      matched += expected ? 1 : 0;
    }
    assertThat("the fuzz must exercise both answers", matched,
        org.hamcrest.Matchers.both(greaterThan(500)).and(lessThan(4_500)));
  }

  @Test
  void whatVaderReadsIsUnchangedByThePrefilter() {
    for (String s : SENTENCES) {
      String words = SalesLexicon.NEUTRAL_PHRASES.matcher(s).replaceAll(" ");
      for (SalesLexicon.Phrase p : SalesLexicon.PHRASES) {
        words = p.pattern().matcher(words).replaceAll(" ");
      }
      assertEquals(words, SalesLexicon.forVader(s), s);
      if (!anyPhraseOneByOne(s)) {
        assertEquals(0.0, SalesLexicon.phraseValence(s), 0.0, s);
      }
    }
    assertThat(SalesLexicon.phraseValence("We decided to go with Vantora."), lessThan(-2.0));
    assertThat(SalesLexicon.phraseValence("We are not moving forward."), lessThan(0.0));
  }

  @Test
  void memoisedScoresEqualFreshOnesAndTheMemoStaysBounded() {
    VaderSentimentScorer scorer = new VaderSentimentScorer();
    List<String> texts = new ArrayList<>(SENTENCES);
    double[] first = scorer.score(texts);
    double[] again = scorer.score(texts);
    for (int i = 0; i < texts.size(); i++) {
      assertEquals(first[i], again[i], 0.0, texts.get(i));
    }
    // Distinct sentences past the bound: the memo empties itself instead of growing.
    List<String> many = new ArrayList<>();
    for (int i = 0; i < VaderSentimentScorer.MEMO_ENTRIES + 500; i++) {
      many.add("Call number " + i + " went great and the team is happy.");
    }
    scorer.score(many);
    assertThat(VaderSentimentScorer.memoSize(), lessThanOrEqualTo(VaderSentimentScorer.MEMO_ENTRIES));
    assertEquals(first[texts.indexOf("Legal signed off yesterday.")],
        scorer.score(List.of("Legal signed off yesterday."))[0], 0.0);
  }
}
