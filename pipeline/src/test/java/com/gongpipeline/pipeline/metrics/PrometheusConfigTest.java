package com.gongpipeline.pipeline.metrics;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.gongpipeline.metrics.MetricNames;
import com.gongpipeline.metrics.PipelineMetric;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code runner-configs/prometheus.yml}'s relabelling turns the Flink reporter's name of every
 * pipeline metric into the DirectRunner endpoint's name. (PrometheusScrapeTest runs the real
 * Prometheus on this file.)
 */
class PrometheusConfigTest {
  static final Path CONFIG = Path.of("../runner-configs/prometheus.yml");
  static final String FLINK_PREFIX = "flink_taskmanager_job_task_operator_";

  @Test
  void flinkSeriesAreRenamedToTheDirectRunnerNames() throws Exception {
    String yml = Files.readString(CONFIG);
    Matcher regex = Pattern.compile("(?m)^\\s*regex: '([^']+)'").matcher(yml);
    Matcher replacement = Pattern.compile("(?m)^\\s*replacement: '([^']+)'").matcher(yml);
    assertThat(regex.find() && replacement.find(), equalTo(true));
    Pattern p = Pattern.compile(regex.group(1));
    String javaReplacement = replacement.group(1).replace("${1}", "$1").replace("${2}", "$2");
    for (PipelineMetric m : MetricNames.all()) {
      String flink = FLINK_PREFIX + m.namespace() + "_" + m.name();
      Matcher f = p.matcher(flink);
      assertThat(flink, f.matches(), equalTo(true));
      assertThat(f.replaceAll(javaReplacement), equalTo(m.prometheusName()));
    }
    for (String ns : MetricNames.NAMESPACES) {
      assertThat(regex.group(1), containsString(ns));
    }
    assertThat(p.matcher(FLINK_PREFIX + "numRecordsIn").matches(), equalTo(false));
    assertThat(yml, containsString("localhost:9464"));
  }
}
