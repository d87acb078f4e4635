package com.gongpipeline.enrich;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class EmbeddingMathTest {

  @Test
  void normAndCosine() {
    float[] a = {3, 4};
    assertEquals(5.0, EmbeddingMath.l2Norm(a), 1e-12);
    assertThat(EmbeddingMath.cosine(a, new float[] {6, 8}), closeTo(1.0, 1e-9));
    assertThat(EmbeddingMath.cosine(a, new float[] {-3, -4}), closeTo(-1.0, 1e-9));
    assertThat(EmbeddingMath.cosine(new float[] {1, 0}, new float[] {0, 2}), closeTo(0.0, 1e-12));
    assertEquals(0.0, EmbeddingMath.cosine(a, new float[] {0, 0}));
    assertThat(EmbeddingMath.l2Norm(EmbeddingMath.normalize(a)), closeTo(1.0, 1e-6));
    assertEquals(0.6f, EmbeddingMath.normalize(a)[0], 1e-6f);
    assertEquals(25.0, EmbeddingMath.dot(a, a), 1e-12);
  }

  @Test
  void refusesVectorsOfDifferentDimensions() {
    assertThrows(
        IllegalArgumentException.class,
        () -> EmbeddingMath.cosine(new float[384], new float[768]));
  }
}
