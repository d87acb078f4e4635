package com.gongpipeline.enrich;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * Issue 14 item 3: the fp32 weights are not in the job jar but in a companion jar, so a run
 * without it must say which jar to add and which model the job jar carries.
 */
class LocalE5ModelWeightsTest {
  /** A missing fp32 resource names the companion jar and the int8 alternative. */
  @Test
  void missingFp32WeightsNameTheCompanionJar() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> LocalE5Model.E5_SMALL_V2.open("/not-shipped.onnx"));
    assertThat(e.getMessage(), allOf(containsString("/not-shipped.onnx"),
        containsString("gong-pipeline-e5-small-v2.jar"),
        containsString("--localEmbeddingModel=e5-small-v2-q")));
  }

  /** The int8 weights ship in the job jar: their error does not send anyone to the fp32 jar. */
  @Test
  void missingInt8ResourceDoesNotNameTheFp32Jar() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> LocalE5Model.E5_SMALL_V2_Q.open("/not-shipped.onnx"));
    assertThat(e.getMessage(), not(containsString("gong-pipeline-e5-small-v2.jar")));
  }
}
