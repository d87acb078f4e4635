package com.gongpipeline.pipeline;

import com.gongpipeline.enrich.EnrichmentProvider;
import com.gongpipeline.errors.DeadLetterStage;
import com.gongpipeline.errors.PipelineException;
import com.gongpipeline.gong.GongClient;
import com.gongpipeline.gong.GongCredentials;
import com.gongpipeline.model.TimeWindow;
import com.gongpipeline.pipeline.options.GongPipelineOptions;
import com.gongpipeline.warehouse.Warehouse;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.ParDo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code backfill --gongBaseUrl=… --from=… [--to=…] [--backfillSliceCalls=500] [--restart]}: one
 * job over a date range, run as consecutive time slices of about {@code --backfillSliceCalls}
 * calls ({@link BackfillSlicer}), each its own bounded pipeline, so memory stays flat however long
 * the window is.
 *
 * <p>With {@code --cortexRisks=auto} on a Snowflake warehouse with Cortex embeddings, the job ends
 * by classifying the deal risks of the calls whose customer chunks changed ({@link
 * CortexRisksStep}); its outcome is a note on the job's row.
 *
 * <p>Calls whose details or transcript could not be fetched are queued in {@code
 * OPS_MONITORING.RETRY_QUEUE} after each slice (and after a failed run), like {@code incremental}
 * does ({@link RetryQueue}); the queued calls that are due are fetched again with the first slice
 * and leave the queue once fetched. A call that has failed {@code --maxCallAttempts} times is
 * counted as given up (job log, {@code pipeline:calls_given_up}); it stays queued.
 *
 * <p>Each slice that finished with every call listed and fetched moves the window's progress row
 * in {@code OPS_MONITORING.SYNC_STATE} ({@code backfill <from>/<to>}, the instant up to which the
 * window is done) to its end. A run that was killed, failed or paused on the Gong budget (exit 4)
 * and is re-run with the same arguments starts there: no finished slice is requested again. An
 * unfinished run of the same {@code --from} with an earlier {@code --to} (e.g. the default, now)
 * hands its progress on. {@code --restart} re-reads the whole window; a window whose backfill
 * completed is re-read whole (a reconciliation). A slice with calls that could not be read leaves
 * the row where it was (later slices still run), so the next run reads it again.
 */
public final class BackfillCommand {
  private static final Logger LOG = LoggerFactory.getLogger(BackfillCommand.class);

  private static final String PROGRESS_PREFIX = "backfill ";

  private BackfillCommand() {}

  public static JobRun.Summary run(GongPipelineOptions o, GongCredentials credentials,
      PrintStream out) {
    return run(o, credentials, out, null);
  }

