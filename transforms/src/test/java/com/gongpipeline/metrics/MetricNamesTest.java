package com.gongpipeline.metrics;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;

import com.gongpipeline.gong.GongEndpoint;
import com.gongpipeline.metrics.PipelineMetric.Kind;
import com.gongpipeline.errors.DeadLetterStage;
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

  /** Every dead-letter stage's counter is in the catalogue, under its own stage name. */
  @Test
  void everyDeadLetterStageHasACounterInTheCatalogue() {
    for (DeadLetterStage s : DeadLetterStage.values()) {
      PipelineMetric m = MetricNames.deadLetters(s.stageName()).orElseThrow(
          () -> new AssertionError("no counter for stage " + s));
      assertThat(m.namespace(), equalTo(DeadLetterStage.COUNTER_NAMESPACE));
      assertThat(m.name(), equalTo(s.counterName()));
      assertThat(MetricNames.all(), hasItem(m));
    }
    assertThat(MetricNames.deadLetters("list_users").orElseThrow(),
        equalTo(MetricNames.deadLetters("list_workspaces").orElseThrow()));
    assertThat(MetricNames.deadLetters("no_such_stage").isPresent(), equalTo(false));
  }

  /** No DoFn names a dead-letter stage or its counter with a string literal: the enum owns them
   * (and the catalogue the two totals). */
  @Test
  void noDeadLetterStageIsAStringLiteral() throws IOException {
    Pattern literal = Pattern.compile("DeadLetter\\.of\\(\\s*\"|\"dead_letters_[a-z]");
    try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
      for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java")
          && !p.endsWith("DeadLetterStage.java") && !p.endsWith("MetricNames.java"))::iterator) {
        Matcher m = literal.matcher(Files.readString(f));
        assertThat(f + " names a dead-letter stage with a literal", m.find(), equalTo(false));
      }
    }
  }

  @Test
  void everyTableHasRowCounters() {
    for (WarehouseTable t : WarehouseTable.values()) {
      assertThat(com.gongpipeline.warehouse.WarehouseMetrics.rowsMerged(t).name(), equalTo("rows_merged_" + t.name()));
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
