package com.gongpipeline.stream;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.gongpipeline.model.TimeWindow;
import com.gongpipeline.stream.PollGongWindows.CheckpointOnlyTracker;
import com.gongpipeline.stream.PollGongWindows.PollWindowsFn;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.range.OffsetRange;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.DoFn.ProcessContinuation;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.Reify;
import org.apache.beam.sdk.transforms.splittabledofn.ManualWatermarkEstimator;
import org.apache.beam.sdk.transforms.splittabledofn.RestrictionTracker;
import org.apache.beam.sdk.transforms.splittabledofn.SplitResult;
import org.apache.beam.sdk.util.SerializableSupplier;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The polling source: windows, read position (restriction), watermark and stopping. The pipeline
 * test runs the SDF on the DirectRunner; the others call one poll directly for exact values.
 */
class PollGongWindowsTest {
  @RegisterExtension final TestPipelineExtension pipelineExtension = TestPipelineExtension.create();

  static final Instant T0 = Instant.parse("2026-03-02T00:00:00Z");
  static final Duration STEP = Duration.ofMinutes(10);
  static final Duration LOOKBACK = Duration.ofMinutes(15);
  static final long LOOKBACK_MS = LOOKBACK.toMillis();

  static Instant t(int minutes) {
    return T0.plus(Duration.ofMinutes(minutes));
  }

  static long ms(int minutes) {
    return t(minutes).toEpochMilli();
  }

  /**
   * A clock that moves {@code step} forward on every read: read n returns {@code base + n × step}.
   * Its counter lives in a static map because Beam serializes the DoFn that holds the clock.
   */
  static final class SteppingClock implements SerializableSupplier<Instant> {
    private static final Map<String, AtomicLong> READS = new ConcurrentHashMap<>();
    private final String id = UUID.randomUUID().toString();
    private final Instant base;
    private final Duration step;

    SteppingClock(Instant base, Duration step) {
      this.base = base;
      this.step = step;
    }

    @Override
    public Instant get() {
      long n = READS.computeIfAbsent(id, k -> new AtomicLong()).incrementAndGet();
      return base.plus(step.multipliedBy(n));
    }
  }

  /** A clock that always says the same time. */
  static SerializableSupplier<Instant> fixedClock(Instant now) {
    return () -> now;
  }

  /** Collects what one poll emits. */
  static final class Emitted {
    final List<String> windows = new ArrayList<>();

    void add(TimeWindow w, org.joda.time.Instant timestamp) {
      windows.add(w + "@" + java.time.Instant.ofEpochMilli(timestamp.getMillis()));
    }
  }

  static PollWindowsFn fn(long stopAtMillis, SerializableSupplier<Instant> clock) {
    return new PollWindowsFn(
        T0.toEpochMilli(), stopAtMillis, Duration.ofMinutes(5).toMillis(), LOOKBACK_MS, clock);
  }

  /**
   * On the DirectRunner, four polls with the clock at +10, +20, +30, +40 min give windows that each
   * start at the previous end minus the lookback (clamped at the start) and end at "now", each
   * stamped with its start, and the source finishes at stopAt.
   */
  @Test
  void polls_emitOverlappingWindowsUntilStopAt(TestPipeline p) {
    PCollection<TimeWindow> windows =
        p.apply(
            PollGongWindows.from(T0)
                .withPollInterval(Duration.ofMillis(10))
                .withLookback(LOOKBACK)
                .withStopAt(t(40))
                .withClock(new SteppingClock(T0, STEP)));
    PCollection<String> stamped =
        windows
            .apply(Reify.timestamps())
            .apply(
                MapElements.into(TypeDescriptors.strings())
                    .via(tv -> tv.getValue() + "@" + Instant.ofEpochMilli(tv.getTimestamp().getMillis())));

    PAssert.that(stamped)
        .containsInAnyOrder(
            "[" + t(0) + ", " + t(10) + ")@" + t(0),
            "[" + t(0) + ", " + t(20) + ")@" + t(0),
            "[" + t(5) + ", " + t(30) + ")@" + t(5),
            "[" + t(15) + ", " + t(40) + ")@" + t(15));
    assertThat(p.run().waitUntilFinish(), equalTo(PipelineResult.State.DONE));
  }

