package com.gongpipeline.transforms;

import com.gongpipeline.errors.DeadLetter;
import com.gongpipeline.errors.StageResult;
import com.gongpipeline.gong.GongClientConfig;
import com.gongpipeline.model.CallIdBatch;
import com.gongpipeline.model.FetchedCall;
import com.gongpipeline.model.TimeWindow;
import java.time.Duration;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.FlatMapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * Reads every (non-private) call whose start lies in a window, with its details and transcript:
 *
 * <ol>
 *   <li>split the window into sub-windows so listing parallelises;
 *   <li>list call ids per sub-window ({@code GET /v2/calls}, all pages) in batches of ≤100;
 *   <li>spread the batches across workers;
 *   <li>fetch {@code /v2/calls/extensive} and {@code /v2/calls/transcript} per batch.
 * </ol>
 *
 * <p>Listing or fetching failures become dead letters that name the window or call ids, so a
 * re-run of exactly that range can recover them.
 */
public final class ReadGongCalls extends PTransform<PBegin, StageResult<FetchedCall>> {
  /** Calls fetched with details and transcript. */
  public static final TupleTag<FetchedCall> FETCHED_OUT = new TupleTag<>() {};
  /** Windows or batches that could not be listed or fetched. */
  public static final TupleTag<DeadLetter> FETCH_DEADLETTER_OUT = new TupleTag<>() {};

  private final GongClientConfig config;
  private final TimeWindow window;
  private final Duration subWindow;

  public ReadGongCalls(GongClientConfig config, TimeWindow window, Duration subWindow) {
    this.config = config;
    this.window = window;
    this.subWindow = subWindow;
  }

  @Override
  public StageResult<FetchedCall> expand(PBegin begin) {
    PCollection<TimeWindow> windows =
        begin
            .apply("Window", Create.of(window).withCoder(SerializableCoder.of(TimeWindow.class)))
            .apply(
                "SplitIntoSubWindows",
                FlatMapElements.into(TypeDescriptor.of(TimeWindow.class))
                    .via((TimeWindow w) -> w.split(subWindow)))
            .setCoder(SerializableCoder.of(TimeWindow.class))
            .apply("SpreadSubWindows", Reshuffle.viaRandomKey());
    return windows.apply("ListAndFetch", new ListAndFetchCalls(config));
  }

  /**
   * The part of the read shared by backfill and streaming: windows in, fetched calls out. Streaming
   * feeds it windows from a periodic poll; backfill from a fixed range.
   */
  public static final class ListAndFetchCalls
      extends PTransform<PCollection<TimeWindow>, StageResult<FetchedCall>> {
    private static final TupleTag<CallIdBatch> BATCH_OUT = new TupleTag<>() {};
    private static final TupleTag<DeadLetter> LIST_DEADLETTER_OUT = new TupleTag<>() {};

    private final GongClientConfig config;

    public ListAndFetchCalls(GongClientConfig config) {
      this.config = config;
    }

    @Override
    public StageResult<FetchedCall> expand(PCollection<TimeWindow> windows) {
      PCollectionTuple listed =
          windows.apply(
              "ListCallIds",
              ParDo.of(new ListCallsFn(config, BATCH_OUT, LIST_DEADLETTER_OUT))
                  .withOutputTags(BATCH_OUT, TupleTagList.of(LIST_DEADLETTER_OUT)));
      StageResult<CallIdBatch> batches = StageResult.of(listed, BATCH_OUT, LIST_DEADLETTER_OUT);
      PCollectionTuple fetched =
          batches
              .output()
              .setCoder(SerializableCoder.of(CallIdBatch.class))
              .apply("SpreadBatches", Reshuffle.viaRandomKey())
              .apply(
                  "FetchDetailsAndTranscripts",
                  ParDo.of(new FetchCallsFn(config, FETCHED_OUT, FETCH_DEADLETTER_OUT))
                      .withOutputTags(FETCHED_OUT, TupleTagList.of(FETCH_DEADLETTER_OUT)));
      StageResult<FetchedCall> result = StageResult.of(fetched, FETCHED_OUT, FETCH_DEADLETTER_OUT);
      result.output().setCoder(SerializableCoder.of(FetchedCall.class));
      return result.withMoreDeadLetters("CollectDeadLetters", batches.deadLetters());
    }
  }
}
