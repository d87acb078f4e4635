package com.gongpipeline.pipeline;

import com.gongpipeline.errors.DeadLetter;
import com.gongpipeline.errors.StageResult;
import com.gongpipeline.gong.GongClientConfig;
import com.gongpipeline.gong.GongCredentials;
import com.gongpipeline.metrics.MetricNames;
import com.gongpipeline.model.CallIdBatch;
import com.gongpipeline.model.FetchedCall;
import com.gongpipeline.model.TimeWindow;
import com.gongpipeline.pipeline.options.GongPipelineOptions;
import com.gongpipeline.planner.BudgetGate;
import com.gongpipeline.planner.ListingPlan;
import com.gongpipeline.stream.DedupCallVersions;
import com.gongpipeline.stream.PollGongWindows;
import com.gongpipeline.transforms.GongIO;
import com.gongpipeline.warehouse.Warehouse;
import com.gongpipeline.warehouse.WarehouseProvider;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.metrics.Gauge;
import org.apache.beam.sdk.options.StreamingOptions;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;

/**
 * {@code stream --gongBaseUrl=… [--pollInterval=PT5M] [--lookback=P3D] [--runFor=PT10M]}: the
 * unbounded pipeline. Every poll interval it lists the recent window (the whole lookback after each
 * {@code --sweepInterval} boundary, the deep lookback daily; see {@link ListingPlan}) through the
 * same list path as backfill, fetches only new, unstored or due calls ({@code PlanFetches}),
 * pauses while the daily Gong budget is spent, de-duplicates re-polled calls by content within
 * event-time windows
 * (call start time), and writes through the same MERGE path. The read position lives in the
 * runner's checkpointed restriction and is also recorded in {@code OPS_MONITORING.SYNC_STATE}
 * (sync {@code <syncName>_stream}) for visibility. Calls that could not be fetched are queued in
 * {@code OPS_MONITORING.RETRY_QUEUE} as they fail, and each poll fetches the due queued ones again
 * ({@link StreamRetries}).
 */
public final class StreamCommand {
  private StreamCommand() {}

  public static JobRun.Summary run(GongPipelineOptions o, GongCredentials credentials,
      PrintStream out) {
    Duration lookback = IncrementalCommand.parseDuration("lookback", o.getLookback());
    Duration poll = IncrementalCommand.parseDuration("pollInterval", o.getPollInterval());
    Duration dedupWindow = IncrementalCommand.parseDuration("dedupWindow", o.getDedupWindow());
    Duration early = IncrementalCommand.parseDuration("earlyFiringDelay", o.getEarlyFiringDelay());
    String jobId = o.getJobId() != null ? o.getJobId() : JobRun.newJobId("stream");
    String positionName = o.getSyncName() + "_stream";
    Duration leaseTtl = IncrementalCommand.parseDuration("leaseTtl", o.getLeaseTtl());
    // The same lease as `incremental` on this sync: a stream and a cron run never both write.
    try (SyncLease lease = SyncLease.acquire(o.getWarehouse(), o.getSyncName(), jobId, leaseTtl)) {
      return run(o, credentials, out, jobId, positionName, lookback, poll, dedupWindow, early,
          lease);
    }
  }

