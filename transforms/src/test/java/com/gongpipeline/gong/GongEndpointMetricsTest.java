package com.gongpipeline.gong;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;

import com.gongpipeline.metrics.MetricNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The metric catalogue names the Gong endpoints without importing the client: {@link GongEndpoint}
 * and {@link MetricNames#GONG_ENDPOINTS} must agree, and the dependency runs one way only.
 */
class GongEndpointMetricsTest {

  @Test
  void everyEndpointHasItsCatalogueEntryInOrder() {
    assertThat(new ArrayList<>(MetricNames.GONG_ENDPOINTS.keySet()),
        contains(Arrays.stream(GongEndpoint.values()).map(GongEndpoint::metricName).toArray()));
    for (GongEndpoint e : GongEndpoint.values()) {
      assertThat(MetricNames.GONG_ENDPOINTS.get(e.metricName()), is(e.describe()));
      assertThat(MetricNames.gongRequests(e).name(), is("requests_" + e.metricName()));
      assertThat(MetricNames.gongResponses(e, 503).name(), is("requests_" + e.metricName() + "_5xx"));
      assertThat(MetricNames.all().contains(MetricNames.gongRequests(e)), is(true));
    }
  }

  @Test
  void metricsPackageImportsNoGongType() throws IOException {
    List<String> offending = new ArrayList<>();
    try (Stream<Path> files = Files.list(Path.of("src/main/java/com/gongpipeline/metrics"))) {
      for (Path f : (Iterable<Path>) files::iterator) {
        for (String line : Files.readAllLines(f)) {
          if (line.startsWith("import com.gongpipeline.gong.")) {
            offending.add(f.getFileName() + ": " + line);
          }
        }
      }
    }
    assertThat(offending, empty());
  }
}
