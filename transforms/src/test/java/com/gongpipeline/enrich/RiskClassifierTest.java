package com.gongpipeline.enrich;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link RiskClassifier} reads a weights resource for each local e5 model (fp32 and int8, each
 * trained on its own vectors), scores with the model's own weights, and refuses other models.
 */
class RiskClassifierTest {

  @Test
  void bothLocalModelsHaveTheirOwnWeights() {
    for (LocalE5Model m : LocalE5Model.values()) {
      assertThat(m.modelName(), RiskClassifier.supports(m.modelName()), is(true));
      RiskClassifier k = RiskClassifier.forModel(m.modelName());
      assertThat(k.model(), equalTo(m.modelName()));
      assertThat(k.thresholds().keySet(), equalTo(java.util.Set.copyOf(RiskClassifier.CATEGORIES)));
      k.thresholds().values().forEach(t -> assertThat(t, allOf(greaterThan(0.0), lessThan(1.0))));
      // 384-d weights: a vector of the model's dimension is scored, every score in (0, 1)
      float[] v = new float[LocalE5Embedder.DIMENSION];
      v[0] = 1f;
      k.scores(v).values().forEach(s -> assertThat(s, allOf(greaterThan(0.0), lessThan(1.0))));
    }
    assertThat(RiskClassifier.forModel("e5-small-v2-q").format(),
        org.hamcrest.Matchers.not(equalTo(RiskClassifier.forModel("e5-small-v2").format())));
    assertThat(RiskClassifier.supports("snowflake-arctic-embed-m-v1.5"), is(false));
    assertThat(RiskClassifier.supports(null), is(false));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RiskClassifier.forModel("other-model"));
    assertThat(e.getMessage(), containsString("other-model"));
  }

  @Test
  void scoresAreTheLogisticOfTheLinearScoreAndClassifyAtTheThreshold() {
    RiskClassifier k = twoDimensional();
    Map<String, Double> s = k.scores(new float[] {1f, 0f});
    assertThat(s.get("pricing"), equalTo(1 / (1 + Math.exp(-(2.0 - 1.0)))));
    assertThat(s.get("competitor"), equalTo(1 / (1 + Math.exp(1.0))));
    List<RiskClassifier.Label> labels = k.classify(new float[] {1f, 0f});
    assertThat(labels.size(), is(1));
    assertThat(labels.get(0).category(), equalTo("pricing"));
    assertThrows(IllegalArgumentException.class, () -> k.scores(new float[3]));
  }

  @Test
  void formatIsReadBackExactly() {
    RiskClassifier k = RiskClassifier.forModel("e5-small-v2-q");
    RiskClassifier back = RiskClassifier.parse("e5-small-v2-q", "# comment\n" + k.format());
    assertThat(back.format(), equalTo(k.format()));
    assertThat(back.thresholds(), equalTo(k.thresholds()));
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> RiskClassifier.parse("m", "pricing\t0.5\t0\t1\n"));
    assertThat(e.getMessage(), containsString("competitor"));
  }

  /** pricing = sigmoid(2 x0 − 1), every other category sigmoid(−1); thresholds 0.5. */
  private static RiskClassifier twoDimensional() {
    Map<String, double[]> w = new java.util.HashMap<>();
    Map<String, Double> b = new java.util.HashMap<>();
    Map<String, Double> t = new java.util.HashMap<>();
    for (String c : RiskClassifier.CATEGORIES) {
      w.put(c, c.equals("pricing") ? new double[] {2, 0} : new double[] {0, 0});
      b.put(c, -1.0);
      t.put(c, 0.5);
    }
    return new RiskClassifier("m", w, b, t);
  }
}