  /**
   * One poll claims up to "now": the watermark goes from start − lookback to now − lookback, and a
   * checkpoint's residual restriction starts at "now", i.e. the runner stores the read position.
   */
  @Test
  void poll_movesWatermarkAndCheckpointsPositionAtNow() {
    PollWindowsFn fn = fn(Long.MAX_VALUE, new SteppingClock(T0, STEP));
    OffsetRange initial = fn.initialRestriction();
    RestrictionTracker<OffsetRange, Long> tracker = fn.newTracker(initial);
    ManualWatermarkEstimator<org.joda.time.Instant> watermark =
        fn.newWatermarkEstimator(fn.initialWatermark(initial));
    assertThat(watermark.currentWatermark().getMillis(), equalTo(ms(0) - LOOKBACK_MS));

    Emitted emitted = new Emitted();
    ProcessContinuation continuation = fn.pollOnce(tracker, watermark, emitted::add);

    assertThat(emitted.windows, contains("[" + t(0) + ", " + t(10) + ")@" + t(0)));
    assertThat(continuation.shouldResume(), equalTo(true));
    assertThat(continuation.resumeDelay(), equalTo(org.joda.time.Duration.standardMinutes(5)));
    assertThat(watermark.currentWatermark().getMillis(), equalTo(ms(10) - LOOKBACK_MS));
    SplitResult<OffsetRange> checkpoint = tracker.trySplit(0);
    assertThat(checkpoint.getPrimary(), equalTo(new OffsetRange(ms(0), ms(10))));
    assertThat(checkpoint.getResidual(), equalTo(new OffsetRange(ms(10), Long.MAX_VALUE)));
  }

  /**
   * Resuming from a checkpointed restriction (as after a Flink restart) re-reads from the stored
   * position minus the lookback, not from the configured start.
   */
  @Test
  void poll_resumedFromCheckpoint_rereadsLookbackBeforeStoredPosition() {
    PollWindowsFn fn = fn(Long.MAX_VALUE, fixedClock(t(120)));
    OffsetRange restored = new OffsetRange(ms(100), Long.MAX_VALUE);
    ManualWatermarkEstimator<org.joda.time.Instant> watermark =
        fn.newWatermarkEstimator(new org.joda.time.Instant(ms(100) - LOOKBACK_MS));
    Emitted emitted = new Emitted();

    fn.pollOnce(fn.newTracker(restored), watermark, emitted::add);

    assertThat(emitted.windows, contains("[" + t(85) + ", " + t(120) + ")@" + t(85)));
    assertThat(watermark.currentWatermark().getMillis(), equalTo(ms(120) - LOOKBACK_MS));
  }

  /** A poll whose clock has not passed the position emits nothing, keeps the watermark, resumes. */
  @Test
  void poll_clockNotAdvanced_emitsNothingAndResumes() {
    PollWindowsFn fn = fn(Long.MAX_VALUE, fixedClock(t(30)));
    OffsetRange restored = new OffsetRange(ms(30), Long.MAX_VALUE);
    RestrictionTracker<OffsetRange, Long> tracker = fn.newTracker(restored);
    ManualWatermarkEstimator<org.joda.time.Instant> watermark =
        fn.newWatermarkEstimator(new org.joda.time.Instant(ms(30) - LOOKBACK_MS));
    Emitted emitted = new Emitted();

    ProcessContinuation continuation = fn.pollOnce(tracker, watermark, emitted::add);

    assertThat(emitted.windows, empty());
    assertThat(continuation.shouldResume(), equalTo(true));
    assertThat(watermark.currentWatermark().getMillis(), equalTo(ms(30) - LOOKBACK_MS));
    assertThat(tracker.trySplit(0).getResidual(), equalTo(restored));
  }

  /** With the clock past stopAt, the last window ends exactly at stopAt and the poll stops. */
  @Test
  void poll_pastStopAt_clampsLastWindowAndStops() {
    PollWindowsFn fn = fn(ms(40), fixedClock(t(55)));
    OffsetRange restored = new OffsetRange(ms(30), ms(40));
    RestrictionTracker<OffsetRange, Long> tracker = fn.newTracker(restored);
    Emitted emitted = new Emitted();

    ProcessContinuation continuation =
        fn.pollOnce(
            tracker,
            fn.newWatermarkEstimator(new org.joda.time.Instant(ms(30) - LOOKBACK_MS)),
            emitted::add);

    assertThat(emitted.windows, contains("[" + t(15) + ", " + t(40) + ")@" + t(15)));
    assertThat(continuation.shouldResume(), equalTo(false));
    tracker.checkDone();
  }

  /** The tracker checkpoints but never splits [position, ∞) at a fraction into two pollers. */
  @Test
  void tracker_refusesFractionalSplits() {
    CheckpointOnlyTracker tracker = new CheckpointOnlyTracker(new OffsetRange(ms(0), Long.MAX_VALUE));
    assertThat(tracker.trySplit(0.5), nullValue());
    assertThat(tracker.trySplit(0).getResidual(), equalTo(new OffsetRange(ms(0), Long.MAX_VALUE)));
  }

  /** Builder arguments are validated when the transform is configured, not at run time. */
  @Test
  void builder_rejectsInvalidArguments() {
    PollGongWindows poll = PollGongWindows.from(T0);
    assertThrows(IllegalArgumentException.class, () -> poll.withPollInterval(Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> poll.withLookback(Duration.ofMinutes(-1)));
    assertThrows(IllegalArgumentException.class, () -> poll.withStopAt(T0));
  }
}
