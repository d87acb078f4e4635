package com.gongpipeline.stream;

import com.gongpipeline.model.TimeWindow;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BiConsumer;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.InstantCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.io.range.OffsetRange;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.DoFn.UnboundedPerElement;
import org.apache.beam.sdk.transforms.Impulse;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.splittabledofn.ManualWatermarkEstimator;
import org.apache.beam.sdk.transforms.splittabledofn.OffsetRangeTracker;
import org.apache.beam.sdk.transforms.splittabledofn.RestrictionTracker;
import org.apache.beam.sdk.transforms.splittabledofn.SplitResult;
import org.apache.beam.sdk.transforms.splittabledofn.WatermarkEstimators;
import org.apache.beam.sdk.util.SerializableSupplier;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * An unbounded source of Gong listing windows for the streaming mode: every {@code pollInterval} it
 * emits {@code [max(start, position − lookback), now)} and moves {@code position} to {@code now}.
 * Its output feeds {@link com.gongpipeline.transforms.GongIO.ReadCalls#readWindows}, the same
 * sub-window split and list-and-fetch the backfill uses. It makes no Gong request itself (so it
 * holds no client); the reads downstream get theirs from {@code GongIO}'s client factory.
 *
 * <p>Why re-read a lookback: Gong lists a call only after processing it (minutes to hours after it
 * started) but filters by start time, so a high-water mark over {@code started} alone loses calls.
 * Every poll therefore re-reads the last {@code lookback}; {@link DedupCallVersions} and the MERGE
 * sink absorb the repeats.
 *
 * <p>How (beam-notes §2): a splittable DoFn over an {@link OffsetRange} of epoch millis, initially
 * {@code [start, stopAt or Long.MAX_VALUE)}. Each round claims up to {@code now − 1} and returns
 * {@code resume().withResumeDelay(pollInterval)}, so the residual restriction {@code [now, …)} is
 * the read position: the runner checkpoints it (Flink keyed state) and a restart resumes from it
 * with no extra state of ours. Only one seed element exists, so polling runs at parallelism 1,
 * which suits Gong's per-company rate limit.
 *
 * <p>Timestamps and watermark:
 *
 * <ul>
 *   <li>Each window is timestamped with its <b>start</b>. Gong returns only calls that started at
 *       or after it, so re-timestamping a fetched call to its start time (in {@link
 *       DedupCallVersions}) moves time forward, never backward.
 *   <li>The watermark is {@code position − lookback} (a {@link ManualWatermarkEstimator}): a call
 *       older than that is never re-read, so event-time windows before it may close. It is never
 *       ahead of the next window's timestamp ({@code max(start, position − lookback)}).
 * </ul>
 *
 * <p>Stopping: {@link #withStopAt} puts the end into the restriction; the last poll's window ends
 * exactly there and the source finishes (watermark to +∞). That serves tests and bounded "run until
 * T" jobs ({@code stopAt = now + n × pollInterval} for about n polls). A poll <i>count</i> is not
 * offered: it would need checkpointed state beyond the restriction.
 *
 * <pre>{@code
 * PCollection<TimeWindow> windows = p.apply("PollGongWindows", PollGongWindows.from(start)
 *         .withPollInterval(Duration.ofMinutes(5)).withLookback(Duration.ofDays(1)));
 * StageResult<FetchedCall> calls = GongIO.readCalls().withClientConfig(config)
 *     .withListWindow(Duration.ofHours(1)).readWindows(windows);
 * }</pre>
 */
public final class PollGongWindows extends PTransform<PBegin, PCollection<TimeWindow>> {
  /** Default pause between polls. */
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMinutes(5);
  /** Default re-read span: covers Gong's processing lag of minutes to hours. */
  public static final Duration DEFAULT_LOOKBACK = Duration.ofHours(24);

  private final Instant start;
  private final Duration pollInterval;
  private final Duration lookback;
  private final @Nullable Instant stopAt;
  private final SerializableSupplier<Instant> clock;

  private PollGongWindows(
      Instant start,
      Duration pollInterval,
      Duration lookback,
      @Nullable Instant stopAt,
      SerializableSupplier<Instant> clock) {
    this.start = start;
    this.pollInterval = pollInterval;
    this.lookback = lookback;
    this.stopAt = stopAt;
    this.clock = clock;
  }

  /** Polls from {@code start} (the first window is {@code [start, now)}), with the defaults. */
  public static PollGongWindows from(Instant start) {
    if (start == null) {
      throw new IllegalArgumentException("start is required");
    }
    return new PollGongWindows(
        start, DEFAULT_POLL_INTERVAL, DEFAULT_LOOKBACK, null, new SystemClock());
  }

  /** Pause between polls; must be positive. */
  public PollGongWindows withPollInterval(Duration interval) {
    if (interval == null || interval.isZero() || interval.isNegative()) {
      throw new IllegalArgumentException("poll interval must be positive: " + interval);
    }
    return new PollGongWindows(start, interval, lookback, stopAt, clock);
  }

  /** How far behind the previous poll's end each poll re-reads; zero or positive. */
  public PollGongWindows withLookback(Duration lookback) {
    if (lookback == null || lookback.isNegative()) {
      throw new IllegalArgumentException("lookback must not be negative: " + lookback);
    }
    return new PollGongWindows(start, pollInterval, lookback, stopAt, clock);
  }

  /** Stops once the read position reaches {@code stopAt} (exclusive end of the last window). */
  public PollGongWindows withStopAt(Instant stopAt) {
    if (stopAt == null || !stopAt.isAfter(start)) {
      throw new IllegalArgumentException("stopAt " + stopAt + " must be after start " + start);
    }
    return new PollGongWindows(start, pollInterval, lookback, stopAt, clock);
  }

  /** The source of "now"; tests inject a fake. Called once per poll. */
  public PollGongWindows withClock(SerializableSupplier<Instant> clock) {
    if (clock == null) {
      throw new IllegalArgumentException("clock is required");
    }
    return new PollGongWindows(start, pollInterval, lookback, stopAt, clock);
  }

  @Override
  public PCollection<TimeWindow> expand(PBegin begin) {
    return begin
        .apply("Seed", Impulse.create())
        .apply(
            "PollWindows",
            ParDo.of(
                new PollWindowsFn(
                    start.toEpochMilli(),
                    stopAt == null ? Long.MAX_VALUE : stopAt.toEpochMilli(),
                    pollInterval.toMillis(),
                    lookback.toMillis(),
                    clock)))
        .setCoder(SerializableCoder.of(TimeWindow.class));
  }

  /** Wall-clock time. */
  static final class SystemClock implements SerializableSupplier<Instant> {
    @Override
    public Instant get() {
      return Instant.now();
    }
  }

  /**
   * The polling SDF. Restriction: {@code [position, stopAt)} in epoch millis; watermark estimator
   * state: the watermark itself.
   */
  @UnboundedPerElement
  static final class PollWindowsFn extends DoFn<byte[], TimeWindow> {
    private final Counter polls = Metrics.counter("stream", "polls");
    private final Counter idlePolls = Metrics.counter("stream", "polls_clock_not_advanced");

    private final long startMillis;
    private final long stopAtMillis;
    private final long pollIntervalMillis;
    private final long lookbackMillis;
    private final SerializableSupplier<Instant> clock;

    PollWindowsFn(
        long startMillis,
        long stopAtMillis,
        long pollIntervalMillis,
        long lookbackMillis,
        SerializableSupplier<Instant> clock) {
      this.startMillis = startMillis;
      this.stopAtMillis = stopAtMillis;
      this.pollIntervalMillis = pollIntervalMillis;
      this.lookbackMillis = lookbackMillis;
      this.clock = clock;
    }

    @GetInitialRestriction
    public OffsetRange initialRestriction() {
      return new OffsetRange(startMillis, stopAtMillis);
    }

    @NewTracker
    public RestrictionTracker<OffsetRange, Long> newTracker(@Restriction OffsetRange range) {
      return new CheckpointOnlyTracker(range);
    }

    @GetRestrictionCoder
    public Coder<OffsetRange> restrictionCoder() {
      return SerializableCoder.of(OffsetRange.class);
    }

    @GetInitialWatermarkEstimatorState
    public org.joda.time.Instant initialWatermark(@Restriction OffsetRange range) {
      return watermarkFor(range.getFrom());
    }

    @GetWatermarkEstimatorStateCoder
    public Coder<org.joda.time.Instant> watermarkStateCoder() {
      return InstantCoder.of();
    }

    @NewWatermarkEstimator
    public ManualWatermarkEstimator<org.joda.time.Instant> newWatermarkEstimator(
        @WatermarkEstimatorState org.joda.time.Instant state) {
      return new WatermarkEstimators.Manual(state);
    }

    /** One poll: emit the next window, claim up to now, then pause (or stop at stopAt). */
    @ProcessElement
    public ProcessContinuation poll(
        RestrictionTracker<OffsetRange, Long> tracker,
        ManualWatermarkEstimator<org.joda.time.Instant> watermark,
        OutputReceiver<TimeWindow> out) {
      return pollOnce(tracker, watermark, out::outputWithTimestamp);
    }

    /** The poll itself, with output as a plain callback so tests can call it without a runner. */
    ProcessContinuation pollOnce(
        RestrictionTracker<OffsetRange, Long> tracker,
        ManualWatermarkEstimator<org.joda.time.Instant> watermark,
        BiConsumer<TimeWindow, org.joda.time.Instant> out) {
      long position = tracker.currentRestriction().getFrom();
      if (DrainSignal.requested()) {
        // Drain: finish the restriction so the watermark can reach the end and windows close.
        long to = tracker.currentRestriction().getTo();
        if (to > position) {
          tracker.tryClaim(to - 1);
        }
        return ProcessContinuation.stop();
      }
      long end = Math.min(clock.get().toEpochMilli(), tracker.currentRestriction().getTo());
      if (end <= position) {
        // The clock has not moved past the last poll (or went back): nothing new to list.
        idlePolls.inc();
        watermark.setWatermark(watermarkFor(position));
        return ProcessContinuation.resume().withResumeDelay(resumeDelay());
      }
      // Claim before emitting: if the runner has checkpointed meanwhile, the residual re-polls.
      if (!tracker.tryClaim(end - 1)) {
        return ProcessContinuation.stop();
      }
      long from = Math.max(startMillis, position - lookbackMillis);
      out.accept(
          new TimeWindow(Instant.ofEpochMilli(from), Instant.ofEpochMilli(end)),
          new org.joda.time.Instant(from));
      polls.inc();
      watermark.setWatermark(watermarkFor(end));
      if (end >= stopAtMillis) {
        return ProcessContinuation.stop();
      }
      return ProcessContinuation.resume().withResumeDelay(resumeDelay());
    }

    private org.joda.time.Instant watermarkFor(long position) {
      return new org.joda.time.Instant(position - lookbackMillis);
    }

    private org.joda.time.Duration resumeDelay() {
      return org.joda.time.Duration.millis(pollIntervalMillis);
    }
  }

  /**
   * An {@link OffsetRangeTracker} that only checkpoints (fraction 0). A split at a fraction of
   * {@code [position, Long.MAX_VALUE)} would start a second poller centuries ahead; there is one
   * read position and it stays in one restriction.
   */
  static final class CheckpointOnlyTracker extends OffsetRangeTracker {
    CheckpointOnlyTracker(OffsetRange range) {
      super(range);
    }

    @Override
    public IsBounded isBounded() {
      return currentRestriction().getTo() == Long.MAX_VALUE ? IsBounded.UNBOUNDED : IsBounded.BOUNDED;
    }

    @Override
    public @Nullable SplitResult<OffsetRange> trySplit(double fractionOfRemainder) {
      return fractionOfRemainder == 0 ? super.trySplit(0) : null;
    }
  }
}
