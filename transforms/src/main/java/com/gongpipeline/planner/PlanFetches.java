package com.gongpipeline.planner;

import com.gongpipeline.model.CallIdBatch;
import com.gongpipeline.warehouse.PlannedFetch;
import com.gongpipeline.warehouse.Warehouse;
import com.gongpipeline.warehouse.WarehouseException;
import com.gongpipeline.warehouse.WarehouseProvider;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.util.SerializableSupplier;
import org.apache.beam.sdk.values.PCollection;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Between listing and fetching: keeps, of each listed batch of call ids, only the calls the {@link
 * FetchPlanner} says to fetch now, and records their new schedule rows in {@code
 * OPS_MONITORING.CALL_FETCH_SCHEDULE} (as job {@code jobId}). Batches with nothing to fetch
 * vanish, so a quiet tenant's steady-state poll costs its list request only. If the warehouse
 * cannot be read or written, the whole batch is fetched (over-fetching costs requests; skipping
 * would lose calls).
 *
 * <p>What it reads per batch (two read-only queries): the calls' schedule rows with their writing
 * job's status in {@code ETL_JOB_LOGS}, and which calls have a RAW row. A schedule row is trusted
 * only when it was written by this job or by a job that SUCCEEDED: a run that planned a fetch and
 * then failed, was killed or paused may not have landed it. A stored call with no schedule row
 * (loaded by a backfill) counts as first seen when its RAW row was ingested.
 *
 * <pre>{@code
 * PCollection<CallIdBatch> toFetch = listed.apply("PlanFetches",
 *     PlanFetches.into(warehouse, jobId).withPlanner(FetchPlanner.withDefaults()));
 * }</pre>
 */
