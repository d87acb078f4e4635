package com.gongpipeline.transforms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.sameInstance;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.gongpipeline.gong.GongClientConfig;
import com.gongpipeline.gong.GongCredentials;
import com.gongpipeline.model.TimeWindow;
import java.time.Duration;
import java.time.Instant;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;

/** {@link GongIO} specs: immutable {@code withX}, {@code toBuilder}, validation naming the missing {@code withX}. */
class GongIOSpecTest {
  private static final TimeWindow WINDOW =
      new TimeWindow(Instant.parse("2026-03-01T00:00:00Z"), Instant.parse("2026-03-02T00:00:00Z"));

  private static Pipeline pipeline() {
    return Pipeline.create(PipelineOptionsFactory.create());
  }

  private static GongClientConfig config() {
    return GongClientConfig.builder().baseUrl("https://us-1.api.gong.io")
        .credentials(GongCredentials.of("k", "s")).maxCallIdsPerRequest(40).build();
  }

  @Test
  void readCallsWithoutClient_namesWithClientConfigOrWithClientFactory() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> pipeline().apply(GongIO.readCalls().withWindow(WINDOW)));
    assertThat(e.getMessage(),
        is("GongIO.readCalls() needs withClientConfig(...) or withClientFactory(...)"));
  }

  @Test
  void readCallsWithoutWindow_namesWithWindow() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> pipeline().apply(GongIO.readCalls().withClientConfig(config())));
    assertThat(e.getMessage(), containsString("withWindow(...)"));
  }

  @Test
  void streamingListAndFetchWithoutClient_namesTheClient() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> GongIO.readCalls().listAndFetch());
    assertThat(e.getMessage(), containsString("withClientFactory(...)"));
  }

  @Test
  void readDirectoryWithoutClientOrJobId_namesWhatIsMissing() {
    IllegalArgumentException noClient = assertThrows(IllegalArgumentException.class,
        () -> pipeline().apply(GongIO.readDirectory().withJobId("j")));
    assertThat(noClient.getMessage(),
        is("GongIO.readDirectory() needs withClientConfig(...) or withClientFactory(...)"));
    IllegalArgumentException noJob = assertThrows(IllegalArgumentException.class,
        () -> pipeline().apply(GongIO.readDirectory().withClientConfig(config())));
    assertThat(noJob.getMessage(), containsString("withJobId(...)"));
  }

  @Test
  void withX_returnsANewSpecAndToBuilderKeepsEverything() {
    GongIO.ReadCalls base = GongIO.readCalls().withClientConfig(config()).withWindow(WINDOW);
    GongIO.ReadCalls hourly = base.withListWindow(Duration.ofHours(1));
    assertThat(hourly, not(sameInstance(base)));
    // The copy made through toBuilder() expands like the original (client, window, list window).
    Pipeline p = pipeline();
    p.apply(hourly.toBuilder().build());
    assertThrows(IllegalArgumentException.class, () -> base.withListWindow(Duration.ZERO));
    assertThrows(NullPointerException.class, () -> base.withClientFactory(null));
  }
}
