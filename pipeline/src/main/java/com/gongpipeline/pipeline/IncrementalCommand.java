package com.gongpipeline.pipeline;

import com.gongpipeline.errors.DeadLetterStage;
import com.gongpipeline.gong.GongClientConfig;
import com.gongpipeline.gong.GongCredentials;
import com.gongpipeline.pipeline.options.GongPipelineOptions;
import com.gongpipeline.model.TimeWindow;
import com.gongpipeline.planner.ListingPlan;
import com.gongpipeline.warehouse.JobLog;
import com.gongpipeline.warehouse.Warehouse;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import com.gongpipeline.errors.DeadLetter;
import com.gongpipeline.errors.FailureKind;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;

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
 * pipeline has written every table and, as the warehouse records it ({@link RetryQueue}), nothing
 * failed to list and no queued call below {@code --maxCallAttempts} failed to fetch; a failed or
 * killed run advances nothing, and the MERGE sinks make the repeat exact. Calls that could not be
 * fetched are kept in {@code OPS_MONITORING.RETRY_QUEUE} and fetched first by later runs. A
 * window longer than {@code --maxIncrementalWindow} is read in slices. A lease row keeps a second
 * run from starting while one is live ({@link SyncLease}: a heartbeat lease shared with
 * {@code stream}; a run that loses it is cancelled and advances nothing). With {@code
 * --cortexRisks=auto} on Snowflake with Cortex embeddings, the run ends by classifying the deal
 * risks of the calls whose customer chunks changed ({@link CortexRisksStep}).
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
    Duration maxWindow = parseDuration("maxIncrementalWindow", o.getMaxIncrementalWindow());
    if (maxWindow.compareTo(lookback) <= 0) {
      throw new IllegalArgumentException("--maxIncrementalWindow (" + o.getMaxIncrementalWindow()
          + ") must be longer than --lookback (" + o.getLookback() + ")");
    }
    int maxCallAttempts = o.getMaxCallAttempts();
    if (maxCallAttempts < 1) {
      throw new IllegalArgumentException("--maxCallAttempts must be 1 or more, got "
          + maxCallAttempts);
    }
    List<String> forced = parseIds(o.getRetryCallIds());
    CortexRisksStep.enabled(o); // validates --cortexRisks up front
    String jobId = o.getJobId() != null ? o.getJobId() : JobRun.newJobId("incremental");
    Instant now = clock.instant();
    try (SyncLease lease = SyncLease.acquire(o.getWarehouse(), o.getSyncName(), jobId, leaseTtl)) {
      Optional<Instant> mark;
      Map<String, RetryQueue.Entry> queue;
      try (Warehouse wh = Warehouse.open(o.getWarehouse())) {
        wh.applySchema();
        mark = wh.highWaterMark(o.getSyncName());
        queue = RetryQueue.load(wh);
      }
      if (mark.isEmpty() && o.getFrom() == null) {
        throw new IllegalArgumentException("No high-water mark stored for sync '"
            + o.getSyncName() + "' yet: pass --from=ISO for where the first run starts");
      }
      if (mark.isPresent() && !mark.get().isBefore(now)) {
        throw new IllegalArgumentException("High-water mark " + mark.get() + " is not before now ("
            + now + "): is the machine's clock right?");
      }
      // The polling planner: a run lists the recent window behind the mark, the whole lookback
      // after each --sweepInterval boundary, the deep lookback on the first run of a UTC day; no
      // listing reaches before --from. Only new, unstored or due calls are fetched.
      Instant floor = o.getFrom() != null ? Instants.parse("from", o.getFrom()) : Instant.EPOCH;
      if (!floor.isBefore(now)) {
        throw new IllegalArgumentException("--from " + floor + " is not before now (" + now
            + "): is the machine's clock right?");
      }
      ListingPlan plan = GongBackfill.listingPlan(o, lookback);
      ListingPlan.Listing listing = plan.plan(mark.orElse(null), now, floor);
      Instant from = listing.window().from();
      // A mark far behind catches up in slices of --maxIncrementalWindow, never one huge window.
      Instant to = from.plus(maxWindow).isBefore(now) ? from.plus(maxWindow) : now;
      List<String> retried = RetryQueue.due(queue, now, forced);
      out.printf("Incremental %s: mark %s, %s listing (%s) -> calls started in [%s, %s)%s%s%n",
          jobId, mark.map(Instant::toString).orElse("(none)"), listing.kind(), plan, from, to,
          to.equals(now) ? "" : " (capped by --maxIncrementalWindow; later runs catch up)",
          retried.isEmpty() ? "" : ", retrying " + retried.size() + " queued call(s)");
      Pipeline p = Pipeline.create(o);
      GongBackfill.Outputs outputs = GongBackfill.buildPipeline(p, o,
          GongBackfill.Seams.of(GongBackfill.gongConfig(o, credentials), o, jobId),
          Enrichment.fromOptions(o), new TimeWindow(from, to), jobId,
          new GongBackfill.ReadScope(retried, true,
              GongBackfill.fetchPlan(o, jobId).withClock(new FixedNow(to)), null));
      Map<String, Integer> priorAttempts = new TreeMap<>();
      queue.forEach((id, e) -> priorAttempts.put(id, e.attempts()));
      outputs.deadLetters().apply("CountCallsGivenUp",
          ParDo.of(new CountGivenUpFn(priorAttempts, maxCallAttempts)));
      JobRun.Summary summary = JobRun.run(p, o, jobId, "incremental", from, to, out, lease);
      // The guard reads the warehouse (this job's dead letters and the retry queue), never Beam
      // metrics: a detached Flink job reports none.
      boolean succeeded = summary.log().status() == JobLog.Status.SUCCEEDED;
      // A run that cannot renew its lease right now advances nothing (another may hold it).
      boolean leaseHeld = lease.heartbeat();
      RetryQueue.Settled settled;
      try (Warehouse wh = Warehouse.open(o.getWarehouse())) {
        settled = RetryQueue.settle(wh, jobId, queue, retried, succeeded, maxCallAttempts,
            clock.instant());
        if (!settled.givenUp().isEmpty()) {
          JobLog l = summary.log();
          summary = new JobRun.Summary(withNote(l, settled.givenUp().size() + " call(s) reached "
              + "--maxCallAttempts=" + maxCallAttempts + " and no longer hold the mark (still in "
              + "OPS_MONITORING.RETRY_QUEUE): " + abbreviate(settled.givenUp())),
              summary.metrics(), summary.elapsed());
          wh.recordJob(summary.log());
        }
        if (succeeded && settled.mayAdvance() && leaseHeld) {
          wh.advanceHighWaterMark(o.getSyncName(), to, jobId);
        }
      }
      if (!settled.recovered().isEmpty()) {
        out.printf("%d queued call(s) fetched and removed from OPS_MONITORING.RETRY_QUEUE%n",
            settled.recovered().size());
      }
      if (!settled.givenUp().isEmpty()) {
        out.printf("%d call(s) failed %d times and no longer hold the mark (they stay in "
            + "OPS_MONITORING.RETRY_QUEUE): %s%n", settled.givenUp().size(), maxCallAttempts,
            abbreviate(settled.givenUp()));
      }
      if (succeeded && settled.mayAdvance() && leaseHeld) {
        out.printf("High-water mark of '%s' advanced to %s%n", o.getSyncName(), to);
      } else if (!leaseHeld) {
        out.printf("High-water mark of '%s' NOT advanced: this run no longer holds the lease%n",
            o.getSyncName());
      } else {
        // A run paused on the Gong budget has list/fetch dead letters too: the mark stays.
        out.printf("High-water mark of '%s' NOT advanced: %d window(s) not listed, %d call(s) "
            + "refused (quota/configuration), %d call(s) queued for retry (see "
            + "OPS_MONITORING.DEAD_LETTER and RETRY_QUEUE); the next run re-reads them%n",
            o.getSyncName(), settled.unlistedWindows(), settled.refused().size(),
            settled.holding().size());
      }
      // --cortexRisks: the Cortex path's deal risks for the calls this run changed, capped.
      return CortexRisksStep.afterWrite(summary, o, out);
    }
  }

  /** Counts fetch failures of calls that reach --maxCallAttempts with this run. */
  static final class CountGivenUpFn extends DoFn<DeadLetter, Void> {
    private final TreeMap<String, Integer> priorAttempts;
    private final int maxCallAttempts;
    private final Counter givenUp = Metrics.counter("pipeline", "calls_given_up");

    CountGivenUpFn(Map<String, Integer> priorAttempts, int maxCallAttempts) {
      this.priorAttempts = new TreeMap<>(priorAttempts);
      this.maxCallAttempts = maxCallAttempts;
    }

    @ProcessElement
    public void process(@Element DeadLetter dl) {
      if (dl.stage() == DeadLetterStage.FETCH_CALLS
          && (dl.kind() == FailureKind.RETRYABLE || dl.kind() == FailureKind.PERMANENT)
          && priorAttempts.getOrDefault(dl.recordKey(), 0) + 1 >= maxCallAttempts) {
        givenUp.inc();
      }
    }
  }

  /** The log with {@code note} appended to its message (every other field kept). */
  static JobLog withNote(JobLog l, String note) {
    String error = l.errorMessage() == null ? note : l.errorMessage() + "; " + note;
    return l.toBuilder().errorMessage(error).build();
  }

  static String abbreviate(java.util.Set<String> ids) {
    List<String> list = new ArrayList<>(ids);
    return list.size() <= 10 ? String.join(", ", list)
        : String.join(", ", list.subList(0, 10)) + " and " + (list.size() - 10) + " more";
  }

  static List<String> parseIds(String csv) {
    List<String> ids = new ArrayList<>();
    if (csv != null) {
      for (String id : csv.split(",")) {
        if (!id.isBlank()) {
          ids.add(id.trim());
        }
      }
    }
    return ids;
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
