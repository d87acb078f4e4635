package com.gongpipeline.transforms;

import com.gongpipeline.errors.DeadLetter;
import com.gongpipeline.errors.RetryPolicy;
import com.gongpipeline.errors.StageResult;
import com.gongpipeline.gong.GongClientFactory;
import com.gongpipeline.model.CallIdBatch;
import com.gongpipeline.model.FetchedCall;
import com.gongpipeline.model.TimeWindow;
import com.gongpipeline.planner.PlanFetches;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The part of {@link GongIO.ReadCalls} shared by backfill and streaming: windows in, fetched calls
 * and dead letters out. Lists each window ({@code ListCallIds}), re-batches the ids to full
 * requests across windows ({@code BatchAcrossSubWindows}, see {@link BatchCallIdsAcrossWindows}),
 * spreads the batches ({@code SpreadBatches}), fetches details and transcripts ({@code
 * FetchDetailsAndTranscripts}); a polling read plans between listing and re-batching ({@code
 * PlanFetches}, see {@link PlanFetches}). Made by {@link GongIO.ReadCalls#listAndFetch()}.
 */
public final class ListAndFetchCalls
    extends PTransform<PCollection<TimeWindow>, StageResult<FetchedCall>> {
  /** Calls fetched with details and transcript. */
  public static final TupleTag<FetchedCall> FETCHED_OUT = new TupleTag<>() {};
  /** Batches or calls that could not be fetched. */
  public static final TupleTag<DeadLetter> FETCH_DEADLETTER_OUT = new TupleTag<>() {};

  private static final TupleTag<CallIdBatch> BATCH_OUT = new TupleTag<>() {};
  private static final TupleTag<DeadLetter> LIST_DEADLETTER_OUT = new TupleTag<>() {};

  private final GongClientFactory clients;
  private final int maxCallIdsPerRequest;
  private final RetryPolicy missingDetailsRetry;
  private final java.time.Duration maxBuffering;
  private final @Nullable PlanFetches plan;

  ListAndFetchCalls(GongClientFactory clients, int maxCallIdsPerRequest,
      RetryPolicy missingDetailsRetry, java.time.Duration maxBuffering,
      @Nullable PlanFetches plan) {
    this.clients = clients;
    this.maxCallIdsPerRequest = maxCallIdsPerRequest;
    this.missingDetailsRetry = missingDetailsRetry;
    this.maxBuffering = maxBuffering;
    this.plan = plan;
  }

  @Override
  public StageResult<FetchedCall> expand(PCollection<TimeWindow> windows) {
    PCollectionTuple listed =
        windows.apply(
            "ListCallIds",
            ParDo.of(new ListCallsFn(clients, maxCallIdsPerRequest, BATCH_OUT, LIST_DEADLETTER_OUT))
                .withOutputTags(BATCH_OUT, TupleTagList.of(LIST_DEADLETTER_OUT)));
    StageResult<CallIdBatch> batches = StageResult.of(listed, BATCH_OUT, LIST_DEADLETTER_OUT);
    PCollection<CallIdBatch> toFetch =
        batches.output().setCoder(SerializableCoder.of(CallIdBatch.class));
    if (plan != null) {
      // Polling: only new, unstored or due calls go on to be fetched (see PlanFetches).
      toFetch = toFetch.apply("PlanFetches", plan);
    }
    PCollectionTuple fetched =
        toFetch
            .apply("BatchAcrossSubWindows",
                new BatchCallIdsAcrossWindows(maxCallIdsPerRequest, maxBuffering))
            .apply("SpreadBatches", Reshuffle.viaRandomKey())
            .apply(
                "FetchDetailsAndTranscripts",
                ParDo.of(new FetchCallsFn(clients, missingDetailsRetry, FETCHED_OUT,
                        FETCH_DEADLETTER_OUT))
                    .withOutputTags(FETCHED_OUT, TupleTagList.of(FETCH_DEADLETTER_OUT)));
    StageResult<FetchedCall> result = StageResult.of(fetched, FETCHED_OUT, FETCH_DEADLETTER_OUT);
    result.output().setCoder(SerializableCoder.of(FetchedCall.class));
    return result.withMoreDeadLetters("CollectDeadLetters", batches.deadLetters());
  }
}
