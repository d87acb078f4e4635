package com.gongpipeline.transforms;

import com.gongpipeline.errors.DeadLetter;
import com.gongpipeline.errors.DeadLetterCoder;
import com.gongpipeline.errors.StageResult;
import com.gongpipeline.warehouse.WarehouseProvider;
import com.gongpipeline.warehouse.WarehouseRow;
import com.gongpipeline.warehouse.WarehouseRowCoder;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupIntoBatches;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTagList;
import org.joda.time.Duration;

/**
 * Writes rows to the warehouse with one bulk, idempotent MERGE per batch and table. Rows are
 * grouped per table into batches of up to {@code batchSize} (or whatever arrived within
 * {@code maxBuffering}, so streaming pipelines flush too). Rows that cannot be written come back
 * as dead letters.
 */
public final class WriteToWarehouse
    extends PTransform<PCollection<WarehouseRow>, PCollection<DeadLetter>> {
  private final WarehouseProvider warehouse;
  private final int batchSize;
  private final Duration maxBuffering;

  public WriteToWarehouse(WarehouseProvider warehouse, int batchSize, Duration maxBuffering) {
    this.warehouse = warehouse;
    this.batchSize = batchSize;
    this.maxBuffering = maxBuffering;
  }

  @Override
  public PCollection<DeadLetter> expand(PCollection<WarehouseRow> rows) {
    return merge(rows, false).get(MergeBatchFn.DEAD_LETTERS).setCoder(DeadLetterCoder.of());
  }

  /**
   * The same write, also reporting per MERGE batch which calls' rows were committed and which
   * failed ({@link CallWrites}): the output; the dead letters are the same as {@link #expand}'s.
   */
  public PTransform<PCollection<WarehouseRow>, StageResult<CallWrites>> reportingCallWrites() {
    WriteToWarehouse write = this;
    return new PTransform<>() {
      @Override
      public StageResult<CallWrites> expand(PCollection<WarehouseRow> rows) {
        PCollectionTuple out = write.merge(rows, true);
        return StageResult.of(out, MergeBatchFn.CALL_WRITES, MergeBatchFn.DEAD_LETTERS);
      }
    };
  }

  private PCollectionTuple merge(PCollection<WarehouseRow> rows, boolean reportCallWrites) {
    PCollectionTuple out = rows.apply("KeyByTableAsBytes", ParDo.of(new KeyByTableAsBytesFn()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), ByteArrayCoder.of()))
        .apply(
            "BatchPerTable",
            GroupIntoBatches.<String, byte[]>ofSize(batchSize)
                .withMaxBufferingDuration(maxBuffering))
        .apply("MergeBatches", ParDo.of(new MergeBatchFn(warehouse, reportCallWrites))
            .withOutputTags(MergeBatchFn.DEAD_LETTERS, TupleTagList.of(MergeBatchFn.CALL_WRITES)));
    out.get(MergeBatchFn.CALL_WRITES).setCoder(SerializableCoder.of(CallWrites.class));
    return out;
  }

  /**
   * Keys each row by its table and encodes it once ({@link WarehouseRowCoder}), so the batches
   * buffer bytes: a runner that copies buffered state through its coder (the DirectRunner copies
   * a key's whole bag on every bundle that touches it) then copies arrays instead of decoding
   * every buffered row again (a fifth of the DirectRunner workers' Java samples in a backfill).
   * {@link MergeBatchFn} decodes each row once.
   */
  static final class KeyByTableAsBytesFn extends DoFn<WarehouseRow, KV<String, byte[]>> {
    @ProcessElement
    public void process(@Element WarehouseRow row, OutputReceiver<KV<String, byte[]>> out)
        throws CoderException {
      out.output(KV.of(row.table().name(), CoderUtils.encodeToByteArray(WarehouseRowCoder.of(),
          row)));
    }
  }
}