public final class PlanFetches
    extends PTransform<PCollection<CallIdBatch>, PCollection<CallIdBatch>> {
  private final WarehouseProvider warehouse;
  private final String jobId;
  private final FetchPlanner planner;
  private final SerializableSupplier<Instant> clock;
  private final boolean fetchAll;

  private PlanFetches(WarehouseProvider warehouse, String jobId, FetchPlanner planner,
      SerializableSupplier<Instant> clock, boolean fetchAll) {
    this.warehouse = Objects.requireNonNull(warehouse, "warehouse");
    this.jobId = Objects.requireNonNull(jobId, "jobId");
    this.planner = Objects.requireNonNull(planner, "planner");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.fetchAll = fetchAll;
  }

  /** Plans against {@code warehouse}'s schedule, writing rows as job {@code jobId}. */
  public static PlanFetches into(WarehouseProvider warehouse, String jobId) {
    return new PlanFetches(warehouse, jobId, FetchPlanner.withDefaults(), Instant::now, false);
  }

  /**
   * Fetches every listed call (a backfill re-reads its whole window) but still stamps each one's
   * schedule row with this job before its fetch ({@link #stamp}), so a run that dies before all of
   * a call's rows land leaves the call untrusted and the next planned run fetches it again.
   */
  public PlanFetches fetchingAll() {
    return new PlanFetches(warehouse, jobId, planner, clock, true);
  }

  public FetchPlanner planner() {
    return planner;
  }

  public PlanFetches withPlanner(FetchPlanner planner) {
    return new PlanFetches(warehouse, jobId, planner, clock, fetchAll);
  }

  /** The source of "now" (tests inject a fake); called once per batch. */
  public PlanFetches withClock(SerializableSupplier<Instant> clock) {
    return new PlanFetches(warehouse, jobId, planner, clock, fetchAll);
  }

  /**
   * Plans one listed batch outside a pipeline step of its own (the keyed Gong stage calls it
   * between listing and batching): the calls to fetch now, or null when there are none. Records
   * their schedule rows, and fails open like the step.
   */
  public @Nullable CallIdBatch planBatch(CallIdBatch batch) {
    PlanFetchesFn fn = inline;
    if (fn == null) {
      fn = new PlanFetchesFn(warehouse, jobId, planner, clock, fetchAll);
      inline = fn;
    }
    CallIdBatch[] planned = {null};
    fn.planOne(batch, b -> planned[0] = b);
    return planned[0];
  }

  private transient @Nullable PlanFetchesFn inline;

  @Override
  public PCollection<CallIdBatch> expand(PCollection<CallIdBatch> listed) {
    return listed.apply("PlanFetches", ParDo.of(new PlanFetchesFn(warehouse, jobId, planner,
            clock, fetchAll)))
        .setCoder(SerializableCoder.of(CallIdBatch.class));
  }

  /** Filters one batch and records the fetches it plans. */
  static final class PlanFetchesFn extends DoFn<CallIdBatch, CallIdBatch> {
    private static final Logger LOG = LoggerFactory.getLogger(PlanFetches.class);
    private final WarehouseProvider warehouse;
    private final String jobId;
    private final FetchPlanner planner;
    private final SerializableSupplier<Instant> clock;
    private final boolean fetchAll;
    private final Map<FetchPlanner.Reason, Counter> counters =
        new EnumMap<>(FetchPlanner.Reason.class);

    PlanFetchesFn(WarehouseProvider warehouse, String jobId, FetchPlanner planner,
        SerializableSupplier<Instant> clock, boolean fetchAll) {
      this.warehouse = warehouse;
      this.jobId = jobId;
      this.planner = planner;
      this.clock = clock;
      this.fetchAll = fetchAll;
      for (FetchPlanner.Reason r : FetchPlanner.Reason.values()) {
        counters.put(r, Metrics.counter("pipeline", counterName(r)));
      }
    }

    /** {@code fetch_plan_new}, {@code fetch_plan_not_stored}, ... (see {@code MetricNames}). */
    public static String counterName(FetchPlanner.Reason r) {
      return "fetch_plan_" + r.name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * One batch: opened per batch, like every warehouse DoFn, so a DuckDB file is held only while
     * in use (other processes take turns with it).
     */
    @ProcessElement
    public void process(@Element CallIdBatch batch, OutputReceiver<CallIdBatch> out) {
      planOne(batch, out::output);
    }

    void planOne(CallIdBatch batch, java.util.function.Consumer<CallIdBatch> out) {
      List<String> ids = batch.callIds();
      if (ids.isEmpty()) {
        return;
      }
      try (Warehouse w = warehouse.open()) {
        plan(w, batch, out);
      } catch (WarehouseException e) {
        // Fail open: fetching a known call again costs requests, skipping a new one loses it.
        LOG.warn("Fetch plan unavailable ({}); fetching all {} listed calls of {}",
            e.getMessage(), ids.size(), batch.window());
        out.accept(batch);
      }
    }

    private void plan(Warehouse w, CallIdBatch batch,
        java.util.function.Consumer<CallIdBatch> out) {
      List<String> ids = batch.callIds();
      Instant now = clock.get();
      Map<String, FetchPlanner.Known> known = known(w, ids, jobId, planner, now);
      List<String> fetch = new ArrayList<>();
      List<PlannedFetch> rows = new ArrayList<>();
      for (String id : ids) {
        FetchPlanner.Decision d = planner.decide(known.get(id), now);
        counters.get(d.reason()).inc();
        if (d.fetch() || fetchAll) {
          fetch.add(id);
          rows.add(new PlannedFetch(id, d.firstSeen(), now, d.nextDue(), d.fetches(), jobId));
        }
      }
      if (fetch.isEmpty()) {
        return;
      }
      // Recorded before the fetch: a run that dies before all its data lands (e.g. after a call's
      // STG row but before its chunks) leaves rows that the next run does not trust (their job
      // did not succeed) or calls that are not stored.
      w.recordPlannedFetches(rows);
      out.accept(new CallIdBatch(batch.window(), List.copyOf(fetch)));
    }
  }

  /**
   * Stamps these calls' schedule rows with job {@code jobId} before they are fetched outside the
   * planner (the stream's retry-queue claims): their place on the schedule is kept (first seen,
   * next due and fetch count as planned, or as for a new call), only the job and the time of the
   * fetch change. A call is trusted as completely stored only once the job that last fetched it
   * succeeded ({@link FetchPlanner.Known#trusted}), whichever table its rows reached before a
   * process died. Two queries and one MERGE per batch, by key.
   */
  public static void stamp(Warehouse w, List<String> ids, String jobId, FetchPlanner planner,
      Instant now) {
    if (ids.isEmpty()) {
      return;
    }
    Map<String, FetchPlanner.Known> known = known(w, ids, jobId, planner, now);
    List<PlannedFetch> rows = new ArrayList<>(ids.size());
    for (String id : ids) {
      FetchPlanner.Decision d = planner.decide(known.get(id), now);
      rows.add(new PlannedFetch(id, d.firstSeen(), now, d.nextDue(), d.fetches(), jobId));
    }
    w.recordPlannedFetches(rows);
  }

  /** What the warehouse knows of these calls, as the planner needs it. */
  static Map<String, FetchPlanner.Known> known(Warehouse w, List<String> ids, String jobId,
      FetchPlanner planner, Instant now) {
    String in = String.join(", ", Collections.nCopies(ids.size(), "?"));
    Object[] params = ids.toArray();
    Map<String, Instant> stored = new HashMap<>();
    for (Map<String, @Nullable Object> r : w.query("SELECT CALL_ID, INGESTED_AT FROM "
        + "RAW.GONG_CALLS_RAW WHERE CALL_ID IN (" + in + ")", params)) {
      stored.put((String) r.get("CALL_ID"), (Instant) r.get("INGESTED_AT"));
    }
    // A call whose fetch or write failed is queued for a retry: not in flight, whoever planned it.
    java.util.Set<String> failed = new java.util.HashSet<>();
    for (Map<String, @Nullable Object> r : w.query("SELECT CALL_ID FROM "
        + "OPS_MONITORING.RETRY_QUEUE WHERE CALL_ID IN (" + in + ")", params)) {
      failed.add((String) r.get("CALL_ID"));
    }
    Map<String, FetchPlanner.Known> out = new HashMap<>();
    for (Map<String, @Nullable Object> r : w.query("SELECT s.CALL_ID, s.FIRST_SEEN, s.NEXT_DUE, "
        + "s.FETCHES, s.JOB_ID, s.LAST_FETCHED, j.STATUS FROM OPS_MONITORING.CALL_FETCH_SCHEDULE s "
        + "LEFT JOIN OPS_MONITORING.ETL_JOB_LOGS j ON j.JOB_ID = s.JOB_ID WHERE s.CALL_ID IN ("
        + in + ")", params)) {
      String id = (String) r.get("CALL_ID");
      boolean thisJob = jobId.equals(r.get("JOB_ID"));
      boolean trusted = thisJob || "SUCCEEDED".equals(r.get("STATUS"));
      out.put(id, new FetchPlanner.Known((Instant) r.get("FIRST_SEEN"),
          (Instant) r.get("NEXT_DUE"), ((Number) r.get("FETCHES")).longValue(),
          stored.containsKey(id), trusted,
          thisJob && !failed.contains(id) ? (Instant) r.get("LAST_FETCHED") : null));
    }
    // Stored by a run without the planner (a backfill): first seen when it was ingested.
    stored.forEach((id, ingested) -> out.computeIfAbsent(id, k -> new FetchPlanner.Known(
        ingested, planner.nextDueAfter(ingested, ingested), 1, true, true)));
    return out;
  }
}
