package com.gongpipeline.stream;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.gongpipeline.model.FetchedCall;
import com.gongpipeline.parse.JsonSupport;
import java.time.Duration;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.Reify;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Dedup of re-polled calls, one lateness case per test (as in Beam's LeaderBoardTest). Windows are
 * 10 minutes of call start time, lookback (allowed lateness) 30 minutes, early firing 1 minute
 * after a pane's first call. Calls enter with the timestamp the stream is at (as after a poll)
 * and are re-timestamped to their start. Outputs are labelled {@code id:title@PANE_TIMING}.
 */
class DedupCallVersionsTest {
  @RegisterExtension final TestPipelineExtension pipelineExtension = TestPipelineExtension.create();

  static final Instant BASE = Instant.parse("2026-03-02T10:00:00Z");
  static final org.joda.time.Duration WINDOW = org.joda.time.Duration.standardMinutes(10);
  static final IntervalWindow FIRST_WINDOW = new IntervalWindow(BASE, WINDOW);
  static final DedupCallVersions DEDUP =
      DedupCallVersions.of(Duration.ofMinutes(10), Duration.ofMinutes(30))
          .withEarlyFiringDelay(Duration.ofMinutes(1));

  static Instant at(int minutes) {
    return BASE.plus(org.joda.time.Duration.standardMinutes(minutes));
  }

  /** A call as Gong returns it; the audio URL is presigned and differs on every fetch. */
  static FetchedCall call(String id, int startMinute, String title, String audioSignature) {
    String callJson =
        "{\"metaData\": {\"id\": \"" + id + "\", \"started\": \"" + at(startMinute)
            + "\", \"title\": \"" + title + "\"},"
            + " \"media\": {\"audioUrl\": \"https://s3.example/" + id + "?sig=" + audioSignature
            + "\"}}";
    String transcriptJson =
        "{\"callId\": \"" + id + "\", \"transcript\": [{\"speakerId\": \"1\", \"sentences\":"
            + " [{\"start\": 0, \"end\": 900, \"text\": \"Hello\"}]}]}";
    return new FetchedCall(id, callJson, transcriptJson);
  }

  static TimestampedValue<FetchedCall> polledAt(Instant pollTime, FetchedCall call) {
    return TimestampedValue.of(call, pollTime);
  }

  /** Each emitted call as {@code id:title@EARLY|ON_TIME|LATE}. */
  static PCollection<String> paneLabels(PCollection<FetchedCall> out) {
    return out.apply("ReifyPanes", Reify.windows())
        .apply(
            "Label",
            MapElements.into(TypeDescriptors.strings())
                .via(
                    v ->
                        v.getValue().callId()
                            + ":"
                            + JsonSupport.parse(v.getValue().callJson())
                                .path("metaData").path("title").asText()
                            + "@"
                            + v.getPaneInfo().getTiming()));
  }

  static long counter(PipelineResult result, String name) {
    MetricQueryResults metrics =
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named("stream", name))
                    .build());
    long total = 0;
    for (MetricResult<Long> c : metrics.getCounters()) {
      total += c.getAttempted();
    }
    return total;
  }

  /** A call that arrives before the watermark passes its window is emitted once, on time. */
  @Test
  void onTimeCall_emittedOnceInOnTimePane(TestPipeline p) {
    FetchedCall c1 = call("c1", 3, "Pricing", "1");
    TestStream<FetchedCall> polls =
        TestStream.create(FetchedCallCoder.of())
            .advanceWatermarkTo(BASE)
            .addElements(polledAt(BASE, c1))
            .advanceWatermarkToInfinity();

    PCollection<FetchedCall> out = p.apply(polls).apply(DEDUP);

    PAssert.that(out).inOnTimePane(FIRST_WINDOW).containsInAnyOrder(c1);
    PAssert.that(paneLabels(out)).containsInAnyOrder("c1:Pricing@ON_TIME");
    p.run().waitUntilFinish();
  }

  /**
   * A call Gong makes visible after its window's on-time pane, but within the lookback, is still
   * emitted, in a late pane of the window of its start time (observably late).
   */
  @Test
  void lateCallWithinLookback_emittedInLatePane(TestPipeline p) {
    FetchedCall early = call("c1", 1, "Kickoff", "1");
    FetchedCall late = call("c2", 5, "Pricing", "1");
    TestStream<FetchedCall> polls =
        TestStream.create(FetchedCallCoder.of())
            .advanceWatermarkTo(BASE)
            .addElements(polledAt(BASE, early))
            .advanceWatermarkTo(at(15))
            .addElements(polledAt(at(15), late))
            .advanceWatermarkToInfinity();

    PCollection<FetchedCall> out = p.apply(polls).apply(DEDUP);

    PAssert.that(out).inOnTimePane(FIRST_WINDOW).containsInAnyOrder(early);
    PAssert.that(out).inLatePane(FIRST_WINDOW).containsInAnyOrder(late);
    PAssert.that(paneLabels(out)).containsInAnyOrder("c1:Kickoff@ON_TIME", "c2:Pricing@LATE");
    p.run().waitUntilFinish();
  }

  /**
   * A re-poll whose only difference is a fresh presigned media URL is a duplicate: the call is
   * emitted in the early pane and not again, and the drop is counted.
   */
  @Test
  void repollWithSameContent_isDropped(TestPipeline p) {
    TestStream<FetchedCall> polls =
        TestStream.create(FetchedCallCoder.of())
            .advanceWatermarkTo(BASE)
            .addElements(polledAt(BASE, call("c1", 3, "Pricing", "first-fetch")))
            .advanceProcessingTime(org.joda.time.Duration.standardMinutes(2))
            .addElements(polledAt(BASE, call("c1", 3, "Pricing", "second-fetch")))
            .advanceWatermarkToInfinity();

    PCollection<FetchedCall> out = p.apply(polls).apply(DEDUP);

    PAssert.that(paneLabels(out)).containsInAnyOrder("c1:Pricing@EARLY");
    PAssert.that(out).inOnTimePane(FIRST_WINDOW).empty();
    PipelineResult result = p.run();
    result.waitUntilFinish();
    assertThat(counter(result, "duplicates_dropped"), equalTo(1L));
    assertThat(counter(result, "versions_changed"), equalTo(0L));
  }

  /** A re-poll whose content changed (the title was edited) is emitted again, and counted. */
  @Test
  void repollWithChangedContent_isEmittedAgain(TestPipeline p) {
    TestStream<FetchedCall> polls =
        TestStream.create(FetchedCallCoder.of())
            .advanceWatermarkTo(BASE)
            .addElements(polledAt(BASE, call("c1", 3, "Pricing", "first-fetch")))
            .advanceProcessingTime(org.joda.time.Duration.standardMinutes(2))
            .addElements(polledAt(BASE, call("c1", 3, "Pricing v2", "second-fetch")))
            .advanceWatermarkToInfinity();

    PCollection<FetchedCall> out = p.apply(polls).apply(DEDUP);

    PAssert.that(paneLabels(out))
        .containsInAnyOrder("c1:Pricing@EARLY", "c1:Pricing v2@ON_TIME");
    PipelineResult result = p.run();
    result.waitUntilFinish();
    assertThat(counter(result, "versions_changed"), equalTo(1L));
    assertThat(counter(result, "duplicates_dropped"), equalTo(0L));
  }

  /**
   * Two fetches of one call in one pane, the newer (higher {@link FetchedCall#version()}) arriving
   * first, as parallel fetch branches can deliver them: the newer one is emitted, not the last.
   */
  @Test
  void severalVersionsInOnePane_theNewestFetchIsEmitted(TestPipeline p) {
    FetchedCall older = call("c1", 3, "Pricing", "first-fetch");
    FetchedCall newer = call("c1", 3, "Pricing v2", "second-fetch");
    TestStream<FetchedCall> polls =
        TestStream.create(FetchedCallCoder.of())
            .advanceWatermarkTo(BASE)
            .addElements(
                polledAt(BASE, new FetchedCall("c1", newer.callJson(), newer.transcriptJson(), 200L)),
                polledAt(BASE, new FetchedCall("c1", older.callJson(), older.transcriptJson(), 100L)))
            .advanceWatermarkToInfinity();

    PCollection<FetchedCall> out = p.apply(polls).apply(DEDUP);

    PAssert.that(paneLabels(out)).containsInAnyOrder("c1:Pricing v2@ON_TIME");
    p.run().waitUntilFinish();
  }

  /**
   * A call that shows up after its window's end + lookback is dropped here, while a current call
   * still flows; the MERGE sink keyed on call id and the next backfill over that range cover it.
   */
  @Test
  void callLaterThanLookback_isDropped(TestPipeline p) {
    TestStream<FetchedCall> polls =
        TestStream.create(FetchedCallCoder.of())
            .advanceWatermarkTo(BASE)
            .advanceWatermarkTo(at(10 + 30 + 1))
            .addElements(
                polledAt(at(41), call("c1", 5, "Too late", "1")),
                polledAt(at(41), call("c2", 45, "Current", "1")))
            .advanceWatermarkToInfinity();

    PCollection<FetchedCall> out = p.apply(polls).apply(DEDUP);

    PAssert.that(out).inWindow(FIRST_WINDOW).empty();
    PAssert.that(paneLabels(out)).containsInAnyOrder("c2:Current@ON_TIME");
    p.run().waitUntilFinish();
  }
}
