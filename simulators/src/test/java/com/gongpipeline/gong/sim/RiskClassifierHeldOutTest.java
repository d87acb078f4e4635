package com.gongpipeline.gong.sim;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;

import com.gongpipeline.enrich.LocalE5Embedder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The embedded risk classifier on a held-out seed (7; its exemplars and thresholds were chosen on
 * seed 42): call-level precision and recall per category, at least what it reaches today. Embeds
 * the seed's ~1,500 customer turns with the local e5 model (the slow part, about a minute).
 */
class RiskClassifierHeldOutTest {

  /** Floors per category: {precision, recall} measured on seed 7, 90 calls, rounded down. */
  private static final Map<String, double[]> FLOORS = Map.of(
      "pricing", new double[] {0.85, 0.80},
      "competitor", new double[] {0.85, 0.80},
      "security_legal", new double[] {0.85, 0.80},
      "timeline", new double[] {0.85, 0.80},
      "stakeholder", new double[] {0.85, 0.80},
      "churn_risk", new double[] {0.85, 0.50},
      "product_gap", new double[] {0.50, 0.75});

  @Test
  void heldOutSeedReachesTheMeasuredFigures() {
    Map<String, RiskEval.Figures> f = RiskEval.run(7, 90, new LocalE5Embedder());
    f.values().forEach(System.out::println);
    FLOORS.forEach((c, floor) -> {
      assertThat(f.get(c).toString(), f.get(c).precision(), greaterThanOrEqualTo(floor[0]));
      assertThat(f.get(c).toString(), f.get(c).recall(), greaterThanOrEqualTo(floor[1]));
    });
  }
}
