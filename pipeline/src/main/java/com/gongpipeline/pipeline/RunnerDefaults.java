package com.gongpipeline.pipeline;

import java.util.Arrays;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Production defaults for the DirectRunner when run from the command line: its immutability and
 * encodability checks encode every element twice more, which roughly halves throughput; they stay
 * on in tests (TestPipeline) and can be turned back on with the flags themselves.
 */
final class RunnerDefaults {
  private RunnerDefaults() {}

  static void apply(PipelineOptions options, String[] args) {
    DirectOptions direct = options.as(DirectOptions.class);
    if (Arrays.stream(args).noneMatch(a -> a.startsWith("--enforceImmutability"))) {
      direct.setEnforceImmutability(false);
    }
    if (Arrays.stream(args).noneMatch(a -> a.startsWith("--enforceEncodability"))) {
      direct.setEnforceEncodability(false);
    }
  }
}
