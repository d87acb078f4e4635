package com.gongpipeline.transforms;

import com.gongpipeline.errors.DeadLetter;
import com.gongpipeline.errors.DeadLetterCoder;
import com.gongpipeline.errors.RetryPolicy;
import com.gongpipeline.errors.StageResult;
import com.gongpipeline.gong.GongClientFactory;
import com.gongpipeline.model.CallIdBatch;
import com.gongpipeline.model.FetchedCall;
import com.gongpipeline.model.ListedWindow;
import com.gongpipeline.model.TimeWindow;
import com.gongpipeline.planner.PlanFetches;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The part of {@link GongIO.ReadCalls} shared by backfill and streaming: windows in, fetched calls
 * and dead letters out. Every window is keyed by its tenant ({@code KeyByTenant}) and listed and
 * fetched in ONE keyed stage ({@code CallGong}, see {@link CallGongFn}: list, re-batch the ids to
 * full requests across windows, fetch details and transcripts), so one worker at a time sends a
 * tenant's requests and the configured requests/s holds job-wide on any runner and parallelism.
 * The fetched calls are then spread across workers ({@code SpreadFetchedCalls}) so parsing,
 * chunking and enrichment fan out. A polling read plans inside the keyed stage, between listing
 * and batching ({@link PlanFetches}: only new, not yet stored or due calls are fetched). Made by {@link GongIO.ReadCalls#listAndFetch()}.
 */
public final class ListAndFetchCalls
    extends PTransform<PCollection<TimeWindow>, StageResult<FetchedCall>> {
  /** Calls fetched with details and transcript. */
  public static final TupleTag<FetchedCall> FETCHED_OUT = new TupleTag<>() {};
  /** Windows, batches or calls that could not be listed or fetched. */
  public static final TupleTag<DeadLetter> FETCH_DEADLETTER_OUT = new TupleTag<>() {};

  /** How long the stream lets a partial batch of ids wait for more before fetching it. */
  static final java.time.Duration DEFAULT_MAX_BUFFERING = java.time.Duration.ofSeconds(5);

  /**
   * How many keys {@code SpreadFetchedCalls} spreads fetched calls over. Enough for the
   * parallelism a job gives the CPU-bound stages after it (up to 16 Flink subtasks get calls);
   * few enough that calls fetched together travel in a few bundles, not one each: on the
   * DirectRunner every bundle of every stage pays a fixed cost (the ParDo's translation, a state
   * copy), and one-call bundles left embedding batches a call's chunk count apart (32 + 3).
   * Measured on {@code bench}: the DirectRunner's per-bundle translation fell from 15 % to 7 % of
   * the workers' Java samples.
   */
  static final int SPREAD_BUCKETS = 16;

  private static final TupleTag<CallIdBatch> UNUSED_BATCHES = new TupleTag<>() {};
  private static final TupleTag<DeadLetter> UNUSED_DEADLETTERS = new TupleTag<>() {};
  private static final TupleTag<ListedWindow> LISTED_OUT = new TupleTag<>() {};

  private final GongClientFactory clients;
  private final int maxCallIdsPerRequest;
  private final RetryPolicy missingDetailsRetry;
  private final java.time.Duration maxBuffering;
  /** Ids fetched besides the listed ones (the retry queue's, {@code --retryCallIds}). */
  private final java.util.List<String> extraCallIds;
  /** Where completely listed windows go (e.g. DetectDeletedCalls), or null. */
  private final @Nullable PTransform<PCollection<ListedWindow>, PCollection<DeadLetter>> listedWindowsSink;
  /** The polling read's fetch plan, or null (fetch every listed call). */
  private final @Nullable PlanFetches plan;
  /** When set, each input window is split into sub-windows of this length in the keyed stage. */
  private java.time.@Nullable Duration splitInside;

  ListAndFetchCalls(GongClientFactory clients, int maxCallIdsPerRequest,
      RetryPolicy missingDetailsRetry, java.time.Duration maxBuffering,
      java.util.List<String> extraCallIds,
      @Nullable PTransform<PCollection<ListedWindow>, PCollection<DeadLetter>> listedWindowsSink,
      @Nullable PlanFetches plan) {
    if (maxCallIdsPerRequest < 1) {
      throw new IllegalArgumentException("maxCallIdsPerRequest must be >= 1");
    }
    this.clients = clients;
    this.maxCallIdsPerRequest = maxCallIdsPerRequest;
    this.missingDetailsRetry = missingDetailsRetry;
    this.maxBuffering = maxBuffering;
    this.extraCallIds = java.util.List.copyOf(extraCallIds);
    this.listedWindowsSink = listedWindowsSink;
    this.plan = plan;
  }

  /**
   * Splits each input window into sub-windows of {@code listWindow} inside the keyed stage, which
   * lists them in one go (the stream's polls: a poll's ids then fill one batch), instead of
   * expecting windows split upstream.
   */
  ListAndFetchCalls splittingInside(java.time.Duration listWindow) {
    this.splitInside = listWindow;
    return this;
  }

  @Override
  public StageResult<FetchedCall> expand(PCollection<TimeWindow> windows) {
    boolean unbounded = windows.isBounded() == PCollection.IsBounded.UNBOUNDED;
    String tenant = clients.tenantKey();
    CallGongFn callGong = new CallGongFn(clients,
        new ListCallsFn(clients, maxCallIdsPerRequest, UNUSED_BATCHES, UNUSED_DEADLETTERS,
            LISTED_OUT),
        new FetchCallsFn(clients, missingDetailsRetry, FETCHED_OUT, FETCH_DEADLETTER_OUT),
        maxCallIdsPerRequest, unbounded ? maxBuffering : null, FETCHED_OUT, FETCH_DEADLETTER_OUT,
        LISTED_OUT, plan, splitInside);
    PCollectionTuple fetched =
        windows
            .apply("KeyByTenant", WithKeys.of(tenant))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), SerializableCoder.of(TimeWindow.class)))
            .apply("CallGong",
                ParDo.of(callGong)
                    .withOutputTags(FETCHED_OUT,
                        TupleTagList.of(FETCH_DEADLETTER_OUT).and(LISTED_OUT)));
    fetched.get(FETCHED_OUT).setCoder(SerializableCoder.of(FetchedCall.class));
    fetched.get(LISTED_OUT).setCoder(SerializableCoder.of(ListedWindow.class));
    // One coder for every dead-letter collection: Flink's union refuses to flatten two coders.
    fetched.get(FETCH_DEADLETTER_OUT).setCoder(DeadLetterCoder.of());
    PCollection<FetchedCall> calls = fetched.get(FETCHED_OUT);
    PCollection<DeadLetter> failures = fetched.get(FETCH_DEADLETTER_OUT);
    if (!extraCallIds.isEmpty()) {
      // Retried ids (the retry queue's, --retryCallIds) were listed by earlier runs: one batch,
      // fetched once at the start of a bounded run beside the keyed stage (a handful of
      // requests), stamped with a nominal one-second window at the epoch.
      java.time.Instant epoch = java.time.Instant.EPOCH;
      PCollectionTuple retried = windows.getPipeline()
          .apply("RetryCallIds", org.apache.beam.sdk.transforms.Create.of(new CallIdBatch(
                  new TimeWindow(epoch, epoch.plusSeconds(1)), extraCallIds))
              .withCoder(SerializableCoder.of(CallIdBatch.class)))
          .apply("FetchRetriedCalls",
              ParDo.of(new FetchCallsFn(clients, missingDetailsRetry, FETCHED_OUT,
                      FETCH_DEADLETTER_OUT))
                  .withOutputTags(FETCHED_OUT, TupleTagList.of(FETCH_DEADLETTER_OUT)));
      retried.get(FETCHED_OUT).setCoder(SerializableCoder.of(FetchedCall.class));
      retried.get(FETCH_DEADLETTER_OUT).setCoder(DeadLetterCoder.of());
      calls = org.apache.beam.sdk.values.PCollectionList.of(calls).and(retried.get(FETCHED_OUT))
          .apply("ListedAndRetried", org.apache.beam.sdk.transforms.Flatten.pCollections());
      failures = org.apache.beam.sdk.values.PCollectionList.of(failures)
          .and(retried.get(FETCH_DEADLETTER_OUT))
          .apply("ListedAndRetriedFailures", org.apache.beam.sdk.transforms.Flatten.pCollections());
    }
    if (listedWindowsSink != null) {
      // Completely listed windows only (e.g. DetectDeletedCalls); its failures are dead letters.
      failures = org.apache.beam.sdk.values.PCollectionList.of(failures)
          .and(fetched.get(LISTED_OUT).apply("SweepListedWindows", listedWindowsSink))
          .apply("CollectListedWindowDeadLetters",
              org.apache.beam.sdk.transforms.Flatten.pCollections());
    }
    PCollection<FetchedCall> spread =
        calls
            .apply("SpreadFetchedCalls",
                Reshuffle.<FetchedCall>viaRandomKey().withNumBuckets(SPREAD_BUCKETS))
            .setCoder(SerializableCoder.of(FetchedCall.class));
    return StageResult.of(spread, failures);
  }
}
