package com.gongpipeline.pipeline;

import com.gongpipeline.errors.DeadLetterStage;
import com.gongpipeline.gong.GongCredentials;
import com.gongpipeline.model.TimeWindow;
import com.gongpipeline.pipeline.options.GongPipelineOptions;
import com.gongpipeline.warehouse.JobLog;
import com.gongpipeline.warehouse.Warehouse;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.apache.beam.sdk.Pipeline;

/**
 * {@code incremental --gongBaseUrl=… [--from=ISO] [--lookback=P3D]}: the cron-safe sync. Reads
 * every call started in {@code [high-water mark − lookback, now)}, because Gong makes calls
 * visible only after processing them (minutes to hours after they start) while filtering by start
 * time: a sync that only moves a mark over {@code started} silently loses such calls.
 *
 * <p>The mark (in {@code OPS_MONITORING.SYNC_STATE}) advances to this run's start only after the
 * pipeline has written every table and nothing failed to list or fetch; a failed or killed run
 * advances nothing, and the MERGE sinks make the repeat exact. A lease row keeps a second run from
 * starting while one is live
 * ({@link SyncLease}: a heartbeat lease shared with {@code stream}; a run that loses it is
 * cancelled and advances nothing).
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
      Instant from;
      if (mark.isPresent()) {
        from = mark.get().minus(lookback);
      } else if (o.getFrom() != null) {
        from = Instants.parse("from", o.getFrom());
      } else {
        throw new IllegalArgumentException("No high-water mark stored for sync '"
            + o.getSyncName() + "' yet: pass --from=ISO for where the first run starts");
      }
      if (!from.isBefore(to)) {
        throw new IllegalArgumentException("Window start " + from + " is not before now (" + to
            + "): is the machine's clock right?");
      }
      out.printf("Incremental %s: mark %s, lookback %s -> calls started in [%s, %s)%n", jobId,
          mark.map(Instant::toString).orElse("(none)"), lookback, from, to);
      Pipeline p = Pipeline.create(o);
      GongBackfill.buildPipeline(p, o, GongBackfill.gongConfig(o, credentials),
          Enrichment.fromOptions(o), new TimeWindow(from, to), jobId);
      JobRun.Summary summary = JobRun.run(p, o, jobId, "incremental", from, to, out, lease);
      long unreadable = summary.metrics().get(DeadLetterStage.COUNTER_NAMESPACE,
          DeadLetterStage.LIST_CALLS.counterName())
          + summary.metrics().get(DeadLetterStage.COUNTER_NAMESPACE,
              DeadLetterStage.FETCH_CALLS.counterName());
      // A run that cannot renew its lease right now advances nothing (another may hold it).
      boolean leaseHeld = lease.heartbeat();
      if (summary.log().status() == JobLog.Status.SUCCEEDED && unreadable == 0 && leaseHeld) {
        try (Warehouse wh = Warehouse.open(o.getWarehouse())) {
          wh.advanceHighWaterMark(o.getSyncName(), to, jobId);
        }
        out.printf("High-water mark of '%s' advanced to %s%n", o.getSyncName(), to);
      } else if (!leaseHeld) {
        out.printf("High-water mark of '%s' NOT advanced: this run no longer holds the lease%n",
            o.getSyncName());
      } else {
        // A run paused on the Gong budget has list/fetch dead letters too: the mark stays.
        out.printf("High-water mark of '%s' NOT advanced: %d windows/calls could not be read "
            + "(see OPS_MONITORING.DEAD_LETTER); the next run re-reads them%n", o.getSyncName(),
            unreadable);
      }
      return summary;
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
