package com.gongpipeline.pipeline.metrics;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.OptionalLong;

/**
 * The rate of a growing count over a sliding window of time, and the ETA to a total at that rate.
 * Observations are (time, count) pairs from any clock; the rate is (newest − oldest count) /
 * (newest − oldest time) over the observations no older than the window, so a slow start or a
 * pause long ago does not distort the estimate. Not thread-safe.
 */
public final class RateWindow {
  private record Point(long millis, long count) {}

  private final long windowMillis;
  private final Deque<Point> points = new ArrayDeque<>();

  public RateWindow(Duration window) {
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("window must be positive: " + window);
    }
    this.windowMillis = window.toMillis();
  }

  /** Records the count at a time (milliseconds of any monotonic clock, non-decreasing). */
  public void observe(long millis, long count) {
    points.addLast(new Point(millis, count));
    // Keep one point at or before the window start, so the window is fully spanned.
    while (points.size() > 2) {
      Point first = points.removeFirst();
      if (points.peekFirst().millis() > millis - windowMillis) {
        points.addFirst(first);
        break;
      }
    }
  }

  /** Counts per second over the window; 0 until two observations span some time. */
  public double perSecond() {
    if (points.size() < 2) {
      return 0;
    }
    Point first = points.peekFirst();
    Point last = points.peekLast();
    long dt = last.millis() - first.millis();
    return dt <= 0 ? 0 : Math.max(0, (last.count() - first.count()) * 1000.0 / dt);
  }

  /** Seconds until {@code done} reaches {@code total} at {@code perSecond}; empty if unknown. */
  public static OptionalLong etaSeconds(long done, long total, double perSecond) {
    if (total <= 0 || done > total || perSecond <= 0) {
      return OptionalLong.empty();
    }
    return OptionalLong.of((long) Math.ceil((total - done) / perSecond));
  }

  /** {@code 1h02m05s}, {@code 3m07s}, {@code 42s}; {@code ?} when unknown. */
  public static String format(OptionalLong seconds) {
    if (seconds.isEmpty()) {
      return "?";
    }
    long s = seconds.getAsLong();
    if (s >= 3600) {
      return String.format(java.util.Locale.ROOT, "%dh%02dm%02ds", s / 3600, s % 3600 / 60, s % 60);
    }
    return s >= 60 ? String.format(java.util.Locale.ROOT, "%dm%02ds", s / 60, s % 60) : s + "s";
  }
}
