package com.gongpipeline.transforms;

import com.gongpipeline.errors.DeadLetter;
import com.gongpipeline.errors.RetryPolicy;
import com.gongpipeline.errors.StageResult;
import com.gongpipeline.gong.GongClientFactory;
import com.gongpipeline.model.CallIdBatch;
import com.gongpipeline.model.FetchedCall;
import com.gongpipeline.model.TimeWindow;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * The part of {@link GongIO.ReadCalls} shared by backfill and streaming: windows in, fetched calls
 * and dead letters out. Lists each window ({@code ListCallIds}), re-batches the ids to full
 * requests across windows ({@code BatchAcrossSubWindows}, see {@link BatchCallIdsAcrossWindows}),
 * spreads the batches ({@code SpreadBatches}), fetches details and transcripts ({@code
 * FetchDetailsAndTranscripts}). Made by {@link GongIO.ReadCalls#listAndFetch()}.
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
  /** Ids fetched besides the listed ones (the retry queue's, {@code --retryCallIds}). */
  private final java.util.List<String> extraCallIds;

  ListAndFetchCalls(GongClientFactory clients, int maxCallIdsPerRequest,
      RetryPolicy missingDetailsRetry, java.time.Duration maxBuffering,
      java.util.List<String> extraCallIds) {
    this.clients = clients;
    this.maxCallIdsPerRequest = maxCallIdsPerRequest;
    this.missingDetailsRetry = missingDetailsRetry;
    this.maxBuffering = maxBuffering;
    this.extraCallIds = java.util.List.copyOf(extraCallIds);
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
    if (!extraCallIds.isEmpty()) {
      // Retried ids join the listed ones (stamped with a nominal one-second window at the epoch:
      // they were listed by earlier runs).
      java.time.Instant epoch = java.time.Instant.EPOCH;
      PCollection<CallIdBatch> extra = windows.getPipeline().apply("RetryCallIds",
          org.apache.beam.sdk.transforms.Create.of(new CallIdBatch(
                  new TimeWindow(epoch, epoch.plusSeconds(1)), extraCallIds))
              .withCoder(SerializableCoder.of(CallIdBatch.class)));
      toFetch = org.apache.beam.sdk.values.PCollectionList.of(toFetch).and(extra)
          .apply("ListedAndRetried", org.apache.beam.sdk.transforms.Flatten.pCollections());
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
