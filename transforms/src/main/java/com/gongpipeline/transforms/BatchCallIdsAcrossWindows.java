package com.gongpipeline.transforms;

import com.gongpipeline.model.CallIdBatch;
import com.gongpipeline.model.TimeWindow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.InstantCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.state.BagState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Re-batches listed call ids to full requests ACROSS sub-windows: a sub-window exists for listing
 * and parallelism, not as a batch boundary, so thirty one-day sub-windows of nine calls become three
 * details requests of up to 100 ids instead of thirty small ones (and as many transcript requests).
 *
 * <p>All ids go through one key (batches of {@code maxCallIdsPerRequest}, {@link BatchFn}): Gong's
 * budget is per company and at most 3 requests/s, so fetching is I/O-bound and one batching key
 * costs no throughput; the batches are spread across workers afterwards ({@code SpreadBatches}).
 * On bounded input the last, partial batch is emitted when the input ends. On unbounded input
 * (the stream) a batch is also emitted {@code maxBuffering} after its first id, so latency stays
 * bounded; batches never span Beam windows, a batch carries its earliest id's timestamp and the
 * watermark is held there while ids are buffered.
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
    boolean unbounded = listed.isBounded() == PCollection.IsBounded.UNBOUNDED;
    return listed
        .apply("KeyCallIds", ParDo.of(new KeyCallIdsFn()))
        .setCoder(KvCoder.of(VarIntCoder.of(), KvCoder.of(StringUtf8Coder.of(),
            SerializableCoder.of(TimeWindow.class))))
        .apply("GroupIntoFullBatches",
            ParDo.of(new BatchFn(maxCallIdsPerRequest, unbounded ? maxBuffering : null)))
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

  /**
   * Buffers ids per key and Beam window and emits a batch when it is full, when the window ends
   * (bounded input: at the end) or, if {@code maxBuffering} is set, that long after its first id.
   * A batch is timestamped with its earliest id's timestamp, and an event-time timer holds the
   * watermark there while ids are buffered, so no id becomes late downstream by waiting here.
   * (Beam's {@code GroupIntoBatches} emits a batch flushed at the end of the global window at that
   * window's end, which made every call of a finished stream late.)
   */
  static final class BatchFn extends DoFn<KV<Integer, KV<String, TimeWindow>>, CallIdBatch> {
    private final int size;
    private final @Nullable Duration maxBuffering;

    @StateId("buffer")
    private final StateSpec<BagState<KV<String, TimeWindow>>> bufferSpec =
        StateSpecs.bag(KvCoder.of(StringUtf8Coder.of(), SerializableCoder.of(TimeWindow.class)));

    @StateId("count")
    private final StateSpec<ValueState<Integer>> countSpec = StateSpecs.value(VarIntCoder.of());

    @StateId("minTimestamp")
    private final StateSpec<ValueState<org.joda.time.Instant>> minSpec =
        StateSpecs.value(InstantCoder.of());

    @TimerId("windowEnd")
    private final TimerSpec windowEndSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    @TimerId("buffering")
    private final TimerSpec bufferingSpec = TimerSpecs.timer(TimeDomain.PROCESSING_TIME);

    BatchFn(int size, @Nullable Duration maxBuffering) {
      this.size = size;
      this.maxBuffering = maxBuffering;
    }

    @ProcessElement
    public void process(@Element KV<Integer, KV<String, TimeWindow>> element,
        @Timestamp org.joda.time.Instant timestamp, BoundedWindow window,
        @StateId("buffer") BagState<KV<String, TimeWindow>> buffer,
        @StateId("count") ValueState<Integer> count,
        @StateId("minTimestamp") ValueState<org.joda.time.Instant> minTimestamp,
        @TimerId("windowEnd") Timer windowEnd, @TimerId("buffering") Timer buffering,
        OutputReceiver<CallIdBatch> out) {
      buffer.add(element.getValue());
      Integer before = count.read();
      int n = (before == null ? 0 : before) + 1;
      org.joda.time.Instant min = minTimestamp.read();
      if (min == null || timestamp.isBefore(min)) {
        min = timestamp;
        minTimestamp.write(min);
      }
      if (n >= size) {
        flush(buffer, count, minTimestamp, windowEnd, buffering, out);
        return;
      }
      count.write(n);
      windowEnd.withOutputTimestamp(min).set(window.maxTimestamp());
      if (n == 1 && maxBuffering != null) {
        buffering.withOutputTimestamp(min)
            .offset(org.joda.time.Duration.millis(maxBuffering.toMillis())).setRelative();
      }
    }

    @OnTimer("windowEnd")
    public void onWindowEnd(@StateId("buffer") BagState<KV<String, TimeWindow>> buffer,
        @StateId("count") ValueState<Integer> count,
        @StateId("minTimestamp") ValueState<org.joda.time.Instant> minTimestamp,
        @TimerId("windowEnd") Timer windowEnd, @TimerId("buffering") Timer buffering,
        OutputReceiver<CallIdBatch> out) {
      flush(buffer, count, minTimestamp, windowEnd, buffering, out);
    }

    @OnTimer("buffering")
    public void onBuffering(@StateId("buffer") BagState<KV<String, TimeWindow>> buffer,
        @StateId("count") ValueState<Integer> count,
        @StateId("minTimestamp") ValueState<org.joda.time.Instant> minTimestamp,
        @TimerId("windowEnd") Timer windowEnd, @TimerId("buffering") Timer buffering,
        OutputReceiver<CallIdBatch> out) {
      flush(buffer, count, minTimestamp, windowEnd, buffering, out);
    }

    private static void flush(BagState<KV<String, TimeWindow>> buffer, ValueState<Integer> count,
        ValueState<org.joda.time.Instant> minTimestamp, Timer windowEnd, Timer buffering,
        OutputReceiver<CallIdBatch> out) {
      List<String> ids = new ArrayList<>();
      Instant from = null;
      Instant to = null;
      for (KV<String, TimeWindow> listed : buffer.read()) {
        ids.add(listed.getKey());
        TimeWindow w = listed.getValue();
        from = from == null || w.from().isBefore(from) ? w.from() : from;
        to = to == null || w.to().isAfter(to) ? w.to() : to;
      }
      org.joda.time.Instant min = minTimestamp.read();
      buffer.clear();
      count.clear();
      minTimestamp.clear();
      windowEnd.clear();
      buffering.clear();
      if (ids.isEmpty() || min == null) {
        return;
      }
      ids.sort(null);
      out.outputWithTimestamp(new CallIdBatch(new TimeWindow(from, to), List.copyOf(ids)), min);
    }

    /** A batch goes out at its earliest id's timestamp, which may precede the current element's. */
    @Override
    public org.joda.time.Duration getAllowedTimestampSkew() {
      return org.joda.time.Duration.millis(Long.MAX_VALUE);
    }
  }
}
