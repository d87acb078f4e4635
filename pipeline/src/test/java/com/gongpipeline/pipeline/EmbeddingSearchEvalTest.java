package com.gongpipeline.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class EmbeddingSearchEvalTest {

  @Test
  void labelsTurnsByThemeVocabularyAndTheCallsCompetitors() {
    assertThat(EmbeddingSearchEval.themes(
        "For 40 seats that comes to roughly $20k a year before any discount, and SSO is included.",
        List.of()), containsInAnyOrder("pricing", "security"));
    assertThat(EmbeddingSearchEval.themes("Gong showed us a slick forecasting module.",
        List.of("gong")), containsInAnyOrder("competition"));
    assertThat(EmbeddingSearchEval.themes("Okay, that makes sense to me.", List.of()), empty());
  }

  /**
   * An embedder that maps every text to its theme's axis scores 1.0; one that maps queries to the
   * wrong theme's axis scores 0: the figure follows the ranking, not the corpus.
   */
  @Test
  void precisionAt5FollowsTheRanking() {
    List<String> themes = new ArrayList<>(EmbeddingSearchEval.QUERIES.keySet());
    List<EmbeddingSearchEval.Passage> corpus = new ArrayList<>();
    for (String theme : themes) {
      for (int i = 0; i < 6; i++) {
        corpus.add(new EmbeddingSearchEval.Passage(theme + " turn " + i, Set.of(theme)));
      }
    }
    EmbeddingSearchEval eval = new EmbeddingSearchEval(corpus);
    Function<String, float[]> axis = theme -> {
      float[] v = new float[themes.size()];
      v[themes.indexOf(theme)] = 1;
      return v;
    };
    Function<List<String>, List<float[]>> passages = texts -> texts.stream()
        .map(t -> axis.apply(t.substring(0, t.indexOf(" turn ")))).toList();
    Function<List<String>, List<float[]>> rightQueries = qs -> qs.stream()
        .map(q -> axis.apply(themeOf(q))).toList();
    Function<List<String>, List<float[]>> wrongQueries = qs -> qs.stream()
        .map(q -> axis.apply(themes.get((themes.indexOf(themeOf(q)) + 1) % themes.size())))
        .toList();
    assertThat(eval.precisionAt5(passages, rightQueries), closeTo(1.0, 1e-9));
    assertThat(eval.precisionAt5(passages, wrongQueries), closeTo(0.0, 1e-9));
  }

  private static String themeOf(String query) {
    return EmbeddingSearchEval.QUERIES.entrySet().stream()
        .filter(e -> e.getValue().contains(query)).findFirst().orElseThrow().getKey();
  }
}
