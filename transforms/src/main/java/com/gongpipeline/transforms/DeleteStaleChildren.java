package com.gongpipeline.transforms;

import com.gongpipeline.errors.DeadLetter;
import com.gongpipeline.errors.DeadLetterStage;
import com.gongpipeline.errors.DeadLetterCoder;
import com.gongpipeline.warehouse.ChildKeys;
import com.gongpipeline.warehouse.Warehouse;
import com.gongpipeline.warehouse.WarehouseProvider;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/**
 * Deletes child rows left over from an older version of a call (a chunk, turn, party or topic the
 * call no longer has). New rows always carry keys in the keep-set, so this never races with the
 * MERGE that writes them; failures become {@code replace_children} dead letters.
 */
public final class DeleteStaleChildren
    extends PTransform<PCollection<ChildKeys>, PCollection<DeadLetter>> {
  private final WarehouseProvider warehouse;

  public DeleteStaleChildren(WarehouseProvider warehouse) {
    this.warehouse = warehouse;
  }

  @Override
  public PCollection<DeadLetter> expand(PCollection<ChildKeys> sets) {
    return sets.apply("DeleteRowsNotInKeySet", ParDo.of(new DeleteFn(warehouse)))
        .setCoder(DeadLetterCoder.of());
  }

  static final class DeleteFn extends DoFn<ChildKeys, DeadLetter> {
    private final WarehouseProvider warehouse;
    private final Counter deleted = Metrics.counter("warehouse", "stale_children_deleted");
    private final Counter deadLettered = DeadLetterStage.REPLACE_CHILDREN.counter();
    DeleteFn(WarehouseProvider warehouse) {
      this.warehouse = warehouse;
    }

    @ProcessElement
    public void process(@Element ChildKeys keys, OutputReceiver<DeadLetter> out) {
      // Opened per element: the job must not hold an embedded database file between writes.
      // The warehouse retries transient failures itself; what still fails is a dead letter.
      try (Warehouse wh = warehouse.open()) {
        deleted.inc(wh.deleteStaleChildren(keys));
      } catch (RuntimeException e) {
        deadLettered.inc();
        out.output(DeadLetter.of(DeadLetterStage.REPLACE_CHILDREN,
            keys.table().qualifiedName() + ":" + keys.parentId(), e,
            String.join(",", keys.keepKeys()), 1));
      }
    }
  }
}