  /** As above with the models given (a test's fake), or those of the options when null. */
  static JobRun.Summary run(GongPipelineOptions o, GongCredentials credentials,
      PrintStream out, EnrichmentProvider models) {
    if (o.getFrom() == null) {
      throw new IllegalArgumentException("--from is required (ISO date or instant), e.g. "
          + "--from=2026-01-01");
    }
    Instant from = Instants.parse("from", o.getFrom()).truncatedTo(ChronoUnit.MICROS);
    Instant to = o.getTo() == null ? Instant.now().truncatedTo(ChronoUnit.SECONDS)
        : Instants.parse("to", o.getTo()).truncatedTo(ChronoUnit.MICROS);
    if (!from.isBefore(to)) {
      throw new IllegalArgumentException("--from (" + from + ") must be before --to (" + to + ")");
    }
    int sliceCalls = o.getBackfillSliceCalls();
    Duration listWindow = Duration.parse(o.getListWindow());
    new BackfillSlicer(from, to, sliceCalls, listWindow); // validates the options up front
    CortexRisksStep.enabled(o); // validates --cortexRisks up front
    String jobId = o.getJobId() != null ? o.getJobId() : JobRun.newJobId("backfill");
    String progress = progressName(from, to);
    int maxCallAttempts = o.getMaxCallAttempts();
    if (maxCallAttempts < 1) {
      throw new IllegalArgumentException("--maxCallAttempts must be 1 or more, got "
          + maxCallAttempts);
    }

    // Said before the warehouse is first opened, so a run that cannot open it still names it.
    out.printf("Backfill %s: calls started in [%s, %s) from %s into %s%n", jobId, from, to,
        o.getGongBaseUrl(), com.gongpipeline.errors.SecretRedaction.redact(o.getWarehouse()));
    Instant start = startOf(o, from, to, progress, jobId, out);
    // The retry queue: due calls are fetched with the first slice; failures are queued per slice.
    Map<String, RetryQueue.Entry> queue;
    try (Warehouse wh = Warehouse.open(o.getWarehouse())) {
      queue = RetryQueue.load(wh);
    }
    List<String> retried = RetryQueue.due(queue, Instant.now(),
        IncrementalCommand.parseIds(o.getRetryCallIds()));
    if (!retried.isEmpty()) {
      out.printf("Backfill %s: retrying %d queued call(s) first%n", jobId, retried.size());
    }
    Map<String, Integer> priorAttempts = new TreeMap<>();
    queue.forEach((id, e) -> priorAttempts.put(id, e.attempts()));
    Set<String> givenUp = new TreeSet<>();
    Set<String> recovered = new TreeSet<>();
    GongBackfill.Seams seams =
        GongBackfill.Seams.of(GongBackfill.gongConfig(o, credentials), o, jobId);
    EnrichmentProvider enrichment = models != null ? models : Enrichment.fromOptions(o);
    BackfillSlicer slicer = new BackfillSlicer(start, to, sliceCalls, listWindow,
        estimateCalls(seams, start, to, listWindow, out));

    JobRun.Slices slices = new JobRun.Slices() {
      private TimeWindow current;
      private int number;
      private boolean contiguous = true;

      @Override
      public Pipeline next(JobMetrics previous) {
        if (current != null && !finish(previous)) {
          return null;
        }
        current = slicer.next();
        if (current == null) {
          return null;
        }
        number++;
        Pipeline p = Pipeline.create(o);
        // The users and workspaces are read once per backfill, with the slice that ends the
        // window: a run paused on the budget spends none of it on them.
        Duration subWindow = slicer.listWindowFor(current);
        GongBackfill.buildPipeline(p, o, seams, enrichment, current, jobId,
                new GongBackfill.ReadScope(number == 1 ? retried : List.of(),
                    current.to().equals(to), null, subWindow))
            .deadLetters().apply("CountCallsGivenUp", ParDo.of(
                new IncrementalCommand.CountGivenUpFn(priorAttempts, maxCallAttempts)));
        out.printf("Slice %d: calls started in [%s, %s), listed in sub-windows of %s%n", number,
            current.from(), current.to(), shortDuration(subWindow, current));
        return p;
      }

      /** Records the slice that just ended; false when the run must stop (budget spent). */
      private boolean finish(JobMetrics m) {
        // Settled from the warehouse (this job's fetch dead letters so far): idempotent per job,
        // since attempts count from the queue as this run found it.
        settle(o, jobId, queue, number == 1 ? retried : List.of(), true, maxCallAttempts,
            givenUp, recovered);
        long listed = m.get("pipeline", "calls_listed");
        if (JobRun.pausedOnQuota(m) != null) {
          out.printf("Slice %d paused on the Gong request budget: '%s' stays at %s; a re-run "
              + "resumes there%n", number, progress, current.from());
          return false;
        }
        long unreadable = m.get(DeadLetterStage.COUNTER_NAMESPACE,
            DeadLetterStage.LIST_CALLS.counterName())
            + m.get(DeadLetterStage.COUNTER_NAMESPACE, DeadLetterStage.FETCH_CALLS.counterName());
        if (unreadable > 0) {
          contiguous = false;
        }
        if (contiguous) {
          try (Warehouse wh = Warehouse.open(o.getWarehouse())) {
            wh.advanceHighWaterMark(progress, current.to(), jobId);
          }
          out.printf("Slice %d done: %d calls listed; '%s' done up to %s%n", number, listed,
              progress, current.to());
        } else {
          out.printf("Slice %d done: %d calls listed, %d windows/calls unreadable (see "
              + "OPS_MONITORING.DEAD_LETTER); '%s' stays before them, so a re-run reads them "
              + "again%n", number, listed, unreadable, progress);
        }
        slicer.finished(current, listed);
        return true;
      }
    };
    JobRun.Summary summary;
    try {
      summary = JobRun.run(slices, o, jobId, "backfill", from, to, out);
    } catch (RuntimeException | Error e) {
      // What failed before the run did is queued all the same.
      settle(o, jobId, queue, List.of(), false, maxCallAttempts, givenUp, recovered);
      throw e;
    }
    settle(o, jobId, queue, List.of(), false, maxCallAttempts, givenUp, recovered);
    if (!recovered.isEmpty()) {
      out.printf("%d queued call(s) fetched and removed from OPS_MONITORING.RETRY_QUEUE%n",
          recovered.size());
    }
    if (!givenUp.isEmpty()) {
      String note = givenUp.size() + " call(s) reached --maxCallAttempts=" + maxCallAttempts
          + " and are given up (still in OPS_MONITORING.RETRY_QUEUE): "
          + IncrementalCommand.abbreviate(givenUp);
      out.println(note);
      summary = new JobRun.Summary(IncrementalCommand.withNote(summary.log(), note),
          summary.metrics(), summary.elapsed());
      try (Warehouse wh = Warehouse.open(o.getWarehouse())) {
        wh.recordJob(summary.log());
      }
    }
    // --cortexRisks: the Cortex path's deal risks for the calls this job changed, capped.
    return CortexRisksStep.afterWrite(summary, o, out);
  }

  /** {@code d} (at most the slice's length) as "10 days", "6 hours" or ISO-8601. */
  static String shortDuration(Duration d, TimeWindow slice) {
    Duration length = Duration.between(slice.from(), slice.to());
    if (d.compareTo(length) >= 0) {
      return "the whole slice";
    }
    if (d.toMillis() % Duration.ofDays(1).toMillis() == 0) {
      return d.toDays() + (d.toDays() == 1 ? " day" : " days");
    }
    if (d.toMillis() % Duration.ofHours(1).toMillis() == 0) {
      return d.toHours() + (d.toHours() == 1 ? " hour" : " hours");
    }
    return d.toString();
  }