  private static JobRun.Summary run(GongPipelineOptions o, GongCredentials credentials,
      PrintStream out, String jobId, String positionName, Duration lookback, Duration poll,
      Duration dedupWindow, Duration early, SyncLease lease) {
    Instant now = Instant.now();
    Optional<Instant> recorded;
    try (Warehouse wh = Warehouse.open(o.getWarehouse())) {
      wh.applySchema();
      recorded = wh.highWaterMark(positionName);
    }
    // A restart re-reads the lookback behind the recorded position, as every poll does: calls
    // listed before it but not yet written (rows still buffered for a MERGE when the previous
    // job stopped) or not yet visible then (Gong's processing lag) start before the position.
    // The poller never reads before its start, so starting at the position itself would skip them.
    Instant start = recorded.map(position -> position.minus(lookback))
        .orElse(o.getFrom() != null ? Instants.parse("from", o.getFrom()) : now.minus(lookback));
    o.as(StreamingOptions.class).setStreaming(true);

    GongClientConfig gong = GongBackfill.gongConfig(o, credentials);
    Duration listWindow = Duration.parse(o.getListWindow());
    // Each poll lists only the recent window; the lookback is swept hourly, the deep lookback
    // daily (ListingPlan). Polling pauses while the day's Gong budget is spent (BudgetGate).
    ListingPlan plan = GongBackfill.listingPlan(o, lookback);
    long budget = o.getGongDailyRequestBudget();
    if (budget < 0) {
      throw new IllegalArgumentException(
          "--gongDailyRequestBudget must be 0 or more, got " + budget);
    }
    PollGongWindows poller = PollGongWindows.from(start).withPollInterval(poll)
        .withListingPlan(plan)
        .withBudgetGate(BudgetGate.ledger(WarehouseProvider.of(o.getWarehouse()), budget));
    Instant stopAt = null;
    if (o.getRunFor() != null) {
      stopAt = now.plus(IncrementalCommand.parseDuration("runFor", o.getRunFor()));
      poller = poller.withStopAt(stopAt);
    }
    Pipeline p = Pipeline.create(o);
    PCollection<TimeWindow> windows = p.apply("PollGongWindows", poller);
    windows.apply("RecordReadPosition", ParDo.of(new RecordPositionFn(
        WarehouseProvider.of(o.getWarehouse()), positionName, jobId)));
    // Same list-and-fetch as backfill under the step name it always had (ListAndFetch, so a Flink
    // savepoint still maps); each poll's sub-windows are split and listed inside its keyed stage,
    // so a poll's ids fill one details and one transcript batch.
    // The stream's requests are counted in the daily ledger (so bounded jobs on the same
    // warehouse see them against the budget). The stream is not refused mid-poll: the poller
    // stops polling once the ledger reaches the budget (BudgetGate), so it overshoots by at most
    // the poll in flight, and resumes when budget frees up or the next UTC day starts.
    GongBackfill.Seams seams = GongBackfill.Seams.of(gong, o, jobId, Long.MAX_VALUE);
    // Between listing and fetching, only new, unstored or due calls go on (PlanFetches).
    GongIO.ReadCalls read = GongBackfill.deletedCallSweep(GongIO.readCalls(), o, seams,
            jobId).withClientFactory(seams.gong())
        .withListWindow(listWindow)
        .withMaxCallIdsPerRequest(o.getGongMaxCallIdsPerRequest())
        .withFetchPlan(GongBackfill.fetchPlan(o, jobId));
    StageResult<FetchedCall> fetched = read.readWindows(windows);
    // OPS_MONITORING.RETRY_QUEUE (StreamRetries): every poll also fetches the due queued calls;
    // every failed fetch is queued as it happens; queued calls fetched leave the queue.
    WarehouseProvider warehouse = WarehouseProvider.of(o.getWarehouse());
    int maxIds = o.getGongMaxCallIdsPerRequest() > 0 ? o.getGongMaxCallIdsPerRequest()
        : GongClientConfig.DEFAULT_MAX_CALL_IDS_PER_REQUEST;
    StageResult<FetchedCall> queued = read.fetchCallIds(windows
        .apply("ClaimQueuedCalls", ParDo.of(new StreamRetries.ClaimDueFn(warehouse, maxIds,
            jobId, GongBackfill.fetchPlan(o, jobId).planner())))
        .setCoder(SerializableCoder.of(CallIdBatch.class)));
    PCollection<FetchedCall> calls = PCollectionList.of(fetched.output())
        .and(queued.output()
            .apply("SettleQueuedCalls", ParDo.of(new StreamRetries.SettleFetchedFn(warehouse,
                plan.deepLookback())))
            .setCoder(SerializableCoder.of(FetchedCall.class)))
        .apply("ListedAndQueuedCalls", Flatten.pCollections());
    PCollection<DeadLetter> fetchFailures = PCollectionList.of(fetched.deadLetters())
        .and(queued.deadLetters())
        .apply("ListedAndQueuedFailures", Flatten.pCollections());
    int maxCallAttempts = o.getMaxCallAttempts();
    if (maxCallAttempts < 1) {
      throw new IllegalArgumentException("--maxCallAttempts must be 1 or more, got "
          + maxCallAttempts);
    }
    // A deep sweep re-reads calls up to the deep lookback: their re-fetches are still in time.
    PCollection<FetchedCall> deduped = calls.apply("DedupCallVersions",
        DedupCallVersions.of(dedupWindow, plan.deepLookback()).withEarlyFiringDelay(early));
    StageResult<FetchedCall> toProcess = StageResult.of(deduped, fetchFailures);
    toProcess.deadLetters().apply("QueueFailedFetches", ParDo.of(
        new StreamRetries.QueueFailedFetchesFn(warehouse, jobId, maxCallAttempts)));
    GongBackfill.processCalls(p, o, seams, Enrichment.fromOptions(o), toProcess, jobId);
    out.printf("Stream %s: polling %s every %s from %s (%s; %s)%s into %s%n", jobId,
        o.getGongBaseUrl(), poll, start, plan, GongBackfill.fetchPlan(o, jobId).planner(),
        stopAt == null ? "" : " until " + stopAt,
        com.gongpipeline.errors.SecretRedaction.redact(o.getWarehouse()));
    return JobRun.run(p, o, jobId, "stream", start, stopAt, out, lease);
  }

  /** Records each poll's window end as the stream's read position, for people and dashboards. */
  static final class RecordPositionFn extends DoFn<TimeWindow, Void> {
    private final WarehouseProvider warehouse;
    private final String name;
    private final String jobId;
    private final Gauge position = MetricNames.READ_POSITION.gauge();
    private final Gauge positionLag = MetricNames.READ_POSITION_LAG_S.gauge();

    RecordPositionFn(WarehouseProvider warehouse, String name, String jobId) {
      this.warehouse = warehouse;
      this.name = name;
      this.jobId = jobId;
    }

    @ProcessElement
    public void process(@Element TimeWindow w) {
      try (Warehouse wh = warehouse.open()) {
        wh.advanceHighWaterMark(name, w.to(), jobId);
      }
      position.set(w.to().getEpochSecond());
      positionLag.set(Math.max(0, Instant.now().getEpochSecond() - w.to().getEpochSecond()));
    }
  }
}
