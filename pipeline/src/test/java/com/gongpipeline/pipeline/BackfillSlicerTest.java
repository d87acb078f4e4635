package com.gongpipeline.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.gongpipeline.model.TimeWindow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** How a backfill window is cut into slices of about --backfillSliceCalls calls. */
class BackfillSlicerTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final Duration DAY = Duration.ofDays(1);

  @Test
  void slicesAreSizedFromThePreviousSlicesDensityAndCoverTheWindowExactlyOnce() {
    // 100 calls a day, 250 calls a slice: one day, then at most 4x growth (4 days = 400 would be
    // too many: 2.5 days rounds down to 2 whole list windows), then 2 days each, clipped at the end.
    BackfillSlicer s = new BackfillSlicer(T0, T0.plus(Duration.ofDays(7)), 250, DAY);
    List<TimeWindow> slices = drain(s, 100);
    assertThat(slices, equalTo(List.of(w(0, 1), w(1, 3), w(3, 5), w(5, 7))));
  }

  @Test
  void aQuietStretchGrowsTheSliceAtMostFourfold() {
    BackfillSlicer s = new BackfillSlicer(T0, T0.plus(Duration.ofDays(100)), 2000, DAY);
    TimeWindow first = s.next();
    s.finished(first, 0);
    TimeWindow second = s.next();
    assertThat(second, equalTo(w(1, 5)));
    s.finished(second, 1); // 1 call in 4 days would ask for 8000 days: still capped at 4x
    assertThat(s.next(), equalTo(w(5, 21)));
  }

  @Test
  void aDenseTenantGetsSlicesShorterThanAListWindowInWholeHours() {
    BackfillSlicer s = new BackfillSlicer(T0, T0.plus(Duration.ofDays(2)), 2000, DAY);
    TimeWindow first = s.next();
    s.finished(first, 4800); // 200 an hour: 10 hours
    assertThat(s.next(), equalTo(new TimeWindow(T0.plus(DAY), T0.plus(DAY).plus(
        Duration.ofHours(10)))));
  }

  @Test
  void gongsEstimateSizesTheFirstSlice() {
    // 300 calls in 30 days, 500 a slice: one slice, the whole window.
    assertThat(drain(new BackfillSlicer(T0, T0.plus(Duration.ofDays(30)), 500, DAY,
        OptionalLong.of(300)), 10), equalTo(List.of(w(0, 30))));
    // 3,000 calls in 30 days, 500 a slice: 5 days first (whole list windows), then by density.
    BackfillSlicer s = new BackfillSlicer(T0, T0.plus(Duration.ofDays(30)), 500, DAY,
        OptionalLong.of(3000));
    assertThat(s.next(), equalTo(w(0, 5)));
    s.finished(w(0, 5), 250); // Gong's count ran ahead (calls still analysed): 50 a day
    assertThat(s.next(), equalTo(w(5, 15)));
    // An estimate of 0 (no calls) is the whole window too; no estimate is one list window.
    assertThat(new BackfillSlicer(T0, T0.plus(Duration.ofDays(30)), 500, DAY,
        OptionalLong.of(0)).next(), equalTo(w(0, 30)));
    assertThat(new BackfillSlicer(T0, T0.plus(Duration.ofDays(30)), 500, DAY,
        OptionalLong.empty()).next(), equalTo(w(0, 1)));
  }

  @Test
  void subWindowsHoldAboutOneFetchBatchOfCallsButNeverLessThanAListWindow() {
    // 300 calls in 30 days (10 a day): one slice, listed in sub-windows of 10 days (~100 calls).
    BackfillSlicer sparse = new BackfillSlicer(T0, T0.plus(Duration.ofDays(30)), 500, DAY,
        OptionalLong.of(300));
    assertThat(sparse.listWindowFor(sparse.next()), equalTo(Duration.ofDays(10)));
    // 40 calls in 30 days: the whole slice is one sub-window (one list request or so).
    BackfillSlicer quiet = new BackfillSlicer(T0, T0.plus(Duration.ofDays(30)), 500, DAY,
        OptionalLong.of(40));
    assertThat(quiet.listWindowFor(quiet.next()).compareTo(Duration.ofDays(30)) >= 0,
        equalTo(true));
    // Dense (1,000 a day): never shorter than the list window; later slices use their density.
    BackfillSlicer dense = new BackfillSlicer(T0, T0.plus(Duration.ofDays(30)), 500, DAY,
        OptionalLong.of(30_000));
    TimeWindow first = dense.next();
    assertThat(first, equalTo(new TimeWindow(T0, T0.plus(Duration.ofHours(12)))));
    assertThat(dense.listWindowFor(first), equalTo(DAY));
    dense.finished(first, 20); // Gong's count ran far ahead: 20 calls in 12 hours
    TimeWindow second = dense.next(); // 4x at most: 2 days, about 80 calls: one sub-window
    assertThat(second, equalTo(new TimeWindow(first.to(), first.to().plus(Duration.ofDays(2)))));
    assertThat(dense.listWindowFor(second).compareTo(Duration.ofDays(2)) >= 0, equalTo(true));
    // No estimate and no slice done yet: the list window.
    BackfillSlicer blind = new BackfillSlicer(T0, T0.plus(Duration.ofDays(30)), 500, DAY);
    assertThat(blind.listWindowFor(blind.next()), equalTo(DAY));
  }

  @Test
  void aResumedSlicerStartsAtItsStartAndEndsWhenTheWindowIsDone() {
    BackfillSlicer s = new BackfillSlicer(T0.plus(DAY), T0.plus(DAY), 10, DAY);
    assertThat(s.next(), nullValue());
    assertThrows(IllegalArgumentException.class,
        () -> new BackfillSlicer(T0, T0.plus(DAY), 0, DAY));
  }

  private static List<TimeWindow> drain(BackfillSlicer s, long callsPerDay) {
    List<TimeWindow> out = new ArrayList<>();
    for (TimeWindow w = s.next(); w != null; w = s.next()) {
      out.add(w);
      s.finished(w, callsPerDay * Duration.between(w.from(), w.to()).toHours() / 24);
    }
    return out;
  }

  private static TimeWindow w(int fromDay, int toDay) {
    return new TimeWindow(T0.plus(Duration.ofDays(fromDay)), T0.plus(Duration.ofDays(toDay)));
  }
}
