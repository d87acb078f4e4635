package com.gongpipeline.planner;

import com.gongpipeline.model.TimeWindow;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * What one poll (of {@code stream}) or one run (of {@code incremental}) lists, so that polling
 * costs do not grow with the lookback:
 *
 * <ul>
 *   <li>every poll lists only the <b>recent</b> window: calls started in the last {@code
 *       recentWindow} (default {@value #DEFAULT_RECENT_WINDOW_TEXT}) before the previous listing's
 *       end, which holds nearly every call Gong makes visible since then (its processing lag is
 *       minutes to an hour for most calls);
 *   <li>the first listing after a {@code sweepInterval} boundary (default hourly, epoch-aligned)
 *       is a <b>sweep</b> of the whole {@code lookback}, for calls Gong took longer to process;
 *   <li>the first listing after a {@code deepSweepInterval} boundary (default daily at 00:00 UTC)
 *       is a <b>deep sweep</b> of {@code deepLookback} (at least the lookback).
 * </ul>
 *
 * <p>The plan is a pure function of the previous listing's end and now: it needs no state of its
 * own, so a restarted stream or the next cron run plans exactly as an uninterrupted one would; a
 * first listing (no previous end) reads everything from the floor. Each listing ends at now, so a
 * sweep's window contains the recent one and a poll lists one window. Windows never start before
 * {@code floor} (the stream's start, or {@code --from}).
 */
public final class ListingPlan implements Serializable {
  static final String DEFAULT_RECENT_WINDOW_TEXT = "PT2H";
  /** Default span of the window each poll lists. */
  public static final Duration DEFAULT_RECENT_WINDOW = Duration.parse(DEFAULT_RECENT_WINDOW_TEXT);
  /** Default cadence of the sweep over the whole lookback. */
  public static final Duration DEFAULT_SWEEP_INTERVAL = Duration.ofHours(1);
  /** Default cadence of the deep sweep. */
  public static final Duration DEFAULT_DEEP_SWEEP_INTERVAL = Duration.ofDays(1);
  /** Default span of the deep sweep. */
  public static final Duration DEFAULT_DEEP_LOOKBACK = Duration.ofDays(7);

  /** What a listing is, for logs and metrics. */
  public enum Kind {
    RECENT,
    SWEEP,
    DEEP_SWEEP
  }

  /** One planned listing: the window of call start times to list, and why. */
  public record Listing(Kind kind, TimeWindow window) implements Serializable {}

  private final Duration recentWindow;
  private final Duration lookback;
  private final Duration sweepInterval;
  private final Duration deepLookback;
  private final Duration deepSweepInterval;

  private ListingPlan(Duration recentWindow, Duration lookback, Duration sweepInterval,
      Duration deepLookback, Duration deepSweepInterval) {
    this.recentWindow = positive("recentWindow", recentWindow);
    this.lookback = positive("lookback", lookback);
    this.sweepInterval = positive("sweepInterval", sweepInterval);
    this.deepLookback = positive("deepLookback", deepLookback);
    this.deepSweepInterval = positive("deepSweepInterval", deepSweepInterval);
  }

  /** The defaults around a lookback: recent PT2H, hourly sweep, daily deep sweep of P7D. */
  public static ListingPlan of(Duration lookback) {
    return new ListingPlan(DEFAULT_RECENT_WINDOW, lookback, DEFAULT_SWEEP_INTERVAL,
        DEFAULT_DEEP_LOOKBACK, DEFAULT_DEEP_SWEEP_INTERVAL);
  }

  public ListingPlan withRecentWindow(Duration d) {
    return new ListingPlan(d, lookback, sweepInterval, deepLookback, deepSweepInterval);
  }

  public ListingPlan withSweepInterval(Duration d) {
    return new ListingPlan(recentWindow, lookback, d, deepLookback, deepSweepInterval);
  }

  public ListingPlan withDeepSweep(Duration interval, Duration span) {
    return new ListingPlan(recentWindow, lookback, sweepInterval, span, interval);
  }

  /** The recent window, never longer than the lookback. */
  public Duration recentWindow() {
    return recentWindow.compareTo(lookback) < 0 ? recentWindow : lookback;
  }

  public Duration lookback() {
    return lookback;
  }

  /** The deep sweep's span, never shorter than the lookback: the deepest any listing reads. */
  public Duration deepLookback() {
    return deepLookback.compareTo(lookback) > 0 ? deepLookback : lookback;
  }

  public Duration sweepInterval() {
    return sweepInterval;
  }

  public Duration deepSweepInterval() {
    return deepSweepInterval;
  }

  /**
   * The listing for a poll at {@code now} after a previous listing that ended at {@code
   * previousEnd} ({@code null}: none, a first listing). Requires {@code previousEnd < now}.
   */
  public Listing plan(@Nullable Instant previousEnd, Instant now, Instant floor) {
    Objects.requireNonNull(now, "now");
    Objects.requireNonNull(floor, "floor");
    if (previousEnd == null || !previousEnd.isAfter(floor)) {
      return new Listing(Kind.SWEEP, new TimeWindow(floor, now));
    }
    if (!previousEnd.isBefore(now)) {
      throw new IllegalArgumentException("previous end " + previousEnd + " is not before " + now);
    }
    if (crosses(previousEnd, now, deepSweepInterval)) {
      return new Listing(Kind.DEEP_SWEEP, window(previousEnd.minus(deepLookback()), now, floor));
    }
    if (crosses(previousEnd, now, sweepInterval)) {
      return new Listing(Kind.SWEEP, window(previousEnd.minus(lookback), now, floor));
    }
    return new Listing(Kind.RECENT, window(previousEnd.minus(recentWindow()), now, floor));
  }

  /** True when {@code (previousEnd, now]} contains a multiple of {@code interval} since the epoch. */
  static boolean crosses(Instant previousEnd, Instant now, Duration interval) {
    long step = interval.toMillis();
    return Math.floorDiv(now.toEpochMilli(), step) > Math.floorDiv(previousEnd.toEpochMilli(), step);
  }

  private static TimeWindow window(Instant from, Instant to, Instant floor) {
    return new TimeWindow(from.isBefore(floor) ? floor : from, to);
  }

  private static Duration positive(String name, Duration d) {
    if (d == null || d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(name + " must be positive: " + d);
    }
    return d;
  }

  @Override
  public String toString() {
    return "recent " + recentWindow() + " every poll, lookback " + lookback + " every "
        + sweepInterval + ", deep " + deepLookback() + " every " + deepSweepInterval;
  }
}
