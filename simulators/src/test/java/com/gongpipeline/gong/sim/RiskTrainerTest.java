package com.gongpipeline.gong.sim;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThan;

import org.junit.jupiter.api.Test;

/**
 * {@link RiskTrainer}'s fit: the penalised logistic regression finds the separating direction, its
 * intercept, and gives the same weights run after run; the Cholesky solve solves.
 */
class RiskTrainerTest {

  @Test
  void logisticRegressionLearnsTheLabelsDirectionDeterministically() {
    // label = x0 > 0.35 (noise-free), x1 irrelevant; 200 points on a fixed grid
    double[][] x = new double[200][2];
    boolean[] y = new boolean[200];
    for (int i = 0; i < 200; i++) {
      x[i][0] = (i % 20) / 10.0 - 1;
      x[i][1] = (i / 20) / 5.0 - 1;
      y[i] = x[i][0] > 0.35;
    }
    double[] w = RiskTrainer.logisticRegression(x, y, 1e-3, 25);
    assertThat(w[0], greaterThan(5.0));
    assertThat(Math.abs(w[1]), lessThan(0.01 * w[0]));
    // the boundary −b/w0 lies between the last negative (0.3) and the first positive (0.4)
    assertThat(-w[2] / w[0], closeTo(0.35, 0.05));
    assertThat(RiskTrainer.logisticRegression(x, y, 1e-3, 25), equalTo(w));
    // the penalty shrinks the weights
    assertThat(RiskTrainer.logisticRegression(x, y, 10, 25)[0], lessThan(w[0]));
  }

  @Test
  void choleskySolves() {
    double[][] a = {{4, 2, 0.4}, {2, 5, 1}, {0.4, 1, 3}};
    double[] x = RiskTrainer.solve(a, new double[] {1, 2, 3});
    for (int i = 0; i < 3; i++) {
      double s = 0;
      for (int j = 0; j < 3; j++) {
        s += a[i][j] * x[j];
      }
      assertThat(s, closeTo(new double[] {1, 2, 3}[i], 1e-12));
    }
  }
}
