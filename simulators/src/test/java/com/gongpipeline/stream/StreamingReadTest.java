package com.gongpipeline.stream;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

import com.gongpipeline.errors.StageResult;
import com.gongpipeline.gong.GongClientConfig;
import com.gongpipeline.gong.GongCredentials;
import com.gongpipeline.gong.sim.GongSimulator;
import com.gongpipeline.gong.sim.SimulatorConfig;
import com.gongpipeline.model.FetchedCall;
import com.gongpipeline.model.TimeWindow;
import com.gongpipeline.testing.MutableClock;
import com.gongpipeline.transforms.GongIO;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.util.SerializableSupplier;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The streaming read wired as production will: {@link PollGongWindows} → {@link
 * GongIO.ReadCalls#readWindows} (the backfill's sub-window split and list-and-fetch) → {@link
 * DedupCallVersions},
 * on the DirectRunner against the Gong simulator. The simulator and the poller share one clock, so
 * a call becomes listable only {@code processingLag} after it started, and each fetch presigns
 * fresh media URLs.
 */
class StreamingReadTest {
  @RegisterExtension final TestPipelineExtension pipelineExtension = TestPipelineExtension.create();

  static final Instant T0 = Instant.parse("2026-03-02T00:00:00Z");
  static final String KEY = "sim-key";
  static final String SECRET = "sim-secret";

  /** "Now" for both the simulator and the poller (static: the poller's clock is serialized). */
  static final MutableClock NOW = new MutableClock(T0);

  /** Each poll moves the shared clock one hour on. */
  static final class HourlyPollClock implements SerializableSupplier<Instant> {
    @Override
    public Instant get() {
      NOW.advance(Duration.ofHours(1));
      return NOW.instant();
    }
  }

  private GongSimulator sim;

  @AfterEach
  void stopSimulator() {
    if (sim != null) {
      sim.close();
    }
  }

  /**
   * Calls that become visible up to 3 h after they start are all read, because each poll re-reads
   * a 4 h lookback; those re-reads (with fresh media URLs) are dropped, so every call comes out
   * exactly once and nothing is dead-lettered.
   */
  @Test
  void lateVisibleCalls_readOnceDespiteOverlappingRereads(TestPipeline p) throws Exception {
    NOW.set(T0);
    sim =
        GongSimulator.start(
            SimulatorConfig.builder()
                .seed(5)
                .calls(20)
                .callsFrom(T0)
                .callsTo(T0.plus(Duration.ofHours(8)))
                .accessKey(KEY)
                .accessKeySecret(SECRET)
                .callsPageSize(4)
                .privateCallRate(0.1)
                .requestsPerSecond(0)
                .minProcessingLag(Duration.ofMinutes(30))
                .maxProcessingLag(Duration.ofHours(3))
                .clock(NOW)
                .build());
    Instant stopAt = T0.plus(Duration.ofHours(12));
    List<String> expected =
        new ArrayList<>(sim.groundTruth(T0, stopAt, stopAt).nonPrivateCallIds());
    assertThat(expected.size(), greaterThan(12));
    GongClientConfig client =
        GongClientConfig.builder()
            .baseUrl(sim.baseUrl())
            .credentials(GongCredentials.of(KEY, SECRET))
            .requestsPerSecond(500)
            .maxAttempts(3)
            .initialBackoff(Duration.ofMillis(20))
            .maxBackoff(Duration.ofMillis(100))
            .connectTimeout(Duration.ofSeconds(2))
            .readTimeout(Duration.ofSeconds(5))
            .build();
    Duration lookback = Duration.ofHours(4);

    PCollection<TimeWindow> windows =
        p.apply(
            "PollGongWindows",
            PollGongWindows.from(T0)
                .withPollInterval(Duration.ofMillis(400))
                .withLookback(lookback)
                .withStopAt(stopAt)
                .withClock(new HourlyPollClock()));
    StageResult<FetchedCall> fetched =
        GongIO.readCalls().withClientConfig(client).withListWindow(Duration.ofDays(1))
            // Polls come 400 ms apart (at 50 ms a fast machine put several polls in one bundle):
            // fetch each poll's ids on their own (a batch holding two polls' re-reads of one call
            // fetches it once, and dedup would have nothing to drop).
            .withMaxBatchBuffering(Duration.ofMillis(1))
            .readWindows(windows);
    PCollection<FetchedCall> calls =
        fetched.output().apply("DedupCallVersions", DedupCallVersions.of(Duration.ofHours(1), lookback));

    PAssert.that(calls)
        .satisfies(
            out -> {
              TreeMap<String, Integer> times = new TreeMap<>();
              out.forEach(c -> times.merge(c.callId(), 1, Integer::sum));
              TreeMap<String, Integer> once = new TreeMap<>();
              expected.forEach(id -> once.put(id, 1));
              assertThat(times, equalTo(once));
              return null;
            });
    PAssert.that(fetched.deadLetters()).empty();
    PipelineResult result = p.run();
    result.waitUntilFinish();
    long dropped = 0;
    for (MetricResult<Long> c :
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named("stream", "duplicates_dropped"))
                    .build())
            .getCounters()) {
      dropped += c.getAttempted();
    }
    assertThat("the lookback re-read calls, and dedup dropped them", dropped, greaterThan(0L));
  }
}
