package com.gongpipeline.stream;

import com.gongpipeline.metrics.MetricNames;
import com.gongpipeline.model.TimeWindow;
import com.gongpipeline.planner.BudgetGate;
import com.gongpipeline.planner.ListingPlan;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BiConsumer;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.InstantCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.io.range.OffsetRange;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Gauge;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * <p>With {@link #withListingPlan} (what {@code stream} uses) a poll lists only what the {@link
 * ListingPlan} says: the recent window, or at its cadence a sweep of the lookback or a deep sweep,
 * so a poll's cost does not grow with the lookback; {@code GongIO}'s fetch plan then fetches only
 * new, unstored or due calls. With {@link #withBudgetGate} polls pause while the daily Gong
 * request budget is spent.
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
  private final @Nullable ListingPlan plan;
  private final BudgetGate budget;

  private PollGongWindows(
      Instant start,
      Duration pollInterval,
      Duration lookback,
      @Nullable Instant stopAt,
      SerializableSupplier<Instant> clock) {
    this(start, pollInterval, lookback, stopAt, clock, null, BudgetGate.OPEN);
  }

  private PollGongWindows(
      Instant start,
      Duration pollInterval,
      Duration lookback,
      @Nullable Instant stopAt,
      SerializableSupplier<Instant> clock,
      @Nullable ListingPlan plan,
      BudgetGate budget) {
    this.start = start;
    this.pollInterval = pollInterval;
    this.lookback = lookback;
    this.stopAt = stopAt;
    this.clock = clock;
    this.plan = plan;
    this.budget = budget;
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
    return new PollGongWindows(start, interval, lookback, stopAt, clock, plan, budget);
  }

  /** How far behind the previous poll's end each poll re-reads; zero or positive. */
  public PollGongWindows withLookback(Duration lookback) {
    if (lookback == null || lookback.isNegative()) {
      throw new IllegalArgumentException("lookback must not be negative: " + lookback);
    }
    return new PollGongWindows(start, pollInterval, lookback, stopAt, clock, plan, budget);
  }

  /** Stops once the read position reaches {@code stopAt} (exclusive end of the last window). */
  public PollGongWindows withStopAt(Instant stopAt) {
    if (stopAt == null || !stopAt.isAfter(start)) {
      throw new IllegalArgumentException("stopAt " + stopAt + " must be after start " + start);
    }
    return new PollGongWindows(start, pollInterval, lookback, stopAt, clock, plan, budget);
  }

  /** The source of "now"; tests inject a fake. Called once per poll. */
  public PollGongWindows withClock(SerializableSupplier<Instant> clock) {
    if (clock == null) {
      throw new IllegalArgumentException("clock is required");
    }
    return new PollGongWindows(start, pollInterval, lookback, stopAt, clock, plan, budget);
  }

  /**
   * Lists what {@code plan} says per poll (the recent window, with sweeps of the lookback and deep
   * sweeps at their cadence) instead of the whole lookback every poll; the plan's lookback replaces
   * {@link #withLookback}, and the watermark trails the read position by the plan's deep lookback
   * (the deepest any poll reads).
   */
  public PollGongWindows withListingPlan(ListingPlan plan) {
    if (plan == null) {
      throw new IllegalArgumentException("plan is required");
    }
    return new PollGongWindows(start, pollInterval, plan.lookback(), stopAt, clock, plan, budget);
  }

  /**
   * Skips polls while {@code budget} says the daily Gong request budget is spent (logged, counted
   * in {@code stream/polls_paused_budget}, gauge {@code stream/budget_paused}); the read position
   * stays, so the first poll after the pause lists everything since.
   */
  public PollGongWindows withBudgetGate(BudgetGate budget) {
    if (budget == null) {
      throw new IllegalArgumentException("budget is required");
    }
    return new PollGongWindows(start, pollInterval, lookback, stopAt, clock, plan, budget);
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
                    plan == null ? lookback.toMillis() : plan.deepLookback().toMillis(),
                    clock,
                    plan,
                    budget)))
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
    private static final Logger LOG = LoggerFactory.getLogger(PollGongWindows.class);
    private final Counter polls = Metrics.counter("stream", "polls");
    private final Counter idlePolls = Metrics.counter("stream", "polls_clock_not_advanced");
    private final Counter pausedPolls = MetricNames.POLLS_PAUSED_BUDGET.counter();
    private final Gauge budgetPaused = MetricNames.BUDGET_PAUSED.gauge();
    private final Counter recentPolls = MetricNames.POLLS_RECENT.counter();
    private final Counter sweepPolls = MetricNames.POLLS_SWEEP.counter();
    private final Counter deepSweepPolls = MetricNames.POLLS_DEEP_SWEEP.counter();
    private final @Nullable ListingPlan plan;
    private final BudgetGate budget;
    private transient boolean paused;

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
      this(startMillis, stopAtMillis, pollIntervalMillis, lookbackMillis, clock, null,
          BudgetGate.OPEN);
    }

    /** {@code lookbackMillis}: how far the watermark trails the read position. */
    PollWindowsFn(
        long startMillis,
        long stopAtMillis,
        long pollIntervalMillis,
        long lookbackMillis,
        SerializableSupplier<Instant> clock,
        @Nullable ListingPlan plan,
        BudgetGate budget) {
      this.startMillis = startMillis;
      this.stopAtMillis = stopAtMillis;
      this.pollIntervalMillis = pollIntervalMillis;
      this.lookbackMillis = lookbackMillis;
      this.clock = clock;
      this.plan = plan;
      this.budget = budget;
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
      Instant now = clock.get();
      long end = Math.min(now.toEpochMilli(), tracker.currentRestriction().getTo());
      String pause = end > position ? budget.pausedBecause(now) : null;
      if (pause != null) {
        // Paused on the budget: no request now; the position stays, so the next poll covers it.
        if (!paused) {
          LOG.warn("Stream paused: {}", pause);
          paused = true;
        }
        pausedPolls.inc();
        budgetPaused.set(1);
        watermark.setWatermark(watermarkFor(position));
        return ProcessContinuation.resume().withResumeDelay(resumeDelay());
      }
      if (paused) {
        LOG.info("Stream resumed: the daily Gong request budget has room again");
        paused = false;
      }
      budgetPaused.set(0);
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
      TimeWindow window;
      if (plan == null) {
        long from = Math.max(startMillis, position - lookbackMillis);
        window = new TimeWindow(Instant.ofEpochMilli(from), Instant.ofEpochMilli(end));
      } else {
        ListingPlan.Listing listing = plan.plan(
            position == startMillis ? null : Instant.ofEpochMilli(position),
            Instant.ofEpochMilli(end), Instant.ofEpochMilli(startMillis));
        window = listing.window();
        (listing.kind() == ListingPlan.Kind.RECENT ? recentPolls
            : listing.kind() == ListingPlan.Kind.SWEEP ? sweepPolls : deepSweepPolls).inc();
      }
      out.accept(window, new org.joda.time.Instant(window.from().toEpochMilli()));
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
