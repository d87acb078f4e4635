package com.gongpipeline.transforms;

import com.gongpipeline.planner.PlanFetches;
import com.gongpipeline.model.ListedWindow;
import com.gongpipeline.errors.DeadLetter;
import com.gongpipeline.gong.GongClientFactory;
import com.gongpipeline.model.CallIdBatch;
import com.gongpipeline.model.FetchedCall;
import com.gongpipeline.model.TimeWindow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.InstantCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.state.BagState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TupleTag;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The one keyed stage that does all Gong call requests of a tenant: its input is keyed by the
 * tenant ({@link GongClientFactory#tenantKey()}), and a stateful DoFn processes one key on one
 * worker at a time, so the configured requests/s (the client's JVM-wide limiter) holds for the
 * whole job on any runner and parallelism. Gong allows a company 3 requests/s, so this stage is
 * I/O-bound whatever its parallelism; parsing, chunking and enrichment fan out after it ({@code
 * SpreadFetchedCalls}).
 *
 * <p>For each window: list its call ids ({@link ListCallsFn#list}), buffer them ACROSS windows
 * and fetch details and transcripts ({@link FetchCallsFn#fetch}) whenever {@code
 * maxCallIdsPerRequest} ids are buffered; a sub-window is for listing, not a batch boundary. The
 * last, partial batch is fetched when the Beam window ends (bounded input: at the end) or, on
 * unbounded input, {@code maxBuffering} after its first id, so stream latency stays bounded.
 * Fetched calls and dead letters carry the earliest buffered id's timestamp, and an event-time
 * timer holds the watermark there while ids wait. Ids within a batch are sorted, so a dead
 * letter's payload reads the same on every runner.
 */
final class CallGongFn extends GongClientFn<KV<String, TimeWindow>, FetchedCall> {
  private final ListCallsFn lister;
  private final FetchCallsFn fetcher;
  private final int size;
  private final @Nullable Duration maxBuffering;
  private final TupleTag<FetchedCall> out;
  private final TupleTag<DeadLetter> deadLetters;
  private final TupleTag<ListedWindow> listed;
  private final @Nullable PlanFetches plan;
  /** When set, each input window is split into sub-windows of this length here, and listed in turn. */
  private final @Nullable Duration listWindow;

  @StateId("buffer")
  private final StateSpec<BagState<KV<String, TimeWindow>>> bufferSpec =
      StateSpecs.bag(KvCoder.of(StringUtf8Coder.of(), SerializableCoder.of(TimeWindow.class)));

  @StateId("minTimestamp")
  private final StateSpec<ValueState<org.joda.time.Instant>> minSpec =
      StateSpecs.value(InstantCoder.of());

  @TimerId("windowEnd")
  private final TimerSpec windowEndSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

  @TimerId("buffering")
  private final TimerSpec bufferingSpec = TimerSpecs.timer(TimeDomain.PROCESSING_TIME);

  CallGongFn(GongClientFactory clients, ListCallsFn lister, FetchCallsFn fetcher,
      int maxCallIdsPerRequest, @Nullable Duration maxBuffering, TupleTag<FetchedCall> out,
      TupleTag<DeadLetter> deadLetters, TupleTag<ListedWindow> listed,
      @Nullable PlanFetches plan) {
    this(clients, lister, fetcher, maxCallIdsPerRequest, maxBuffering, out, deadLetters, listed,
        plan, null);
  }

  /**
   * With {@code listWindow}, an input window (the stream's poll) is split into sub-windows here
   * and all of them are listed in one go, so a poll's ids fill one batch: split upstream, a loaded
   * runner could hand the sub-windows over more than {@code maxBuffering} apart and a poll's calls
   * went out in several partial batches (each its own details and transcript requests).
   */
  CallGongFn(GongClientFactory clients, ListCallsFn lister, FetchCallsFn fetcher,
      int maxCallIdsPerRequest, @Nullable Duration maxBuffering, TupleTag<FetchedCall> out,
      TupleTag<DeadLetter> deadLetters, TupleTag<ListedWindow> listed,
      @Nullable PlanFetches plan, @Nullable Duration listWindow) {
    super(clients);
    this.listWindow = listWindow;
    if (maxCallIdsPerRequest < 1) {
      throw new IllegalArgumentException("maxCallIdsPerRequest must be >= 1");
    }
    this.lister = lister;
    this.fetcher = fetcher;
    this.size = maxCallIdsPerRequest;
    this.maxBuffering = maxBuffering;
    this.out = out;
    this.deadLetters = deadLetters;
    this.listed = listed;
    this.plan = plan;
  }

  @ProcessElement
  public void process(@Element KV<String, TimeWindow> element,
      @Timestamp org.joda.time.Instant timestamp, BoundedWindow window,
      @StateId("buffer") BagState<KV<String, TimeWindow>> buffer,
      @StateId("minTimestamp") ValueState<org.joda.time.Instant> minTimestamp,
      @TimerId("windowEnd") Timer windowEnd, @TimerId("buffering") Timer buffering,
      MultiOutputReceiver receiver) {
    List<KV<String, TimeWindow>> pending = new ArrayList<>();
    buffer.read().forEach(pending::add);
    org.joda.time.Instant before = minTimestamp.read();
    org.joda.time.Instant min =
        before == null || timestamp.isBefore(before) ? timestamp : before;
    List<DeadLetter> listFailures = new ArrayList<>();
    // Ids go to the buffer as pages arrive; each full batch is fetched before listing goes on.
    org.joda.time.Instant[] batchMin = {min};
    boolean[] flushed = {false};
    List<TimeWindow> windows = listWindow == null ? List.of(element.getValue())
        : element.getValue().split(listWindow);
    for (TimeWindow toList : windows) {
      lister.list(client, toList,
          page -> {
            // A polling read fetches only what its plan says (new, not stored, due); the rest of
            // the listed ids cost nothing more.
            CallIdBatch listed = plan == null ? page : plan.planBatch(page);
            if (listed == null) {
              return;
            }
            for (String id : listed.callIds()) {
              pending.add(KV.of(id, listed.window()));
              if (pending.size() == size) {
                fetch(pending, batchMin[0], receiver);
                pending.clear();
                batchMin[0] = timestamp;
                flushed[0] = true;
              }
            }
          },
          listFailures::add,
          complete -> receiver.get(listed).outputWithTimestamp(complete, timestamp));
    }
    for (DeadLetter dl : listFailures) {
      receiver.get(deadLetters).outputWithTimestamp(dl, timestamp);
    }
    buffer.clear();
    if (pending.isEmpty()) {
      minTimestamp.clear();
      windowEnd.clear();
      buffering.clear();
      return;
    }
    pending.forEach(buffer::add);
    // The buffer's first id arrived with this element: start its buffering clock.
    boolean startedBuffer = before == null || flushed[0];
    minTimestamp.write(batchMin[0]);
    windowEnd.withOutputTimestamp(batchMin[0]).set(window.maxTimestamp());
    if (maxBuffering != null && startedBuffer) {
      buffering.withOutputTimestamp(batchMin[0])
          .offset(org.joda.time.Duration.millis(maxBuffering.toMillis())).setRelative();
    }
  }

  @OnTimer("windowEnd")
  public void onWindowEnd(@StateId("buffer") BagState<KV<String, TimeWindow>> buffer,
      @StateId("minTimestamp") ValueState<org.joda.time.Instant> minTimestamp,
      @TimerId("windowEnd") Timer windowEnd, @TimerId("buffering") Timer buffering,
      MultiOutputReceiver receiver) {
    flush(buffer, minTimestamp, windowEnd, buffering, receiver);
  }

  @OnTimer("buffering")
  public void onBuffering(@StateId("buffer") BagState<KV<String, TimeWindow>> buffer,
      @StateId("minTimestamp") ValueState<org.joda.time.Instant> minTimestamp,
      @TimerId("windowEnd") Timer windowEnd, @TimerId("buffering") Timer buffering,
      MultiOutputReceiver receiver) {
    flush(buffer, minTimestamp, windowEnd, buffering, receiver);
  }

  private void flush(BagState<KV<String, TimeWindow>> buffer,
      ValueState<org.joda.time.Instant> minTimestamp, Timer windowEnd, Timer buffering,
      MultiOutputReceiver receiver) {
    List<KV<String, TimeWindow>> pending = new ArrayList<>();
    buffer.read().forEach(pending::add);
    org.joda.time.Instant min = minTimestamp.read();
    buffer.clear();
    minTimestamp.clear();
    windowEnd.clear();
    buffering.clear();
    if (!pending.isEmpty() && min != null) {
      fetch(pending, min, receiver);
    }
  }

  /** Fetches one batch (ids sorted; its window the span of theirs) and outputs at {@code ts}. */
  private void fetch(List<KV<String, TimeWindow>> ids, org.joda.time.Instant ts,
      MultiOutputReceiver receiver) {
    List<String> sorted = new ArrayList<>();
    Instant from = null;
    Instant to = null;
    for (KV<String, TimeWindow> listed : ids) {
      sorted.add(listed.getKey());
      TimeWindow w = listed.getValue();
      from = from == null || w.from().isBefore(from) ? w.from() : from;
      to = to == null || w.to().isAfter(to) ? w.to() : to;
    }
    sorted.sort(null);
    CallIdBatch batch = new CallIdBatch(new TimeWindow(from, to), List.copyOf(sorted));
    fetcher.fetch(client, batch,
        call -> receiver.get(out).outputWithTimestamp(call, ts),
        dl -> receiver.get(deadLetters).outputWithTimestamp(dl, ts));
  }

  /** A batch goes out at its earliest id's timestamp, which may precede the current element's. */
  @Override
  public org.joda.time.Duration getAllowedTimestampSkew() {
    return org.joda.time.Duration.millis(Long.MAX_VALUE);
  }
}
