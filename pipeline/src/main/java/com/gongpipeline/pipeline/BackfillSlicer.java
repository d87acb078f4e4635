package com.gongpipeline.pipeline;

import com.gongpipeline.model.TimeWindow;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;

/**
 * Cuts a backfill window into consecutive time slices of about {@code targetCalls} calls each.
 * The first slice is sized from Gong's estimate of the calls in the whole window ({@code
 * totalRecords}, {@link com.gongpipeline.gong.GongClient#estimateCalls}) at its average density —
 * the whole window when the estimate is at most {@code targetCalls} — or is one list window when
 * there is no estimate. Gong's count is only an estimate (it includes calls still being analysed),
 * so every later slice is sized from the calls the previous one actually listed (its density),
 * growing at most {@link #GROWTH}× per slice so that a quiet stretch does not make the next slice
 * huge. Lengths are whole list windows when at least one, else whole hours (or the list window
 * when it is shorter).
 */
final class BackfillSlicer {
  /** Most a slice may grow over the previous one. */
  static final long GROWTH = 4;

  private final Instant to;
  private final long targetCalls;
  private final Duration listWindow;
  private final Duration unit;
  private Instant cursor;
  private Duration lastLength;
  private long lastCalls;

  BackfillSlicer(Instant start, Instant to, long targetCalls, Duration listWindow) {
    this(start, to, targetCalls, listWindow, OptionalLong.empty());
  }

  /** {@code estimate}: Gong's count of the calls in {@code [start, to)}, when it gave one. */
  BackfillSlicer(Instant start, Instant to, long targetCalls, Duration listWindow,
      OptionalLong estimate) {
    if (targetCalls < 1) {
      throw new IllegalArgumentException("--backfillSliceCalls must be at least 1, got "
          + targetCalls);
    }
    if (listWindow.isNegative() || listWindow.isZero()) {
      throw new IllegalArgumentException("--listWindow must be positive: " + listWindow);
    }
    this.cursor = start;
    this.to = to;
    this.targetCalls = targetCalls;
    this.listWindow = listWindow;
    this.unit = listWindow.compareTo(Duration.ofHours(1)) < 0 ? listWindow : Duration.ofHours(1);
    this.estimate = estimate;
    this.initialWindow = Duration.between(start, to);
  }

  private final Duration initialWindow;

  private final OptionalLong estimate;

  /** The next slice, starting where the last one ended; null when the window is done. */
  TimeWindow next() {
    if (!cursor.isBefore(to)) {
      return null;
    }
    Duration length = nextLength();
    Instant end = Duration.between(cursor, to).compareTo(length) <= 0 ? to : cursor.plus(length);
    return new TimeWindow(cursor, end);
  }

  /**
   * The sub-window length to list {@code slice} in: about {@link #CALLS_PER_SUB_WINDOW} expected
   * calls each (one details request's worth, so the first fetched calls flow on while the rest of
   * the slice is listed), in whole list windows, never shorter than {@code --listWindow} nor longer
   * than the slice. Expected from Gong's estimate (first slice) or the previous slice's density;
   * with neither, the list window. A sparse tenant then lists a month in a few requests rather
   * than one (mostly near-empty) page per day.
   */
  Duration listWindowFor(TimeWindow slice) {
    long length = Duration.between(slice.from(), slice.to()).toMillis();
    long unitMillis = Math.max(1, listWindow.toMillis());
    double perMilli;
    if (lastLength != null) {
      perMilli = lastLength.isZero() ? 0 : (double) lastCalls / lastLength.toMillis();
    } else if (estimate.isPresent() && !initialWindow.isZero()) {
      perMilli = (double) estimate.getAsLong() / initialWindow.toMillis();
    } else {
      return listWindow;
    }
    if (length <= unitMillis) {
      return listWindow;
    }
    double expected = perMilli * length;
    long windows = expected <= CALLS_PER_SUB_WINDOW ? length / unitMillis + 1
        : (long) Math.floor(length * (CALLS_PER_SUB_WINDOW / expected) / unitMillis);
    return listWindow.multipliedBy(Math.max(1, windows));
  }

  /** Calls a sub-window is sized for ({@link #listWindowFor}). */
  static final long CALLS_PER_SUB_WINDOW = 100;

  /** The slice {@link #next()} returned is done; it listed {@code calls} calls. */
  void finished(TimeWindow slice, long calls) {
    if (!slice.from().equals(cursor)) {
      throw new IllegalStateException("slice " + slice + " does not start at " + cursor);
    }
    cursor = slice.to();
    lastLength = Duration.between(slice.from(), slice.to());
    lastCalls = calls;
  }

  private Duration nextLength() {
    Duration wanted;
    if (lastLength == null) {
      if (estimate.isEmpty()) {
        return listWindow;
      }
      Duration window = Duration.between(cursor, to);
      if (estimate.getAsLong() <= targetCalls) {
        return window;
      }
      wanted = Duration.ofSeconds(Math.max(1,
          (long) (window.getSeconds() * ((double) targetCalls / estimate.getAsLong()))));
    } else {
      Duration cap = lastLength.multipliedBy(GROWTH);
      wanted = lastCalls == 0 ? cap
          : Duration.ofSeconds(Math.max(1,
              lastLength.getSeconds() * targetCalls / lastCalls));
      if (wanted.compareTo(cap) > 0) {
        wanted = cap;
      }
    }
    Duration step = wanted.compareTo(listWindow) >= 0 ? listWindow : unit;
    long steps = Math.max(1, wanted.dividedBy(step));
    return step.multipliedBy(steps);
  }
}
