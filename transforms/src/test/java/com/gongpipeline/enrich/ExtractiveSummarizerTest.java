package com.gongpipeline.enrich;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.gongpipeline.model.Sentence;
import com.gongpipeline.model.TranscriptTurn;
import com.gongpipeline.testing.FakeEnrichmentProvider;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The extractive summary: central sentences by similarity to the mean vector, in call order. */
class ExtractiveSummarizerTest {

  private static float[] unit(float... v) {
    return EmbeddingMath.normalize(v);
  }

  @Test
  void picksTheSentencesClosestToTheMean_inCallOrder_andLeavesOutliers() {
    List<String> texts = List.of("small talk about the weather", "pricing is per seat",
        "a discount for three years", "the weekend hike was great", "seat pricing with a discount");
    List<float[]> v = List.of(unit(0, 0, 1), unit(1, 0.1f, 0), unit(1, -0.1f, 0.05f),
        unit(0, 1, 0.2f), unit(1, 0, 0));
    String s = ExtractiveSummarizer.select(texts, v);
    assertThat(s, is("pricing is per seat a discount for three years"
        + " seat pricing with a discount"));
  }

  @Test
  void staysWithinTheLengthBound() {
    List<String> texts = new ArrayList<>();
    List<float[]> v = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      texts.add("x".repeat(250) + i);
      v.add(unit(1, i * 0.01f, 0));
    }
    String s = ExtractiveSummarizer.select(texts, v);
    assertThat(s.length(), lessThanOrEqualTo(ExtractiveSummarizer.MAX_CHARS));
    assertThat(s.split(" ").length, is(2));
  }

  @Test
  void inputTakesStatementsSpreadOverTheCall_andItsHashFollowsTheText() {
    ExtractiveSummarizer summarizer =
        new ExtractiveSummarizer(new FakeEnrichmentProvider().embedder());
    List<Sentence> sentences = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      sentences.add(new Sentence(i * 1000L, i * 1000L + 900,
          "Statement number " + i + " about the rollout plan."));
    }
    sentences.add(new Sentence(200_000, 201_000, "Is this a question about the plan?"));
    sentences.add(new Sentence(202_000, 203_000, "Too short."));
    TranscriptTurn t = new TranscriptTurn("c", 0, "s", "Dana", "Internal", null, sentences);
    CallSummarizer.Input in = summarizer.input(List.of(t));
    assertThat(in.texts().size(), is(ExtractiveSummarizer.MAX_CANDIDATES));
    assertThat(in.texts().get(0), is("Statement number 0 about the rollout plan."));
    assertThat(in.texts().stream().anyMatch(x -> x.endsWith("?")), is(false));
    List<Sentence> changed = new ArrayList<>(sentences);
    changed.set(0, new Sentence(0, 900, "Statement number zero about the rollout plan."));
    assertThat(summarizer.input(List.of(new TranscriptTurn("c", 0, "s", "Dana", "Internal", null,
        changed))).hash(), not(in.hash()));
    assertThat(summarizer.input(List.of(t)).hash(), is(in.hash()));
    String summary = summarizer.summarise(in);
    assertThat(summary.split("\\. ").length, lessThanOrEqualTo(ExtractiveSummarizer.MAX_SENTENCES));
  }

  @Test
  void callVectorIsTheNormalisedMean() {
    float[] m = CallVectors.normalisedMean(List.of(unit(1, 0), unit(0, 1)));
    assertThat((double) m[0], closeTo(Math.sqrt(0.5), 1e-6));
    assertThat((double) m[1], closeTo(Math.sqrt(0.5), 1e-6));
    assertThat(EmbeddingMath.l2Norm(m), closeTo(1.0, 1e-6));
    assertThrows(IllegalArgumentException.class,
        () -> CallVectors.normalisedMean(List.of(new float[] {1, 0}, new float[] {1, 0, 0})));
    assertThrows(IllegalArgumentException.class, () -> CallVectors.normalisedMean(List.of()));
  }
}
