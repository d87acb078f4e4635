package com.gongpipeline.gong.sim;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;

import com.gongpipeline.enrich.LocalE5Embedder;
import com.gongpipeline.enrich.LocalE5Model;
import com.gongpipeline.enrich.RiskClassifier;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The embedded risk classifier on a held-out seed (7; its weights and thresholds were trained on
 * seed 42), for each local e5 model with its own weights: call-level precision and recall per
 * category, at least what it reaches today and at least the target (0.85 / 0.80). Embeds
 * the seed's ~1,500 customer turns with the model (the slow part: about a minute with the fp32
 * model, half that with the int8 one).
 */
class RiskClassifierHeldOutTest {

  /**
   * Floors per model and category: {precision, recall}. Measured on seed 7, 90 calls (84 English):
   * 1.00 / 1.00 for every category with both models except stakeholder recall 0.99 (one call);
   * floored at 0.95 so that one call's flip on other hardware's arithmetic does not fail the
   * test, which is still above the target (0.85 / 0.80).
   */
  private static final Map<LocalE5Model, Map<String, double[]>> FLOORS = Map.of(
      LocalE5Model.E5_SMALL_V2, floors(0.95, 0.95),
      LocalE5Model.E5_SMALL_V2_Q, floors(0.95, 0.95));

  private static Map<String, double[]> floors(double precision, double recall) {
    Map<String, double[]> out = new java.util.LinkedHashMap<>();
    RiskClassifier.CATEGORIES.forEach(c -> out.put(c, new double[] {precision, recall}));
    return out;
  }

  @ParameterizedTest
  @EnumSource(LocalE5Model.class)
  void heldOutSeedReachesTheMeasuredFigures(LocalE5Model model) {
    Map<String, RiskEval.Figures> f = RiskEval.run(7, 90, new LocalE5Embedder(model));
    f.values().forEach(x -> System.out.println(model.modelName() + " " + x));
    FLOORS.get(model).forEach((c, floor) -> {
      assertThat(model.modelName() + " " + f.get(c), f.get(c).precision(),
          greaterThanOrEqualTo(floor[0]));
      assertThat(model.modelName() + " " + f.get(c), f.get(c).recall(),
          greaterThanOrEqualTo(floor[1]));
    });
  }
}
