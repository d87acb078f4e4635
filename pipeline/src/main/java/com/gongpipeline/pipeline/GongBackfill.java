package com.gongpipeline.pipeline;

import com.gongpipeline.enrich.EnrichmentProvider;
import com.gongpipeline.errors.DeadLetter;
import com.gongpipeline.errors.DeadLetterCoder;
import com.gongpipeline.transforms.DeadLetterPayload;
import com.gongpipeline.errors.StageResult;
import com.gongpipeline.gong.GongClientConfig;
import com.gongpipeline.gong.GongClientFactory;
import com.gongpipeline.gong.GongCredentials;
import com.gongpipeline.warehouse.ChildKeys;
import com.gongpipeline.model.ContextualChunk;
import com.gongpipeline.model.EnrichedChunk;
import com.gongpipeline.model.FetchedCall;
import com.gongpipeline.model.ParsedCall;
import com.gongpipeline.model.TimeWindow;
import com.gongpipeline.pipeline.options.GongPipelineOptions;
import com.gongpipeline.planner.FetchPlanner;
import com.gongpipeline.planner.ListingPlan;
import com.gongpipeline.planner.PlanFetches;
import com.gongpipeline.transforms.ChunkBySpeaker;
import com.gongpipeline.transforms.DeleteStaleChildren;
import com.gongpipeline.transforms.DetectDeletedCalls;
import com.gongpipeline.transforms.EnrichChunks;
import com.gongpipeline.transforms.ParseCalls;
import com.gongpipeline.transforms.GongIO;
import com.gongpipeline.transforms.GongUsageLedger;
import com.gongpipeline.transforms.RiskIndicators;
import com.gongpipeline.transforms.ScoreTranscripts;
import com.gongpipeline.transforms.StagingKeySets;
import com.gongpipeline.transforms.SummariseCalls;
import com.gongpipeline.transforms.ToCallVectors;
import com.gongpipeline.transforms.ToWarehouseRows;
import com.gongpipeline.transforms.WriteToWarehouse;
import com.gongpipeline.warehouse.WarehouseProvider;
import com.gongpipeline.warehouse.WarehouseRow;
import java.time.Duration;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.options.StreamingOptions;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.AfterPane;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Repeatedly;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The bounded pipeline: every call started in {@code [from, to)} from Gong into RAW, STG and
 * AI_MEMORY, plus users and workspaces.
 *
 * <pre>{@code
 * java -jar pipeline/target/gong-pipeline.jar backfill --gongBaseUrl=https://us-12345.api.gong.io \
 *     --from=2026-01-01 --to=2026-02-01 [--warehouse=jdbc:duckdb:./gong.duckdb]
 * }</pre>
 *
 * <p>Every write is a MERGE on natural keys, so re-running a window changes nothing and a crashed
 * run is repaired by running it again. Failures of any stage land in
 * {@code OPS_MONITORING.DEAD_LETTER}; the run itself is logged in {@code ETL_JOB_LOGS}.
 */
public final class GongBackfill {
  private GongBackfill() {}

  /** What tests attach assertions to. */
  public record Outputs(
      PCollection<FetchedCall> fetched,
      PCollection<EnrichedChunk> enriched,
      PCollection<WarehouseRow> rows,
      PCollection<DeadLetter> deadLetters) {}

  /**
   * Where the graph reads Gong from and writes rows to: the two seams a test replaces (an
   * in-memory Gong client, an in-memory DuckDB). Both are serializable and travel with the DoFns.
   */
  public record Seams(GongClientFactory gong, WarehouseProvider warehouse)
      implements java.io.Serializable {
    /**
     * Production: the HTTP client made from {@code gong}, every request counted for job {@code
     * jobId} in the warehouse's daily ledger and refused beyond {@code --gongDailyRequestBudget};
     * the warehouse behind --warehouse.
     */
    public static Seams of(GongClientConfig gong, GongPipelineOptions options, String jobId) {
      long budget = options.getGongDailyRequestBudget();
      if (budget < 0) {
        throw new IllegalArgumentException(
            "--gongDailyRequestBudget must be 0 or more, got " + budget);
      }
      return of(gong, options, jobId, budget);
    }

    /** As {@link #of(GongClientConfig, GongPipelineOptions, String)} with an explicit budget. */
    static Seams of(GongClientConfig gong, GongPipelineOptions options, String jobId,
        long dailyBudget) {
      WarehouseProvider warehouse = WarehouseProvider.of(options.getWarehouse());
      return new Seams(GongClientFactory.http(gong,
          GongUsageLedger.factory(warehouse, jobId, dailyBudget)), warehouse);
    }
  }

