package com.gongpipeline.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;

import org.junit.jupiter.api.Test;

/** {@code bench --scale}'s child JVM options: the recommended heap unless told otherwise. */
class ScaleBenchTest {

  @Test
  void theChildGetsTheRecommendedHeapByDefault() {
    assertThat(ScaleBench.childJvmArgs(CliArgs.parse(new String[] {"--scale=1000"})),
        contains("-Xmx1g"));
  }

  @Test
  void givenJvmArgsReplaceTheDefaultAndAnEmptyValueLeavesTheJvmsOwn() {
    assertThat(ScaleBench.childJvmArgs(CliArgs.parse(new String[] {"--scale=1000",
        "--scaleJvmArgs= -Xmx2g  -Dgongpipeline.warehouse.duckdbMemoryLimit=none "})),
        contains("-Xmx2g", "-Dgongpipeline.warehouse.duckdbMemoryLimit=none"));
    assertThat(ScaleBench.childJvmArgs(CliArgs.parse(new String[] {"--scaleJvmArgs="})), empty());
  }
}
