package com.gongpipeline.enrich;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.gongpipeline.chunking.TokenCounter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link RiskClassifier} has thresholds for each local e5 model (fp32 and int8, each calibrated
 * with its own vectors), picks the embedder's model's own, and refuses other models.
 */
class RiskClassifierTest {

  @Test
  void bothLocalModelsAreSupportedWithTheirOwnThresholds() {
    for (LocalE5Model m : LocalE5Model.values()) {
      assertThat(m.modelName(), RiskClassifier.supports(m.modelName()), is(true));
      assertThat(RiskClassifier.thresholds(m.modelName()).keySet(),
          equalTo(Set.copyOf(RiskClassifier.CATEGORIES)));
    }
    assertThat(RiskClassifier.thresholds("e5-small-v2-q"),
        not(equalTo(RiskClassifier.thresholds("e5-small-v2"))));
    assertThat(RiskClassifier.supports("snowflake-arctic-embed-m-v1.5"), is(false));
    assertThat(RiskClassifier.supports(null), is(false));
  }

  @Test
  void forEmbedderUsesTheEmbeddersModelThresholds() {
    for (String model : List.of("e5-small-v2", "e5-small-v2-q")) {
      RiskClassifier c = RiskClassifier.forEmbedder(new FixedEmbedder(model));
      assertThat(c.model(), equalTo(model));
      assertThat(c.thresholds(), equalTo(RiskClassifier.thresholds(model)));
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RiskClassifier.forEmbedder(new FixedEmbedder("other-model")));
    assertThat(e.getMessage(), containsString("other-model"));
  }

  /** Embeds every text as the same unit vector. */
  private record FixedEmbedder(String modelName) implements TextEmbedder {
    @Override
    public int dimension() {
      return 2;
    }

    @Override
    public int maxInputTokens() {
      return 512;
    }

    @Override
    public String passagePrefix() {
      return "";
    }

    @Override
    public String queryPrefix() {
      return "";
    }

    @Override
    public TokenCounter tokenCounter() {
      return t -> 1;
    }

    @Override
    public List<float[]> embedPassages(List<String> texts) {
      List<float[]> out = new ArrayList<>();
      texts.forEach(t -> out.add(new float[] {1f, 0f}));
      return out;
    }

    @Override
    public float[] embedQuery(String text) {
      return new float[] {1f, 0f};
    }
  }
}