  /**
   * Builds the graph; nothing touches the network or the warehouse until the pipeline runs.
   */
  public static Outputs buildPipeline(
      Pipeline p,
      GongPipelineOptions options,
      GongClientConfig gong,
      EnrichmentProvider enrichment,
      TimeWindow window,
      String jobId) {
    return buildPipeline(p, options, Seams.of(gong, options, jobId), enrichment, window, jobId);
  }

  /**
   * What one graph reads besides its window's listed calls, and how it lists them: the
   * incremental retry queue's ids ({@code retryCallIds}); whether the users and workspaces are
   * read ({@code readDirectory}: a backfill reads them with its last slice only); the fetch plan
   * ({@code plan}, incremental: only the listed calls that are new, not stored or due for a
   * re-fetch; null: every listed call, its schedule row stamped with this job, {@link
   * PlanFetches#fetchingAll}); and the list sub-window ({@code listWindow}, a backfill slice's;
   * null: {@code --listWindow}).
   */
  public record ReadScope(java.util.List<String> retryCallIds, boolean readDirectory,
      @Nullable PlanFetches plan, @Nullable Duration listWindow) {
    public ReadScope {
      retryCallIds = java.util.List.copyOf(retryCallIds);
    }

    /** Every listed call of the window and the directory, listed in {@code --listWindow}s. */
    public static ReadScope wholeWindow() {
      return new ReadScope(java.util.List.of(), true, null, null);
    }
  }

  /** The graph over explicit seams (a DirectRunner test of the whole graph hands fakes). */
  public static Outputs buildPipeline(
      Pipeline p,
      GongPipelineOptions options,
      Seams seams,
      EnrichmentProvider enrichment,
      TimeWindow window,
      String jobId) {
    return buildPipeline(p, options, seams, enrichment, window, jobId, ReadScope.wholeWindow());
  }

  /** The graph for one window, reading what {@code scope} says. */
  public static Outputs buildPipeline(
      Pipeline p,
      GongPipelineOptions options,
      Seams seams,
      EnrichmentProvider enrichment,
      TimeWindow window,
      String jobId,
      ReadScope scope) {
    java.util.List<String> retryCallIds = scope.retryCallIds();
    boolean readDirectory = scope.readDirectory();
    @Nullable PlanFetches plan = scope.plan();
    Duration listWindow = scope.listWindow() != null ? scope.listWindow()
        : Duration.parse(options.getListWindow());
    /* Step 1: read calls (list per sub-window, fetch details + transcripts). */
    GongIO.ReadCalls read = deletedCallSweep(GongIO.readCalls(), options, seams, jobId)
        .withClientFactory(seams.gong())
        .withWindow(window).withListWindow(listWindow)
        .withMaxCallIdsPerRequest(options.getGongMaxCallIdsPerRequest())
        .withExtraCallIds(retryCallIds);
    StageResult<FetchedCall> calls =
        p.apply("ReadGongCalls", read.withFetchPlan(plan != null ? plan
            // Without a plan (backfill) every listed call is fetched, but its schedule row is
            // still stamped with this job first: a run that dies between a call's STG row and its
            // chunks leaves the call untrusted, and the next planned run fetches it again.
            : PlanFetches.into(seams.warehouse(), jobId)
                .withPlanner(FetchPlanner.of(FetchPlanner.parseSchedule(
                    options.getRefetchSchedule())))
                .fetchingAll()));
    return processCalls(p, options, seams, enrichment, calls, jobId, readDirectory);
  }

