package com.gongpipeline.metrics;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;

import com.gongpipeline.gong.GongEndpoint;
import com.gongpipeline.metrics.PipelineMetric.Kind;
import com.gongpipeline.warehouse.WarehouseTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class MetricNamesTest {

  /** Two metrics with one series name would be one series in Prometheus and Grafana. */
  @Test
  void everyPrometheusNameIsValidAndUnique() {
    Set<String> seen = new HashSet<>();
    for (PipelineMetric m : MetricNames.all()) {
      assertThat(m.prometheusName(), matchesPattern("gong_pipeline_[a-z]+_[A-Za-z0-9_]+"));
      assertThat(m.key() + " appears twice", seen.add(m.prometheusName()), equalTo(true));
      assertThat(MetricNames.NAMESPACES, hasItem(m.namespace()));
    }
  }

  /** Flink exports distributions as 0, so each needs counters and a gauge beside it. */
  @Test
  void everyDistributionHasSumCountAndMaxMirrors() {
    for (PipelineMetric m : MetricNames.all()) {
      if (m.kind() == Kind.DISTRIBUTION) {
        assertThat(MetricNames.sumOf(m).kind(), equalTo(Kind.COUNTER));
        assertThat(MetricNames.countOf(m).kind(), equalTo(Kind.COUNTER));
        assertThat(MetricNames.maxOf(m).kind(), equalTo(Kind.GAUGE));
      }
    }
  }

  @Test
  void statusesFallIntoTheListedClasses() {
    assertThat(MetricNames.statusClass(200), equalTo("200"));
    assertThat(MetricNames.statusClass(429), equalTo("429"));
    assertThat(MetricNames.statusClass(404), equalTo("4xx"));
    assertThat(MetricNames.statusClass(503), equalTo("5xx"));
    assertThat(MetricNames.statusClass(204), equalTo("2xx"));
    assertThat(MetricNames.statusClass(0), equalTo("io_error"));
    for (GongEndpoint e : GongEndpoint.values()) {
      for (int status : List.of(200, 201, 302, 400, 429, 500, 599, 0, -1)) {
        PipelineMetric m = MetricNames.gongResponses(e, status);
        assertThat(e + " " + status, m, notNullValue());
        assertThat(MetricNames.STATUS_CLASSES, hasItem(MetricNames.statusClass(status)));
      }
    }
    assertThat(MetricNames.gongResponses(GongEndpoint.CALLS_EXTENSIVE, 429).name(),
        equalTo("requests_calls_extensive_429"));
  }

  /** Every stage that emits dead letters has its counter (read from the DoFns' sources). */
  @Test
  void everyDeadLetterStageHasACounter() throws IOException {
    Pattern stage = Pattern.compile("DeadLetter\\.of\\(\\s*\"([a-z_]+)\"|emit\\(out, \"([a-z_]+)\"");
    Set<String> stages = new HashSet<>();
    try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
      for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
        Matcher m = stage.matcher(Files.readString(f));
        while (m.find()) {
          stages.add(m.group(1) != null ? m.group(1) : m.group(2));
        }
      }
    }
    assertThat(stages, hasItem("fetch_calls"));
    for (String s : stages) {
      assertThat("dead-letter counter of stage " + s, MetricNames.deadLetters(s).isPresent(),
          equalTo(true));
    }
  }

  @Test
  void everyTableHasRowCounters() {
    for (WarehouseTable t : WarehouseTable.values()) {
      assertThat(MetricNames.rowsMerged(t).name(), equalTo("rows_merged_" + t.name()));
      assertThat(MetricNames.find("warehouse", "rows_inserted_" + t.name()).isPresent(),
          equalTo(true));
    }
  }

  @Test
  void aCounterIsNotAGauge() {
    try {
      MetricNames.CALLS_PARSED.gauge();
      throw new AssertionError("expected a refusal");
    } catch (IllegalStateException expected) {
      assertThat(expected.getMessage(), matchesPattern(".*pipeline:calls_parsed is a COUNTER.*"));
    }
  }
}
