package com.gongpipeline.stream;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

import com.gongpipeline.planner.BudgetGate;
import com.gongpipeline.planner.ListingPlan;
import com.gongpipeline.stream.PollGongWindows.PollWindowsFn;
import com.gongpipeline.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.beam.sdk.io.range.OffsetRange;
import org.apache.beam.sdk.transforms.DoFn.ProcessContinuation;
import org.apache.beam.sdk.transforms.splittabledofn.ManualWatermarkEstimator;
import org.apache.beam.sdk.transforms.splittabledofn.RestrictionTracker;
import org.junit.jupiter.api.Test;

/** The poller with a listing plan and a budget gate, one poll at a time on a fake clock. */
class PollGongWindowsPlanTest {
  static final Instant START = Instant.parse("2026-03-02T09:00:00Z");
  static final Duration LOOKBACK = Duration.ofDays(3);
  static final ListingPlan PLAN = ListingPlan.of(LOOKBACK);
  static final MutableClock NOW = new MutableClock(START);

  static Instant at(String hhmm) {
    return Instant.parse("2026-03-02T" + hhmm + ":00Z");
  }

  static PollWindowsFn fn(BudgetGate gate) {
    return new PollWindowsFn(START.toEpochMilli(), Long.MAX_VALUE,
        Duration.ofMinutes(5).toMillis(), PLAN.deepLookback().toMillis(), NOW::instant, PLAN,
        gate);
  }

  @Test
  void firstPollSweepsFromTheStartThenPollsListTheRecentWindowAndTheHourSweepsTheLookback() {
    PollWindowsFn fn = fn(BudgetGate.OPEN);
    OffsetRange initial = fn.initialRestriction();
    RestrictionTracker<OffsetRange, Long> tracker = fn.newTracker(initial);
    ManualWatermarkEstimator<org.joda.time.Instant> watermark =
        fn.newWatermarkEstimator(fn.initialWatermark(initial));
    PollGongWindowsTest.Emitted emitted = new PollGongWindowsTest.Emitted();
    for (String t : new String[] {"09:05", "09:10", "09:15"}) {
      NOW.set(at(t));
      fn.pollOnce(tracker, watermark, emitted::add);
      tracker = fn.newTracker(tracker.trySplit(0).getResidual());
    }
    NOW.set(at("10:01"));
    fn.pollOnce(tracker, watermark, emitted::add);
    assertThat(emitted.windows, contains(
        "[" + START + ", " + at("09:05") + ")@" + START,
        "[" + START + ", " + at("09:10") + ")@" + START, // recent window clamped at the start
        "[" + START + ", " + at("09:15") + ")@" + START,
        "[" + START + ", " + at("10:01") + ")@" + START)); // sweep, clamped at the start
    // The watermark trails the position by the deep lookback (the deepest any poll reads).
    assertThat(watermark.currentWatermark().getMillis(),
        equalTo(at("10:01").minus(PLAN.deepLookback()).toEpochMilli()));
  }

  @Test
  void whileTheBudgetIsSpentPollsListNothingAndTheNextPollCoversThePause() {
    AtomicBoolean spent = new AtomicBoolean(true);
    PollWindowsFn fn = fn(new SpentWhile());
    SpentWhile.SPENT = spent;
    OffsetRange restored = new OffsetRange(at("12:05").toEpochMilli(), Long.MAX_VALUE);
    RestrictionTracker<OffsetRange, Long> tracker = fn.newTracker(restored);
    ManualWatermarkEstimator<org.joda.time.Instant> watermark =
        fn.newWatermarkEstimator(fn.initialWatermark(restored));
    PollGongWindowsTest.Emitted emitted = new PollGongWindowsTest.Emitted();
    NOW.set(at("12:10"));
    ProcessContinuation paused = fn.pollOnce(tracker, watermark, emitted::add);
    assertThat(emitted.windows, empty());
    assertThat(paused.shouldResume(), equalTo(true));
    assertThat(tracker.currentRestriction().getFrom(), equalTo(at("12:05").toEpochMilli()));

    spent.set(false);
    NOW.set(at("12:40"));
    fn.pollOnce(tracker, watermark, emitted::add);
    // The recent window reaches back from the last listing's end, so the pause lost nothing.
    assertThat(emitted.windows, contains("[" + at("10:05") + ", " + at("12:40") + ")@"
        + at("10:05")));
  }

  /** A gate whose state a test flips (static: the DoFn is serializable). */
  static final class SpentWhile implements BudgetGate {
    static AtomicBoolean SPENT = new AtomicBoolean();

    @Override
    public String pausedBecause(Instant now) {
      return SPENT.get() ? "budget spent (test)" : null;
    }
  }
}