  /** The polling planner's listing plan from the options (stream, incremental). */
  public static ListingPlan listingPlan(GongPipelineOptions o, Duration lookback) {
    return ListingPlan.of(lookback)
        .withRecentWindow(IncrementalCommand.parseDuration("recentWindow", o.getRecentWindow()))
        .withSweepInterval(IncrementalCommand.parseDuration("sweepInterval", o.getSweepInterval()))
        .withDeepSweep(ListingPlan.DEFAULT_DEEP_SWEEP_INTERVAL,
            IncrementalCommand.parseDuration("deepSweepLookback", o.getDeepSweepLookback()));
  }

  /** The fetch plan from the options (stream, incremental): schedule rows written as jobId. */
  public static PlanFetches fetchPlan(GongPipelineOptions o, String jobId) {
    return PlanFetches.into(WarehouseProvider.of(o.getWarehouse()), jobId)
        .withPlanner(FetchPlanner.of(FetchPlanner.parseSchedule(o.getRefetchSchedule())));
  }

  /**
   * Everything after the read, shared by backfill, incremental and stream: the directory, RAW,
   * STG, AI_MEMORY, stale-children deletes and dead letters. Streaming inputs arrive in event-time
   * windows; rows and dead letters are re-windowed into the global window (firing per element)
   * before they are flattened and batched, so both modes share one write path.
   */
  public static Outputs processCalls(
      Pipeline p,
      GongPipelineOptions options,
      Seams seams,
      EnrichmentProvider enrichment,
      StageResult<FetchedCall> calls,
      String jobId) {
    return processCalls(p, options, seams, enrichment, calls, jobId, true);
  }

