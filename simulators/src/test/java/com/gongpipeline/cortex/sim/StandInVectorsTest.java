package com.gongpipeline.cortex.sim;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The stand-in's hashed vectors (bench --scale): model-shaped, stable per text, no model. */
class StandInVectorsTest {
  @Test
  void hashedVectorsAreUnitVectorsOfTheAskedDimensionStablePerText() {
    List<float[]> v = StandInVectors.hashed(List.of("passage: a", "passage: b", "passage: a"), 768);
    assertThat(v.get(0).length, equalTo(768));
    double norm = 0;
    for (float x : v.get(0)) {
      norm += x * x;
    }
    assertThat(norm, closeTo(1.0, 1e-4));
    assertThat(v.get(2), equalTo(v.get(0)));
    assertThat(v.get(1), not(equalTo(v.get(0))));
  }
}
