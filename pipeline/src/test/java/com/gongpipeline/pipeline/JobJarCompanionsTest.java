package com.gongpipeline.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.runners.flink.FlinkRunner;
import org.junit.jupiter.api.Test;

/** Issue 14 item 3: FlinkRunner without the Flink companion jar is a usage error naming it. */
class JobJarCompanionsTest {
  private static final String ABSENT = "org.apache.flink.NotOnThisClassPath";

  @Test
  void flinkRunnerWithoutFlinkNamesTheCompanionJar() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> JobJarCompanions.requireRunner(FlinkRunner.class, ABSENT));
    assertThat(e.getMessage(), allOf(containsString("--runner=FlinkRunner"),
        containsString(JobJarCompanions.FLINK_JAR)));
    assertThat(ExitCode.forFailure(e), org.hamcrest.Matchers.is(ExitCode.USAGE));
  }

  /** The DirectRunner needs no companion, and the real probe class is Flink's (on this path). */
  @Test
  void directRunnerAndPresentFlinkPass() throws Exception {
    JobJarCompanions.requireRunner(DirectRunner.class, ABSENT);
    JobJarCompanions.requireRunner(FlinkRunner.class);
    assertThat(Class.forName(JobJarCompanions.FLINK_PROBE).getName(),
        containsString("org.apache.flink"));
  }
}