  /** As above, reading the directory (users, workspaces) only if {@code readDirectory}. */
  public static Outputs processCalls(
      Pipeline p,
      GongPipelineOptions options,
      Seams seams,
      EnrichmentProvider enrichment,
      StageResult<FetchedCall> calls,
      String jobId,
      boolean readDirectory) {
    WarehouseProvider warehouse = seams.warehouse();
    org.joda.time.Duration buffering =
        org.joda.time.Duration.standardSeconds(options.getWriteMaxBufferingSeconds());

    /* Step 1b: the directory (users, workspaces). */
    StageResult<WarehouseRow> directory = readDirectory
        ? p.apply("ReadGongDirectory",
            GongIO.readDirectory().withClientFactory(seams.gong()).withJobId(jobId)
                .withWaitOn(calls.output()))
        : StageResult.of(
            p.apply("NoDirectory", Create.empty(SerializableCoder.of(WarehouseRow.class))),
            p.apply("NoDirectoryDeadLetters", Create.empty(DeadLetterCoder.of())));

    /* Step 2: RAW rows, verbatim payloads. */
    StageResult<WarehouseRow> raw = calls.output().apply("ToRawRows", ToWarehouseRows.raw(jobId));

    /* Step 3: typed STG rows and speaker turns; turn sentiment and call sentiment. */
    StageResult<ParsedCall> parsed = calls.output().apply("ParseCalls", new ParseCalls(jobId));
    // One circuit breaker for the models: an outage seen by call scoring or chunk enrichment
    // makes both fail fast (dead letters; stored scores stay) until a probe gets through.
    String modelBreaker = "models-" + java.util.UUID.randomUUID();
    // Calls without Gong's brief get a derived summary (reused when their inputs are unchanged)
    // before their STG_GONG_CALLS row is made, so that row has one writer.
    StageResult<ParsedCall> summarised =
        parsed.output().apply("SummariseCalls", new SummariseCalls(enrichment, warehouse));
    StageResult<WarehouseRow> staging = summarised.output().apply("ScoreTranscripts",
        new ScoreTranscripts(enrichment, warehouse).withModelBreaker(modelBreaker));
    PCollection<ChildKeys> stagingKeys =
        parsed.output().apply("StagingKeySets", new StagingKeySets());
    // Gong's trackers and their occurrences (what Gong sent; none when it sent none).
    PCollection<WarehouseRow> trackers = parsed.output().apply("ToTrackerRows",
        ToWarehouseRows.trackers());

    /* Step 4: redacted speaker chunks, embedded and scored in batches. */
    PCollectionTuple chunked =
        parsed.output().apply("ChunkBySpeaker",
            new ChunkBySpeaker(enrichment, options.getChunkMaxTokens(),
                options.getChunkOverlapTokens()));
    StageResult<ContextualChunk> chunks = ChunkBySpeaker.result(chunked);
    // Unchanged chunks reuse their stored vector and sentiment: re-reads cost no model calls.
    StageResult<EnrichedChunk> enriched =
        chunks.output().apply("EnrichChunks",
            new EnrichChunks(enrichment, Enrichment.batchSize(options), warehouse)
                .withModelBreaker(modelBreaker));
    PCollection<WarehouseRow> memory =
        enriched.output().apply("ToMemoryRows", ToWarehouseRows.memory(jobId));
    // One vector per call (similar calls): the mean of its chunks', once all of them are embedded.
    PCollection<com.gongpipeline.model.CallChunks> chunkSets =
        chunked.get(ChunkBySpeaker.CHUNK_KEYS_OUT);
    PCollection<WarehouseRow> callVectors =
        enriched.output().apply("ToCallVectors", ToCallVectors.of(jobId, chunkSets));
    // Deal risks of the customer side's chunks, set on each call row once all its chunks are here.
    PCollection<WarehouseRow> stagingRows = staging.output().apply("RiskIndicators",
        new RiskIndicators(enriched.output(), chunked.get(ChunkBySpeaker.CHUNK_KEYS_OUT)));

    /* Step 5: MERGE everything into the warehouse. */
    PCollection<WarehouseRow> rows =
        PCollectionList.of(global("GlobalRawRows", raw.output()))
            .and(global("GlobalDirectoryRows", directory.output()))
            .and(global("GlobalStagingRows", stagingRows))
            .and(global("GlobalTrackerRows", trackers))
            .and(global("GlobalMemoryRows", memory))
            .and(global("GlobalCallVectorRows", callVectors))
            .apply("AllRows", Flatten.pCollections());
    // With --snowflakeStagingBucket + --snowflakeStorageIntegration, RAW rows bulk-load through
    // SnowflakeIO (COPY into a landing table, then the same MERGE); otherwise a no-op.
    rows = SnowflakeBulkLoad.routeRaw(rows, options);
    StageResult<com.gongpipeline.transforms.CallWrites> written = rows.apply("WriteToWarehouse",
        new WriteToWarehouse(warehouse, options.getWriteBatchSize(), buffering)
            .reportingCallWrites());
    PCollection<DeadLetter> writeFailures = written.deadLetters();
    // A call whose rows failed to write is queued in OPS_MONITORING.RETRY_QUEUE to be fetched and
    // written again; in the stream, a queued call leaves the queue once its STG row is committed.
    written.output().apply("SettleCallWrites", new StreamRetries.SettleCallWrites(warehouse,
        jobId, options.as(StreamingOptions.class).isStreaming()));
    // A call that changed is replaced as a set: rows of turns, parties, topics and chunks it no
    // longer has are deleted.
    PCollection<DeadLetter> replaceFailures =
        PCollectionList.of(global("GlobalStagingKeys", stagingKeys))
            .and(global("GlobalChunkKeys", chunkSets
                .apply("ToMemoryKeySets", ToWarehouseRows.memoryKeySets())))
            .and(global("GlobalCallVectorKeys", chunkSets
                .apply("ToCallVectorKeySets", ToCallVectors.keySets())))
            .apply("AllChildKeySets", Flatten.pCollections())
            .apply("DeleteStaleChildren", new DeleteStaleChildren(warehouse,
                DeleteStaleChildren.DEFAULT_BATCH_SIZE, buffering));

    /* Step 6: dead letters of every stage into OPS_MONITORING.DEAD_LETTER. */
    PCollection<DeadLetter> deadLetters =
        PCollectionList.of(global("GlobalReadDeadLetters", calls.deadLetters()))
            .and(global("GlobalDirectoryDeadLetters", directory.deadLetters()))
            .and(global("GlobalRawDeadLetters", raw.deadLetters()))
            .and(global("GlobalParseDeadLetters", parsed.deadLetters()))
            .and(global("GlobalSummaryDeadLetters", summarised.deadLetters()))
            .and(global("GlobalSentimentDeadLetters", staging.deadLetters()))
            .and(global("GlobalChunkDeadLetters", chunks.deadLetters()))
            .and(global("GlobalEnrichDeadLetters", enriched.deadLetters()))
            .and(global("GlobalWriteDeadLetters", writeFailures))
            .and(global("GlobalReplaceDeadLetters", replaceFailures))
            .apply("AllDeadLetters", Flatten.pCollections())
            .setCoder(DeadLetterCoder.of());
    deadLetters
        .apply("ToDeadLetterRows", ToWarehouseRows.deadLetters(jobId,
            DeadLetterPayload.parse(options.getDeadLetterPayload())))
        .apply("WriteDeadLetters", new WriteToWarehouse(warehouse, 500, buffering))
        .apply("LogUnwritableDeadLetters", ParDo.of(new ToWarehouseRows.LogUnwritableFn()));
    return new Outputs(calls.output(), enriched.output(), rows, deadLetters);
  }

