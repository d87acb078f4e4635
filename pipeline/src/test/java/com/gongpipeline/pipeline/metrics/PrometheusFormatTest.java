package com.gongpipeline.pipeline.metrics;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class PrometheusFormatTest {
  static final Map<String, String> LABELS = new LinkedHashMap<>();

  static {
    LABELS.put("job_id", "backfill-1");
    LABELS.put("mode", "back\"fill");
  }

  static MetricsSnapshot snapshot() {
    return new MetricsSnapshot(
        Map.of("pipeline:calls_parsed", 42L, "enrich:embedding_batch_ms_sum", 900L,
            "enrich:embedding_batch_ms_count", 3L),
        Map.of("pipeline:newest_call_start_epoch_s", 1_700_000_000L),
        Map.of("enrich:embedding_batch_ms", new MetricsSnapshot.Dist(900, 3, 100, 500),
            "warehouse:merge_ms", new MetricsSnapshot.Dist(60, 2, 20, 40)));
  }

  /** The value of one series, parsed back from the text. */
  static long value(String text, String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + "\\{[^}]*} (-?\\d+)$")
        .matcher(text);
    assertThat(series + " in\n" + text, m.find(), equalTo(true));
    long v = Long.parseLong(m.group(1));
    assertThat(series + " appears once", m.find(), equalTo(false));
    return v;
  }

  @Test
  void countersGaugesAndDistributionsAreTypedWithLabels() {
    String text = PrometheusFormat.render(snapshot(), LABELS);
    assertThat(text, containsString("# TYPE gong_pipeline_pipeline_calls_parsed counter\n"));
    assertThat(text, containsString("# HELP gong_pipeline_pipeline_calls_parsed Calls parsed"));
    assertThat(text, containsString(
        "gong_pipeline_pipeline_calls_parsed{job_id=\"backfill-1\",mode=\"back\\\"fill\"} 42\n"));
    assertThat(text, containsString("# TYPE gong_pipeline_pipeline_newest_call_start_epoch_s gauge"));
    assertThat(value(text, "gong_pipeline_warehouse_merge_ms_sum"), equalTo(60L));
    assertThat(value(text, "gong_pipeline_warehouse_merge_ms_count"), equalTo(2L));
    assertThat(value(text, "gong_pipeline_warehouse_merge_ms_min"), equalTo(20L));
    assertThat(value(text, "gong_pipeline_warehouse_merge_ms_max"), equalTo(40L));
    assertThat(text, containsString("# TYPE gong_pipeline_warehouse_merge_ms_max gauge"));
    assertThat(text, containsString("# TYPE gong_pipeline_warehouse_merge_ms_count counter"));
  }

  /** A distribution and its mirror counters make one series each, not two. */
  @Test
  void mirrorsAndDistributionPartsDoNotCollide() {
    String text = PrometheusFormat.render(snapshot(), LABELS);
    assertThat(value(text, "gong_pipeline_enrich_embedding_batch_ms_sum"), equalTo(900L));
    assertThat(value(text, "gong_pipeline_enrich_embedding_batch_ms_count"), equalTo(3L));
    assertThat(text.split("# TYPE gong_pipeline_enrich_embedding_batch_ms_sum ", -1).length,
        equalTo(2));
  }

  @Test
  void unknownMetricsAreExportedWithSafeNames() {
    String text = PrometheusFormat.render(new MetricsSnapshot(
        Map.of("cortex:tokens-used.total", 5L), Map.of(), Map.of()), Map.of());
    assertThat(text, containsString("gong_pipeline_cortex_tokens_used_total 5\n"));
    assertThat(text, not(containsString("{")));
  }

  /** A library's own counter (Beam's CoGroupByKey counts its keys) is not ours to publish. */
  @Test
  void countersOutsideThePipelinesNamespacesAreLeftOut() {
    String text = PrometheusFormat.render(new MetricsSnapshot(
        Map.of("org.apache.beam.sdk.transforms.join.CoGbkResult:cogbk_keys", 7L,
            "enrich:summaries_made", 2L), Map.of(), Map.of()), Map.of());
    assertThat(text, not(containsString("cogbk")));
    assertThat(text, containsString("gong_pipeline_enrich_summaries_made 2\n"));
  }
}
