package com.gongpipeline.pipeline.metrics;

import com.gongpipeline.metrics.MetricNames;
import com.gongpipeline.metrics.PipelineMetric;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Renders a {@link MetricsSnapshot} in the Prometheus text exposition format 0.0.4: one family per
 * metric named {@code gong_pipeline_<namespace>_<name>}, with {@code # HELP} (from
 * {@link MetricNames}) and {@code # TYPE}; counters as counters, gauges as gauges, distributions as
 * {@code _sum}/{@code _count} counters and {@code _min}/{@code _max} gauges (unless the pipeline's
 * own mirror of that name exists, which then wins: same value, one series). Every sample carries
 * the job labels.
 */
public final class PrometheusFormat {
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private PrometheusFormat() {}

  public static String render(MetricsSnapshot s, Map<String, String> labels) {
    String labelText = labels(labels);
    // name -> [type, help, value]; insertion order keeps families together and stable.
    Map<String, String[]> families = new LinkedHashMap<>();
    s.counters().forEach((k, v) -> put(families, k, "", "counter", v));
    s.gauges().forEach((k, v) -> put(families, k, "", "gauge", v));
    s.distributions().forEach((k, d) -> {
      put(families, k, "_sum", "counter", d.sum());
      put(families, k, "_count", "counter", d.count());
      put(families, k, "_min", "gauge", d.min());
      put(families, k, "_max", "gauge", d.max());
    });
    StringBuilder out = new StringBuilder();
    families.forEach((name, f) -> {
      out.append("# HELP ").append(name).append(' ').append(escapeHelp(f[1])).append('\n');
      out.append("# TYPE ").append(name).append(' ').append(f[0]).append('\n');
      out.append(name).append(labelText).append(' ').append(f[2]).append('\n');
    });
    return out.toString();
  }

  private static void put(Map<String, String[]> families, String key, String suffix, String type,
      long value) {
    int colon = key.indexOf(':');
    String ns = key.substring(0, colon);
    if (!MetricNames.NAMESPACES.contains(ns)) {
      return; // a library's own counter (e.g. Beam's CoGbkResult): not one of ours to publish
    }
    String name = key.substring(colon + 1) + suffix;
    String series = sanitize(MetricNames.PROMETHEUS_PREFIX + ns + "_" + name);
    Optional<PipelineMetric> known = MetricNames.find(ns, name);
    String help = known.map(PipelineMetric::help).orElse("Beam metric " + ns + ":" + name);
    // A counter or gauge of this exact name (a distribution's mirror) is put first and wins.
    families.putIfAbsent(series, new String[] {type, help, Long.toString(value)});
  }

  static String sanitize(String name) {
    StringBuilder sb = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok = c == '_' || c == ':' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
          || (i > 0 && c >= '0' && c <= '9');
      sb.append(ok ? c : '_');
    }
    return sb.toString();
  }

  private static String labels(Map<String, String> labels) {
    if (labels.isEmpty()) {
      return "";
    }
    StringBuilder sb = new StringBuilder("{");
    labels.forEach((k, v) -> {
      if (sb.length() > 1) {
        sb.append(',');
      }
      sb.append(sanitize(k)).append("=\"").append(v.replace("\\", "\\\\").replace("\"", "\\\"")
          .replace("\n", "\\n")).append('"');
    });
    return sb.append('}').toString();
  }

  private static String escapeHelp(String help) {
    return help.replace("\\", "\\\\").replace("\n", "\\n");
  }
}
