package com.gongpipeline.pipeline;

import org.apache.beam.sdk.PipelineRunner;

/**
 * The job jar's companions (issue 14 item 3): to keep {@code gong-pipeline.jar} under 250 MB,
 * Flink itself ships in {@code gong-pipeline-flink-runtime.jar} and the fp32 e5-small-v2 weights
 * in {@code gong-pipeline-e5-small-v2.jar}. {@code mvn package} writes both next to the job jar,
 * whose manifest {@code Class-Path} names them, so {@code java -jar pipeline/target/gong-pipeline.jar}
 * finds them; a job jar copied alone runs the DirectRunner with the default {@code e5-small-v2-q}, and this
 * class turns a missing companion into a usage error that names it.
 */
final class JobJarCompanions {
  /** The Flink companion's file name (pipeline/target). */
  static final String FLINK_JAR = "gong-pipeline-flink-runtime.jar";
  /** A class every Flink run loads; absent when the Flink companion is not on the class path. */
  static final String FLINK_PROBE = "org.apache.flink.api.common.JobID";

  private JobJarCompanions() {}

  /**
   * Fails with a usage error naming {@link #FLINK_JAR} when {@code runner} is a Flink runner and
   * Flink is not on the class path (Beam's own error would be a {@code NoClassDefFoundError}).
   */
  static void requireRunner(Class<? extends PipelineRunner<?>> runner) {
    requireRunner(runner, FLINK_PROBE);
  }

  static void requireRunner(Class<? extends PipelineRunner<?>> runner, String probe) {
    if (runner == null || !runner.getName().startsWith("org.apache.beam.runners.flink.")) {
      return;
    }
    try {
      Class.forName(probe, false, JobJarCompanions.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalArgumentException("--runner=" + runner.getSimpleName() + " needs Flink, "
          + "which ships in " + FLINK_JAR + ": keep it next to gong-pipeline.jar (mvn package "
          + "writes both to pipeline/target; the job jar's manifest names it) or add it to the "
          + "class path. On a Flink cluster (which provides Flink) stage the job jar and, for the "
          + "fp32 model (--localEmbeddingModel=e5-small-v2), gong-pipeline-e5-small-v2.jar "
          + "(--filesToStage).");
    }
  }
}