  /**
   * With {@code --syncDeletedCalls} (default), completely listed windows go to {@link
   * DetectDeletedCalls}: stored calls Gong no longer lists are removed and flagged.
   */
  static GongIO.ReadCalls deletedCallSweep(GongIO.ReadCalls read, GongPipelineOptions options,
      Seams seams, String jobId) {
    return Boolean.FALSE.equals(options.getSyncDeletedCalls()) ? read
        : read.withListedWindowsTo(new DetectDeletedCalls(seams.warehouse(), jobId));
  }

  /**
   * Moves a collection into the global window, firing per element: a no-op for bounded input,
   * and what lets windowed streaming collections be flattened with global ones.
   */
  static <T> PCollection<T> global(String name, PCollection<T> in) {
    if (!in.getPipeline().getOptions().as(StreamingOptions.class).isStreaming()) {
      return in;
    }
    return in.apply(name, Window.<T>into(new GlobalWindows())
        .triggering(Repeatedly.forever(AfterPane.elementCountAtLeast(1)))
        .withAllowedLateness(org.joda.time.Duration.ZERO)
        .discardingFiredPanes());
  }

  /** The Gong client configuration the options describe. */
  public static GongClientConfig gongConfig(GongPipelineOptions o, GongCredentials credentials) {
    if (o.getGongBaseUrl() == null || o.getGongBaseUrl().isBlank()) {
      throw new IllegalArgumentException(
          "--gongBaseUrl is required: your tenant's API host, e.g. https://us-12345.api.gong.io");
    }
    return GongClientConfig.builder()
        .baseUrl(o.getGongBaseUrl())
        .credentials(credentials)
        .requestsPerSecond(o.getGongRequestsPerSecond())
        .maxAttempts(o.getGongMaxAttempts())
        .maxRetryAfter(java.time.Duration.parse(o.getGongMaxRetryAfter()))
        .includePrivateCalls(o.getIncludePrivateCalls())
        .maxResponseBytes(o.getGongMaxResponseBytes())
        .build();
  }

  /** Credentials from {@code --gongCredentialsFile}, else from the environment. */
  public static GongCredentials credentials(GongPipelineOptions o) {
    return o.getGongCredentialsFile() != null
        ? GongCredentials.fromFile(java.nio.file.Path.of(o.getGongCredentialsFile()))
        : GongCredentials.fromEnv();
  }
}
