package com.gongpipeline.pipeline;

import com.gongpipeline.gong.sim.GongSimulator;
import com.gongpipeline.gong.sim.GongSimulator.CallTiming;
import com.gongpipeline.gong.sim.SimulatorConfig;
import com.gongpipeline.model.TimeWindow;
import com.gongpipeline.pipeline.options.GongPipelineOptions;
import com.gongpipeline.planner.FetchPlanner;
import com.gongpipeline.planner.ListingPlan;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * {@code bench --projection [--tenants=100,1000,5000] [--seed=7]}: projected Gong requests per
 * day of {@code stream} (default settings) and of a 30-minute {@code incremental} cron, for
 * simulated tenants of N calls a day with the simulator's realistic processing-lag profile
 * ({@link SimulatorConfig#tenant}: 90 % of calls visible 10–60 min after they start, 10 % up to
 * 24 h). It runs the real {@link ListingPlan} and {@link FetchPlanner} over one virtual UTC day
 * (simulated time: no real day passes, no HTTP): each poll's listing is split into
 * {@code --listWindow} sub-windows and costs one request per page of the calls visible in each
 * (at least one), and the planned fetches cost their details and transcript pages in requests
 * of 100 ids. The state at the day's start is the steady state of a stream that has always run:
 * calls visible before then were first seen when they became visible and re-fetched on schedule.
 * Retries and 429s are not modelled. Page sizes: Gong does not document them (peers assume 100);
 * the table is printed for pages of 100 and for the simulator's deliberately small defaults.
 */
final class RequestProjection {
  private RequestProjection() {}

  static final Instant DAY = Instant.parse("2026-03-10T00:00:00Z");
  static final int DIRECTORY_USERS = 40;

  /** Page sizes of GET /v2/calls, /v2/calls/extensive, /v2/calls/transcript, /v2/users. */
  record Pages(int list, int extensive, int transcript, int users) {}

  /** One simulated day's requests and what they achieved. */
  record Day(long listRequests, long fetchRequests, long directoryRequests, long fetchedNew,
      long refetched, long visibleInDay, long capturedInDay, double medianFreshMin,
      double p90FreshMin, double maxFreshMin) {
    long total() {
      return listRequests + fetchRequests + directoryRequests;
    }
  }

  static void run(CliArgs a, PrintStream out) {
    GongPipelineOptions o = PipelineOptionsFactory.fromArgs().as(GongPipelineOptions.class);
    Duration lookback = Duration.parse(o.getLookback());
    ListingPlan plan = GongBackfill.listingPlan(o, lookback);
    FetchPlanner planner = FetchPlanner.of(FetchPlanner.parseSchedule(o.getRefetchSchedule()));
    Duration poll = Duration.parse(o.getPollInterval());
    Duration listWindow = Duration.parse(o.getListWindow());
    long seed = a.getInt("seed", 7);
    List<Integer> tenants = new ArrayList<>();
    for (String t : a.get("tenants", "100,1000,5000").split(",")) {
      tenants.add(Integer.parseInt(t.trim()));
    }
    List<Pages> pageSets = List.of(new Pages(100, 100, 100, 100), new Pages(37, 17, 13, 29));
    out.printf("Projected Gong requests per UTC day at default settings (stream: --pollInterval=%s;"
        + " incremental: a cron every 30 min), %s; %s; --listWindow=%s; simulated tenants with "
        + "the simulator's lag profile, one virtual day in steady state (retries not modelled)%n",
        poll, plan, planner, listWindow);
    for (Pages pages : pageSets) {
      out.printf(Locale.ROOT, "%nPages of %d (list) / %d (details) / %d (transcripts) / %d (users):%n",
          pages.list(), pages.extensive(), pages.transcript(), pages.users());
      out.println("  calls/day | stream: list + fetch = total | incremental/30 min: list + fetch"
          + " + directory = total | late calls captured | freshness of new calls, stream "
          + "(median / p90 / max min after visible)");
      for (int perDay : tenants) {
        List<CallTiming> calls = tenant(perDay, seed);
        Day stream = simulate(calls, poll, plan, planner, listWindow, pages, false);
        Day cron = simulate(calls, Duration.ofMinutes(30), plan, planner, listWindow, pages, true);
        out.printf(Locale.ROOT, "  %9d | %6d + %5d = %6d | %6d + %5d + %4d = %6d | %d/%d stream, "
                + "%d/%d incremental | %.0f / %.0f / %.0f%n", perDay,
            stream.listRequests(), stream.fetchRequests(), stream.total(),
            cron.listRequests(), cron.fetchRequests(), cron.directoryRequests(), cron.total(),
            stream.capturedInDay(), stream.visibleInDay(), cron.capturedInDay(),
            cron.visibleInDay(), stream.medianFreshMin(), stream.p90FreshMin(),
            stream.maxFreshMin());
      }
    }
  }

  /** A simulated tenant's calls from 9 days before the day to its end, in start order. */
  static List<CallTiming> tenant(int callsPerDay, long seed) {
    SimulatorConfig config = SimulatorConfig.tenant(callsPerDay, 10).seed(seed)
        .clock(java.time.Clock.fixed(DAY.plus(Duration.ofDays(1)), java.time.ZoneOffset.UTC))
        .callsFrom(DAY.minus(Duration.ofDays(9))).callsTo(DAY.plus(Duration.ofDays(1)))
        .build();
    try (GongSimulator sim = GongSimulator.start(config)) {
      return sim.timings(config.callsFrom(), config.callsTo());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * One virtual UTC day of polls every {@code cadence}: the listings the plan makes, the requests
   * their pages cost, the fetches the planner makes and their requests.
   */
  static Day simulate(List<CallTiming> calls, Duration cadence, ListingPlan plan,
      FetchPlanner planner, Duration listWindow, Pages pages, boolean directoryEachRun) {
    int n = calls.size();
    long[] started = new long[n];
    for (int i = 0; i < n; i++) {
      started[i] = calls.get(i).started().toEpochMilli();
    }
    Instant floor = calls.get(0).started().truncatedTo(ChronoUnit.DAYS);
    Map<Integer, FetchPlanner.Known> known = new HashMap<>();
    // Steady state: a call visible before the day was first seen when it became visible.
    Instant before = DAY.minus(cadence);
    for (int i = 0; i < n; i++) {
      CallTiming c = calls.get(i);
      if (!c.isPrivate() && c.visible().isBefore(before)) {
        known.put(i, new FetchPlanner.Known(c.visible(),
            planner.nextDueAfter(c.visible(), before), 1, true, true));
      }
    }
    Map<Integer, Instant> firstFetched = new HashMap<>();
    long list = 0;
    long fetch = 0;
    long directory = 0;
    long fetchedNew = 0;
    long refetched = 0;
    Instant end = DAY.plus(Duration.ofDays(1));
    Instant previous = before;
    for (Instant now = DAY; now.isBefore(end); now = now.plus(cadence)) {
      ListingPlan.Listing listing = plan.plan(previous, now, floor);
      List<Integer> toFetch = new ArrayList<>();
      for (TimeWindow sub : listing.window().split(listWindow)) {
        int visible = 0;
        for (int i = lowerBound(started, sub.from().toEpochMilli());
            i < n && started[i] < sub.to().toEpochMilli(); i++) {
          CallTiming c = calls.get(i);
          if (c.visible().isAfter(now)) {
            continue;
          }
          visible++; // private calls fill pages too; the client drops them
          if (c.isPrivate()) {
            continue;
          }
          FetchPlanner.Decision d = planner.decide(known.get(i), now);
          if (d.fetch()) {
            toFetch.add(i);
            if (d.reason() == FetchPlanner.Reason.NEW) {
              fetchedNew++;
              firstFetched.put(i, now);
            } else {
              refetched++;
            }
            known.put(i, new FetchPlanner.Known(d.firstSeen(), d.nextDue(), d.fetches(), true,
                true));
          }
        }
        list += Math.max(1, ceil(visible, pages.list()));
      }
      for (int b = 0; b < toFetch.size(); b += 100) {
        int ids = Math.min(100, toFetch.size() - b);
        fetch += ceil(ids, pages.extensive()) + ceil(ids, pages.transcript());
      }
      if (directoryEachRun) {
        directory += ceil(DIRECTORY_USERS, pages.users()) + 1;
      }
      previous = now;
    }
    // Captured: every call that became visible during the day (up to a sweep interval before
    // its end, so a sweep ran after it) was fetched after it became visible.
    long visibleInDay = 0;
    long captured = 0;
    List<Double> freshness = new ArrayList<>();
    Instant lastSweep = end.minus(plan.sweepInterval());
    for (int i = 0; i < n; i++) {
      CallTiming c = calls.get(i);
      if (c.isPrivate() || c.visible().isBefore(DAY) || c.visible().isAfter(lastSweep)) {
        continue;
      }
      visibleInDay++;
      Instant fetched = firstFetched.get(i);
      if (fetched != null && !fetched.isBefore(c.visible())) {
        captured++;
        freshness.add(Duration.between(c.visible(), fetched).toSeconds() / 60.0);
      }
    }
    Collections.sort(freshness);
    double median = freshness.isEmpty() ? Double.NaN : freshness.get(freshness.size() / 2);
    double p90 = freshness.isEmpty() ? Double.NaN
        : freshness.get((int) Math.min(freshness.size() - 1, freshness.size() * 0.9));
    double max = freshness.isEmpty() ? Double.NaN : freshness.get(freshness.size() - 1);
    return new Day(list, fetch, directory, fetchedNew, refetched, visibleInDay, captured, median,
        p90, max);
  }

  private static int lowerBound(long[] sorted, long key) {
    int lo = 0;
    int hi = sorted.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted[mid] < key) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private static long ceil(long a, int b) {
    return (a + b - 1) / b;
  }
}
