package com.gongpipeline.transforms;

import com.gongpipeline.errors.DeadLetter;
import com.gongpipeline.errors.DeadLetterCoder;
import com.gongpipeline.errors.DeadLetterStage;
import com.gongpipeline.metrics.MetricNames;
import com.gongpipeline.model.ListedWindow;
import com.gongpipeline.warehouse.Warehouse;
import com.gongpipeline.warehouse.WarehouseProvider;
import java.time.Instant;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.transforms.Flatten;

/**
 * Calls that became private or were deleted in Gong: fed the windows Gong listed COMPLETELY
 * ({@link ListedWindow}, see {@link GongIO.ReadCalls#withListedWindowsTo}), finds the stored calls
 * of each window that Gong no longer lists ({@code FindVanishedCalls}, {@link
 * com.gongpipeline.warehouse.WarehouseCallLifecycle#vanishedCalls}) and removes each one ({@code
 * RemoveVanishedCalls}): its AI_MEMORY chunks and STG turns are deleted and its STG_GONG_CALLS row
 * is flagged {@code IS_DELETED} with {@code DELETED_AT}, as Gong's own data share does. A call that
 * reappears is restored by its next normal MERGE. Failures are {@code delete_calls} dead letters.
 *
 * <p>Safe by construction: a window that failed to list, or was cut short by a quota pause, is
 * never a {@link ListedWindow}, so it deletes nothing.
 */
public final class DetectDeletedCalls
    extends PTransform<PCollection<ListedWindow>, PCollection<DeadLetter>> {
  private static final TupleTag<String> VANISHED = new TupleTag<>() {};
  private static final TupleTag<DeadLetter> FIND_FAILED = new TupleTag<>() {};

  private final WarehouseProvider warehouse;
  private final String jobId;

  public DetectDeletedCalls(WarehouseProvider warehouse, String jobId) {
    this.warehouse = warehouse;
    this.jobId = jobId;
  }

  @Override
  public PCollection<DeadLetter> expand(PCollection<ListedWindow> listed) {
    PCollectionTuple found = listed.apply("FindVanishedCalls",
        ParDo.of(new FindVanishedCallsFn(warehouse))
            .withOutputTags(VANISHED, TupleTagList.of(FIND_FAILED)));
    PCollection<DeadLetter> removeFailed = found.get(VANISHED).setCoder(StringUtf8Coder.of())
        .apply("RemoveVanishedCalls", ParDo.of(new RemoveVanishedCallFn(warehouse, jobId)))
        .setCoder(DeadLetterCoder.of());
    return PCollectionList.of(found.get(FIND_FAILED).setCoder(DeadLetterCoder.of()))
        .and(removeFailed)
        .apply("AllDeleteDeadLetters", Flatten.pCollections())
        .setCoder(DeadLetterCoder.of());
  }

  /** Per completely listed window: the ids of stored calls in it that Gong did not list. */
  static final class FindVanishedCallsFn extends DoFn<ListedWindow, String> {
    private final WarehouseProvider warehouse;
    private final Counter deadLettered = DeadLetterStage.DELETE_CALLS.counter();

    FindVanishedCallsFn(WarehouseProvider warehouse) {
      this.warehouse = warehouse;
    }

    @ProcessElement
    public void process(@Element ListedWindow listed, MultiOutputReceiver out) {
      try (Warehouse wh = warehouse.open()) {
        for (String id : wh.vanishedCalls(listed.window().from(), listed.window().to(),
            listed.callIds())) {
          out.get(VANISHED).output(id);
        }
      } catch (RuntimeException e) {
        deadLettered.inc();
        out.get(FIND_FAILED).output(DeadLetter.of(DeadLetterStage.DELETE_CALLS,
            listed.window().toString(), e, listed.window().toString(), 1));
      }
    }
  }

  /** Removes one vanished call (chunks, turns, then the STG flag); counts what it flipped. */
  static final class RemoveVanishedCallFn extends DoFn<String, DeadLetter> {
    private final WarehouseProvider warehouse;
    private final String jobId;
    private final Counter deleted = MetricNames.CALLS_DELETED.counter();
    private final Counter deadLettered = DeadLetterStage.DELETE_CALLS.counter();

    RemoveVanishedCallFn(WarehouseProvider warehouse, String jobId) {
      this.warehouse = warehouse;
      this.jobId = jobId;
    }

    @ProcessElement
    public void process(@Element String callId, OutputReceiver<DeadLetter> out) {
      try (Warehouse wh = warehouse.open()) {
        if (wh.markCallDeleted(callId, jobId, Instant.now())) {
          deleted.inc();
        }
      } catch (RuntimeException e) {
        deadLettered.inc();
        out.output(DeadLetter.of(DeadLetterStage.DELETE_CALLS, callId, e, callId, 1));
      }
    }
  }
}
