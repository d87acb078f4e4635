package com.gongpipeline.pipeline;

import com.gongpipeline.errors.DeadLetterStage;
import com.gongpipeline.gong.GongClientConfig;
import com.gongpipeline.gong.GongCredentials;
import com.gongpipeline.pipeline.options.GongPipelineOptions;
import com.gongpipeline.planner.ListingPlan;
import com.gongpipeline.warehouse.JobLog;
import com.gongpipeline.warehouse.Warehouse;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.apache.beam.sdk.Pipeline;

/**
 * {@code incremental --gongBaseUrl=… [--from=ISO] [--lookback=P3D]}: the cron-safe sync. Lists
 * calls started behind the high-water mark, because Gong makes calls visible only after processing
 * them (minutes to hours after they start) while filtering by start time: a sync that only moves a
 * mark over {@code started} silently loses such calls. What a run lists is the polling planner's
 * ({@link ListingPlan}): the recent window behind the mark, the whole lookback on the first run
 * after each {@code --sweepInterval} boundary, the deep lookback on the first run of a UTC day;
 * and only new, unstored or due calls are fetched ({@code PlanFetches}).
 *
 * <p>The mark (in {@code OPS_MONITORING.SYNC_STATE}) advances to this run's start only after the
 * pipeline has written every table and nothing failed to list or fetch; a failed or killed run
 * advances nothing, and the MERGE sinks make the repeat exact. A lease row keeps a second run from
 * starting while one is live.
 */
public final class IncrementalCommand {
  private IncrementalCommand() {}

  public static JobRun.Summary run(GongPipelineOptions o, GongCredentials credentials,
      PrintStream out) {
    return run(o, credentials, out, Clock.systemUTC());
  }

  /** As {@link #run(GongPipelineOptions, GongCredentials, PrintStream)}, "now" from a clock. */
  public static JobRun.Summary run(GongPipelineOptions o, GongCredentials credentials,
      PrintStream out, Clock clock) {
    Duration lookback = parseDuration("lookback", o.getLookback());
    Duration leaseTtl = parseDuration("leaseTtl", o.getLeaseTtl());
    String jobId = o.getJobId() != null ? o.getJobId() : JobRun.newJobId("incremental");
    Instant to = clock.instant();
    try (SyncLease lease = SyncLease.acquire(o.getWarehouse(), o.getSyncName(), jobId, leaseTtl)) {
      Optional<Instant> mark;
      try (Warehouse wh = Warehouse.open(o.getWarehouse())) {
        mark = wh.highWaterMark(o.getSyncName());
      }
      if (mark.isEmpty() && o.getFrom() == null) {
        throw new IllegalArgumentException("No high-water mark stored for sync '"
            + o.getSyncName() + "' yet: pass --from=ISO for where the first run starts");
      }
      if (mark.isPresent() && !mark.get().isBefore(to)) {
        throw new IllegalArgumentException("High-water mark " + mark.get() + " is not before now ("
            + to + "): is the machine's clock right?");
      }
      // The polling planner: a run lists the recent window behind the mark, the whole lookback
      // after each --sweepInterval boundary, the deep lookback on the first run of a UTC day; no
      // listing reaches before --from. Only new, unstored or due calls are fetched.
      Instant floor = o.getFrom() != null ? Instants.parse("from", o.getFrom()) : Instant.EPOCH;
      if (!floor.isBefore(to)) {
        throw new IllegalArgumentException("--from " + floor + " is not before now (" + to
            + "): is the machine's clock right?");
      }
      ListingPlan plan = GongBackfill.listingPlan(o, lookback);
      ListingPlan.Listing listing = plan.plan(mark.orElse(null), to, floor);
      Instant from = listing.window().from();
      out.printf("Incremental %s: mark %s, %s listing (%s) -> calls started in [%s, %s)%n", jobId,
          mark.map(Instant::toString).orElse("(none)"), listing.kind(), plan, from, to);
      Pipeline p = Pipeline.create(o);
      GongClientConfig gong = GongBackfill.gongConfig(o, credentials);
      GongBackfill.buildPipeline(p, o, GongBackfill.Seams.of(gong, o, jobId),
          Enrichment.fromOptions(o), listing.window(), jobId,
          GongBackfill.fetchPlan(o, jobId).withClock(new FixedNow(to)));
      JobRun.Summary summary = JobRun.run(p, o, jobId, "incremental", from, to, out);
      long unreadable = summary.metrics().get(DeadLetterStage.COUNTER_NAMESPACE,
          DeadLetterStage.LIST_CALLS.counterName())
          + summary.metrics().get(DeadLetterStage.COUNTER_NAMESPACE,
              DeadLetterStage.FETCH_CALLS.counterName());
      if (summary.log().status() == JobLog.Status.SUCCEEDED && unreadable == 0) {
        try (Warehouse wh = Warehouse.open(o.getWarehouse())) {
          wh.advanceHighWaterMark(o.getSyncName(), to, jobId);
        }
        out.printf("High-water mark of '%s' advanced to %s%n", o.getSyncName(), to);
      } else {
        // A run paused on the Gong budget has list/fetch dead letters too: the mark stays.
        out.printf("High-water mark of '%s' NOT advanced: %d windows/calls could not be read "
            + "(see OPS_MONITORING.DEAD_LETTER); the next run re-reads them%n", o.getSyncName(),
            unreadable);
      }
      return summary;
    }
  }

  /** "Now" of a whole run: every fetch decision of a run is made at its window's end. */
  record FixedNow(Instant now) implements org.apache.beam.sdk.util.SerializableSupplier<Instant> {
    @Override
    public Instant get() {
      return now;
    }
  }

  static Duration parseDuration(String option, String value) {
    try {
      Duration d = Duration.parse(value);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("--" + option + " must be positive: " + value);
      }
      return d;
    } catch (java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException("--" + option + "=" + value
          + " is not an ISO-8601 duration such as P3D or PT6H");
    }
  }
}
