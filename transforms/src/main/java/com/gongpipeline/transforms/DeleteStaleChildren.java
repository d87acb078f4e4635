package com.gongpipeline.transforms;

import com.gongpipeline.errors.DeadLetter;
import com.gongpipeline.errors.DeadLetterCoder;
import com.gongpipeline.errors.DeadLetterStage;
import com.gongpipeline.warehouse.ChildKeys;
import com.gongpipeline.warehouse.Warehouse;
import com.gongpipeline.warehouse.WarehouseProvider;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupIntoBatches;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;

/**
 * Deletes child rows left over from an older version of a call (a chunk, turn, party or topic the
 * call no longer has). New rows always carry keys in the keep-set, so this never races with the
 * MERGE that writes them; failures become {@code replace_children} dead letters.
 *
 * <p>Key sets are grouped per table into batches of up to {@code batchSize} calls (or whatever
 * arrived within {@code maxBuffering}, so streaming pipelines flush too) and each batch is one
 * DELETE per table ({@link Warehouse#deleteStaleChildren(List)}): one scan of a table per batch
 * instead of one per call, which made a backfill's cost per call grow with the table. A batch that
 * fails is retried one call at a time, so only the calls that cannot be done are dead letters.
 */
public final class DeleteStaleChildren
    extends PTransform<PCollection<ChildKeys>, PCollection<DeadLetter>> {
  /** Calls per batch when not given. */
  public static final int DEFAULT_BATCH_SIZE = 100;
  /** Longest wait for a batch to fill when not given. */
  public static final Duration DEFAULT_MAX_BUFFERING = Duration.standardSeconds(5);

  private final WarehouseProvider warehouse;
  private final int batchSize;
  private final Duration maxBuffering;

  public DeleteStaleChildren(WarehouseProvider warehouse) {
    this(warehouse, DEFAULT_BATCH_SIZE, DEFAULT_MAX_BUFFERING);
  }

  public DeleteStaleChildren(WarehouseProvider warehouse, int batchSize, Duration maxBuffering) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be at least 1, was " + batchSize);
    }
    this.warehouse = warehouse;
    this.batchSize = batchSize;
    this.maxBuffering = maxBuffering;
  }

  @Override
  public PCollection<DeadLetter> expand(PCollection<ChildKeys> sets) {
    return sets
        .apply("KeyByTable", WithKeys.of((ChildKeys k) -> k.table().name())
            .withKeyType(TypeDescriptors.strings()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), SerializableCoder.of(ChildKeys.class)))
        .apply("BatchPerTable", GroupIntoBatches.<String, ChildKeys>ofSize(batchSize)
            .withMaxBufferingDuration(maxBuffering))
        .apply("DeleteRowsNotInKeySets", ParDo.of(new DeleteFn(warehouse)))
        .setCoder(DeadLetterCoder.of());
  }

  static final class DeleteFn extends DoFn<KV<String, Iterable<ChildKeys>>, DeadLetter> {
    private final WarehouseProvider warehouse;
    private final Counter deleted = Metrics.counter("warehouse", "stale_children_deleted");
    private final Counter isolated = Metrics.counter("warehouse", "stale_children_batches_isolated");
    private final Counter deadLettered = DeadLetterStage.REPLACE_CHILDREN.counter();

    DeleteFn(WarehouseProvider warehouse) {
      this.warehouse = warehouse;
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<ChildKeys>> batch,
        OutputReceiver<DeadLetter> out) {
      List<ChildKeys> sets = new ArrayList<>();
      batch.getValue().forEach(sets::add);
      // The warehouse retries transient failures itself; what still fails is retried per call,
      // and what fails alone is a dead letter.
      try (Warehouse wh = warehouse.open()) {
        try {
          deleted.inc(wh.deleteStaleChildren(sets));
          return;
        } catch (RuntimeException e) {
          isolated.inc();
        }
        for (ChildKeys keys : sets) {
          try {
            deleted.inc(wh.deleteStaleChildren(keys));
          } catch (RuntimeException e) {
            deadLetter(keys, e, out);
          }
        }
      } catch (RuntimeException e) { // the warehouse could not be opened
        for (ChildKeys keys : sets) {
          deadLetter(keys, e, out);
        }
      }
    }

    private void deadLetter(ChildKeys keys, RuntimeException e, OutputReceiver<DeadLetter> out) {
      deadLettered.inc();
      out.output(DeadLetter.of(DeadLetterStage.REPLACE_CHILDREN,
          keys.table().qualifiedName() + ":" + keys.parentId(), e,
          String.join(",", keys.keepKeys()), 1));
    }
  }
}
