package com.gongpipeline.transforms;

import com.gongpipeline.model.CallIdBatch;
import com.gongpipeline.model.TimeWindow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupIntoBatches;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * Re-batches listed call ids to full requests ACROSS sub-windows: a sub-window exists for listing
 * and parallelism, not as a batch boundary, so thirty one-day sub-windows of nine calls become three
 * details requests of up to 100 ids instead of thirty small ones (and as many transcript requests).
 *
 * <p>All ids go through one key ({@code GroupIntoBatches} of {@code maxCallIdsPerRequest}): Gong's
 * budget is per company and at most 3 requests/s, so fetching is I/O-bound and one batching key
 * costs no throughput; the batches are spread across workers afterwards ({@code SpreadBatches}).
 * On bounded input the last, partial batch is emitted when the input ends. On unbounded input
 * (the stream) a batch is also emitted {@code maxBuffering} after its first id, so latency stays
 * bounded; batches never span Beam windows, and the watermark is held by the buffered ids.
 *
 * <p>A batch's {@link CallIdBatch#window()} is the span of the sub-windows its ids were listed in.
 * Ids within a batch are sorted, so a dead letter's payload (the batch) reads the same on every
 * runner.
 */
final class BatchCallIdsAcrossWindows
    extends PTransform<PCollection<CallIdBatch>, PCollection<CallIdBatch>> {
  /** How long the stream lets a partial batch wait for more ids before fetching it. */
  static final Duration DEFAULT_MAX_BUFFERING = Duration.ofSeconds(5);

  /** The one batching key: Gong's limits are per company. */
  private static final int ONE_KEY = 0;

  private final int maxCallIdsPerRequest;
  private final Duration maxBuffering;

  BatchCallIdsAcrossWindows(int maxCallIdsPerRequest, Duration maxBuffering) {
    if (maxCallIdsPerRequest < 1) {
      throw new IllegalArgumentException("maxCallIdsPerRequest must be >= 1");
    }
    this.maxCallIdsPerRequest = maxCallIdsPerRequest;
    this.maxBuffering = maxBuffering;
  }

  @Override
  public PCollection<CallIdBatch> expand(PCollection<CallIdBatch> listed) {
    GroupIntoBatches<Integer, KV<String, TimeWindow>> group =
        GroupIntoBatches.ofSize(maxCallIdsPerRequest);
    if (listed.isBounded() == PCollection.IsBounded.UNBOUNDED) {
      group = group.withMaxBufferingDuration(org.joda.time.Duration.millis(maxBuffering.toMillis()));
    }
    return listed
        .apply("KeyCallIds", ParDo.of(new KeyCallIdsFn()))
        .setCoder(KvCoder.of(VarIntCoder.of(), KvCoder.of(StringUtf8Coder.of(),
            SerializableCoder.of(TimeWindow.class))))
        .apply("GroupIntoFullBatches", group)
        .apply("ToCallIdBatches", ParDo.of(new ToCallIdBatchFn()))
        .setCoder(SerializableCoder.of(CallIdBatch.class));
  }

  /** One element per listed id, with the sub-window it was listed in. */
  static final class KeyCallIdsFn extends DoFn<CallIdBatch, KV<Integer, KV<String, TimeWindow>>> {
    @ProcessElement
    public void process(@Element CallIdBatch batch,
        OutputReceiver<KV<Integer, KV<String, TimeWindow>>> out) {
      for (String id : batch.callIds()) {
        out.output(KV.of(ONE_KEY, KV.of(id, batch.window())));
      }
    }
  }

  /** A group of ids back into a {@link CallIdBatch} spanning their sub-windows. */
  static final class ToCallIdBatchFn
      extends DoFn<KV<Integer, Iterable<KV<String, TimeWindow>>>, CallIdBatch> {
    @ProcessElement
    public void process(@Element KV<Integer, Iterable<KV<String, TimeWindow>>> group,
        OutputReceiver<CallIdBatch> out) {
      List<String> ids = new ArrayList<>();
      Instant from = null;
      Instant to = null;
      for (KV<String, TimeWindow> listed : group.getValue()) {
        ids.add(listed.getKey());
        TimeWindow w = listed.getValue();
        from = from == null || w.from().isBefore(from) ? w.from() : from;
        to = to == null || w.to().isAfter(to) ? w.to() : to;
      }
      if (ids.isEmpty()) {
        return;
      }
      ids.sort(null);
      out.output(new CallIdBatch(new TimeWindow(from, to), List.copyOf(ids)));
    }
  }
}
