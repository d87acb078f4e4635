package com.gongpipeline.pipeline;

import java.util.Arrays;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Production defaults for the DirectRunner when run from the command line, each overridable by
 * its own flag:
 *
 * <ul>
 *   <li>immutability and encodability checks off: they encode every element again; they stay on
 *       in tests (TestPipeline);
 *   <li>more worker threads than cores: Gong fetches spend most of their time waiting on the
 *       API's rate limit, and with only one thread per core they starve the CPU-bound embedding
 *       steps until every call is fetched.
 * </ul>
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
    if (Arrays.stream(args).noneMatch(a -> a.startsWith("--targetParallelism"))) {
      direct.setTargetParallelism(Math.max(6, 2 * Runtime.getRuntime().availableProcessors()));
    }
  }
}
