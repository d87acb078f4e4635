package com.gongpipeline.pipeline.metrics;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.gongpipeline.gong.GongEndpoint;
import com.gongpipeline.metrics.MetricNames;
import com.gongpipeline.metrics.PipelineMetric;
import com.gongpipeline.warehouse.WarehouseTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code runner-configs/grafana/gong-pipeline-dashboard.json} queries only series the pipeline
 * emits ({@link MetricNames}), and covers every dead-letter stage, Gong endpoint, status class and
 * warehouse table: the dashboard cannot drift from the code.
 */
class GrafanaDashboardTest {
  static final Path DASHBOARD = Path.of("../runner-configs/grafana/gong-pipeline-dashboard.json");
  static final Pattern NAME_REGEX = Pattern.compile("__name__=~\"([^\"]+)\"");
  static final Pattern NAME = Pattern.compile("gong_pipeline_[A-Za-z0-9_]+");

  static JsonNode dashboard;
  static List<String> exprs = new ArrayList<>();
  static Set<String> emitted;

  @BeforeAll
  static void read() throws Exception {
    dashboard = new ObjectMapper().readTree(Files.readString(DASHBOARD));
    for (JsonNode panel : dashboard.get("panels")) {
      for (JsonNode t : panel.get("targets")) {
        exprs.add(t.get("expr").asText());
      }
    }
    emitted = MetricNames.all().stream().map(PipelineMetric::prometheusName)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  @Test
  void isAGrafanaDashboardOnAPrometheusDatasourceVariable() {
    assertThat(dashboard.get("schemaVersion").asInt(), greaterThanOrEqualTo(36));
    JsonNode var = dashboard.at("/templating/list/0");
    assertThat(var.get("type").asText(), equalTo("datasource"));
    assertThat(var.get("query").asText(), equalTo("prometheus"));
    for (JsonNode panel : dashboard.get("panels")) {
      assertThat(panel.get("title").asText(), panel.at("/datasource/uid").asText(),
          equalTo("${" + var.get("name").asText() + "}"));
    }
    assertThat(exprs, not(empty()));
  }

  @Test
  void everyQueriedSeriesIsOneThePipelineEmits() {
    List<String> unknown = new ArrayList<>();
    for (String expr : exprs) {
      Matcher regexes = NAME_REGEX.matcher(expr);
      while (regexes.find()) {
        Pattern p = Pattern.compile(regexes.group(1)); // PromQL anchors name regexes fully
        if (emitted.stream().noneMatch(n -> p.matcher(n).matches())) {
          unknown.add(regexes.group(1) + " (matches nothing) in " + expr);
        }
      }
      Matcher names = NAME.matcher(NAME_REGEX.matcher(expr).replaceAll(""));
      while (names.find()) {
        if (!emitted.contains(names.group())) {
          unknown.add(names.group() + " in " + expr);
        }
      }
    }
    assertThat(unknown, empty());
  }

  @Test
  void coversEveryStageEndpointStatusAndTable() {
    String all = String.join("\n", exprs);
    Set<PipelineMetric> required = new java.util.LinkedHashSet<>(
        MetricNames.deadLettersByStage().values());
    required.add(MetricNames.DEAD_LETTERS_UNWRITABLE);
    for (GongEndpoint e : GongEndpoint.values()) {
      required.add(MetricNames.gongRequests(e));
    }
    for (WarehouseTable t : WarehouseTable.values()) {
      required.add(com.gongpipeline.warehouse.WarehouseMetrics.rowsMerged(t));
    }
    for (PipelineMetric m : required) {
      assertThat(m.key(), Pattern.compile("\\b" + m.prometheusName() + "\\b").matcher(all).find(),
          equalTo(true));
    }
    for (String status : MetricNames.STATUS_CLASSES) {
      assertThat(all, org.hamcrest.Matchers.containsString("_" + status + "\"}"));
    }
    assertThat(exprs, hasItem(org.hamcrest.Matchers.containsString(
        MetricNames.NEWEST_CALL_START.prometheusName())));
  }
}