  /**
   * Gong's count of the calls in {@code [start, to)} (one list request, through the daily ledger
   * like every other), for sizing the first slice; empty when the window is one list window (the
   * first slice is the window anyway), Gong gives no count, or the request fails (the slices are
   * then sized as they go, and the first slice meets the same failure and reports it).
   */
  static OptionalLong estimateCalls(GongBackfill.Seams seams, Instant start, Instant to,
      Duration listWindow, PrintStream out) {
    if (!start.isBefore(to) || Duration.between(start, to).compareTo(listWindow) <= 0) {
      return OptionalLong.empty();
    }
    try (GongClient client = seams.gong().create()) {
      OptionalLong n = client.estimateCalls(start, to);
      if (n.isPresent()) {
        out.printf("Gong counts about %d call(s) in [%s, %s)%n", n.getAsLong(), start, to);
      }
      return n;
    } catch (PipelineException e) {
      LOG.info("No call count from Gong for sizing the slices ({}); sizing them as they go",
          e.getMessage());
      return OptionalLong.empty();
    }
  }

  /**
   * Queues this job's failed fetches so far (see {@link RetryQueue#settle}); {@code retried} calls
   * that did not fail leave the queue when {@code sliceSucceeded}. Collects the calls given up and
   * recovered so far.
   */
  private static void settle(GongPipelineOptions o, String jobId,
      Map<String, RetryQueue.Entry> queue, List<String> retried, boolean sliceSucceeded,
      int maxCallAttempts, Set<String> givenUp, Set<String> recovered) {
    try (Warehouse wh = Warehouse.open(o.getWarehouse())) {
      RetryQueue.Settled s = RetryQueue.settle(wh, jobId, queue, retried, sliceSucceeded,
          maxCallAttempts, Instant.now());
      givenUp.addAll(s.givenUp());
      recovered.addAll(s.recovered());
    }
  }

  /** The window's progress row in OPS_MONITORING.SYNC_STATE. */
  static String progressName(Instant from, Instant to) {
    return PROGRESS_PREFIX + from + "/" + to;
  }

  /**
   * Where this run starts: after the finished slices of an earlier unfinished run of the window
   * (or of the same --from with an earlier --to, whose progress moves to this window's row), or at
   * --from for a first run, --restart, or a window whose backfill completed (a reconciliation).
   */
  private static Instant startOf(GongPipelineOptions o, Instant from, Instant to,
      String progress, String jobId, PrintStream out) {
    try (Warehouse wh = Warehouse.open(o.getWarehouse())) {
      wh.applySchema();
      Optional<Instant> done = wh.highWaterMark(progress);
      if (o.getRestart()) {
        if (done.isEmpty()) {
          handOver(wh, from, to, progress, jobId); // an earlier --to's progress is void too
        }
        wh.clearHighWaterMark(progress);
        out.printf("Backfill of [%s, %s): --restart, every slice is read again%n", from, to);
        return from;
      }
      if (done.isPresent() && !done.get().isBefore(to)) {
        wh.clearHighWaterMark(progress);
        out.printf("Backfill of [%s, %s) completed before: reconciliation, every slice is read "
            + "again%n", from, to);
        return from;
      }
      if (done.isEmpty()) {
        done = handOver(wh, from, to, progress, jobId);
      }
      if (done.isPresent() && done.get().isAfter(from)) {
        out.printf("Backfill of [%s, %s): resuming at %s (the slices before it finished in an "
            + "earlier run; --restart re-reads them)%n", from, to, done.get());
        return done.get();
      }
      return from;
    }
  }

  /**
   * The progress of the furthest unfinished backfill of {@code [from, t)} with {@code t < to},
   * moved to this window's row (its finished slices are finished for this window too).
   */
  private static Optional<Instant> handOver(Warehouse wh, Instant from, Instant to,
      String progress, String jobId) {
    String prefix = PROGRESS_PREFIX + from + "/";
    Instant best = null;
    String bestName = null;
    for (Map<String, Object> row : wh.query("SELECT SYNC_NAME, HIGH_WATER_MARK FROM "
        + "OPS_MONITORING.SYNC_STATE WHERE SYNC_NAME LIKE ?", prefix + "%")) {
      String name = String.valueOf(row.get("SYNC_NAME"));
      Instant mark = (Instant) row.get("HIGH_WATER_MARK");
      Instant otherTo;
      try {
        otherTo = Instant.parse(name.substring(prefix.length()));
      } catch (RuntimeException notOurs) {
        continue;
      }
      if (mark != null && mark.isBefore(otherTo) && otherTo.isBefore(to)
          && (best == null || mark.isAfter(best))) {
        best = mark;
        bestName = name;
      }
    }
    if (best == null) {
      return Optional.empty();
    }
    wh.advanceHighWaterMark(progress, best, jobId);
    wh.clearHighWaterMark(bestName);
    return Optional.of(best);
  }
}
