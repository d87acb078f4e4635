package com.gongpipeline.pipeline;

import com.gongpipeline.model.TimeWindow;
import java.time.Duration;
import java.time.Instant;

/**
 * Cuts a backfill window into consecutive time slices of about {@code targetCalls} calls each.
 * Gong's list gives no count to rely on, so each slice is sized from the calls the previous one
 * listed (its density), growing at most {@link #GROWTH}× per slice so that a quiet stretch does
 * not make the next slice huge; the first slice is one list window. Lengths are whole list
 * windows when at least one, else whole hours (or the list window when it is shorter).
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
  }

  /** The next slice, starting where the last one ended; null when the window is done. */
  TimeWindow next() {
    if (!cursor.isBefore(to)) {
      return null;
    }
    Duration length = nextLength();
    Instant end = Duration.between(cursor, to).compareTo(length) <= 0 ? to : cursor.plus(length);
    return new TimeWindow(cursor, end);
  }

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
    if (lastLength == null) {
      return listWindow;
    }
    Duration cap = lastLength.multipliedBy(GROWTH);
    Duration wanted = lastCalls == 0 ? cap
        : Duration.ofSeconds(Math.max(1,
            lastLength.getSeconds() * targetCalls / lastCalls));
    if (wanted.compareTo(cap) > 0) {
      wanted = cap;
    }
    Duration step = wanted.compareTo(listWindow) >= 0 ? listWindow : unit;
    long steps = Math.max(1, wanted.dividedBy(step));
    return step.multipliedBy(steps);
  }
}
