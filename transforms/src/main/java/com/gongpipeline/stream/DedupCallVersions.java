package com.gongpipeline.stream;

import com.gongpipeline.model.FetchedCall;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.AfterPane;
import org.apache.beam.sdk.transforms.windowing.AfterProcessingTime;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Drops re-reads of calls whose content has not changed, so the streaming poll's lookback re-reads
 * ({@link PollGongWindows}) reach the sink only when Gong actually changed something.
 *
 * <ol>
 *   <li><b>Event time = call start.</b> Each call is re-timestamped to {@code metaData.started}. A
 *       DoFn does it (not {@code WithTimestamps}) so a call without a readable start keeps its
 *       incoming timestamp instead of failing. Its allowed skew is unbounded: the poller stamps a
 *       window with its start, so the move is normally forward, but Gong filters web conferences by
 *       <i>scheduled</i> time and {@code started} may precede the window. Whether such a call is
 *       too late is then decided by the window's allowed lateness (it is dropped by the runner),
 *       never by a skew check that would fail the streaming job in a retry loop.
 *   <li><b>Windows for a MERGE sink.</b> {@code FixedWindows(windowSize)}, firing early {@code
 *       earlyFiringDelay} after a pane's first call, on time at the watermark, and once per late
 *       call up to {@code lookback} (the poller's watermark is {@code position − lookback}, so
 *       anything the poll can still re-read is within lateness). Panes discard: each pane carries
 *       only new arrivals, and the sink MERGEs on {@code call_id}.
 *   <li><b>One version per call per pane.</b> A {@code GroupByKey} on call id applies the trigger
 *       (so outputs carry real pane timing: early, on time, late) and ensures a pane never holds
 *       two rows for one key, which a warehouse MERGE would reject as nondeterministic.
 *   <li><b>Emit only changes.</b> A stateful DoFn per (call id, window) keeps the content hash it
 *       last emitted ({@link CallVersions#contentHash}: media URLs do not count). A pane whose
 *       versions all match it is dropped ({@code stream/duplicates_dropped}); otherwise one new
 *       version is emitted ({@code stream/versions_changed} if an older one had been emitted). An
 *       event-time timer at window end + lookback clears the state.
 * </ol>
 *
 * <p>A call later than the lookback (its window already expired) is dropped here. It is not lost
 * for good: the MERGE sink keys on call id, and the next backfill over that range picks it up.
 *
 * <p>Outputs are timestamped at the end of their window (the {@code GroupByKey} default).
 */
public final class DedupCallVersions
    extends PTransform<PCollection<FetchedCall>, PCollection<FetchedCall>> {
  /** Default delay of an early firing after a pane's first call. */
  public static final Duration DEFAULT_EARLY_FIRING_DELAY = Duration.ofMinutes(1);

  private final Duration windowSize;
  private final Duration lookback;
  private final Duration earlyFiringDelay;

  private DedupCallVersions(Duration windowSize, Duration lookback, Duration earlyFiringDelay) {
    this.windowSize = windowSize;
    this.lookback = lookback;
    this.earlyFiringDelay = earlyFiringDelay;
  }

  /**
   * @param windowSize event-time window over call start times; positive
   * @param lookback allowed lateness; use the poller's lookback so every re-read is still in time
   */
  public static DedupCallVersions of(Duration windowSize, Duration lookback) {
    if (windowSize == null || windowSize.isZero() || windowSize.isNegative()) {
      throw new IllegalArgumentException("window size must be positive: " + windowSize);
    }
    if (lookback == null || lookback.isNegative()) {
      throw new IllegalArgumentException("lookback must not be negative: " + lookback);
    }
    return new DedupCallVersions(windowSize, lookback, DEFAULT_EARLY_FIRING_DELAY);
  }

  /** Delay of the early (speculative) firing after a pane's first call; positive. */
  public DedupCallVersions withEarlyFiringDelay(Duration delay) {
    if (delay == null || delay.isZero() || delay.isNegative()) {
      throw new IllegalArgumentException("early firing delay must be positive: " + delay);
    }
    return new DedupCallVersions(windowSize, lookback, delay);
  }

  @Override
  public PCollection<FetchedCall> expand(PCollection<FetchedCall> calls) {
    org.joda.time.Duration lateness = joda(lookback);
    return calls
        .apply("AssignCallStartTime", ParDo.of(new AssignCallStartTimeFn()))
        .setCoder(FetchedCallCoder.of())
        .apply(
            "WindowByCallStart",
            Window.<FetchedCall>into(FixedWindows.of(joda(windowSize)))
                .triggering(
                    AfterWatermark.pastEndOfWindow()
                        .withEarlyFirings(
                            AfterProcessingTime.pastFirstElementInPane()
                                .plusDelayOf(joda(earlyFiringDelay)))
                        .withLateFirings(AfterPane.elementCountAtLeast(1)))
                .withAllowedLateness(lateness)
                .discardingFiredPanes())
        .apply(
            "KeyByCallId",
            MapElements.into(
                    TypeDescriptors.kvs(
                        TypeDescriptors.strings(), TypeDescriptor.of(FetchedCall.class)))
                .via((FetchedCall c) -> KV.of(c.callId(), c)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), FetchedCallCoder.of()))
        .apply("GroupVersionsPerPane", GroupByKey.create())
        .apply("EmitChangedVersions", ParDo.of(new EmitChangedVersionsFn(lateness)))
        .setCoder(FetchedCallCoder.of());
  }

  private static org.joda.time.Duration joda(Duration d) {
    return org.joda.time.Duration.millis(d.toMillis());
  }

  /** Re-timestamps a call to its start; unreadable starts keep the incoming timestamp. */
  static final class AssignCallStartTimeFn extends DoFn<FetchedCall, FetchedCall> {
    private final Counter missingStart = Metrics.counter("stream", "start_time_missing");

    @ProcessElement
    public void process(@Element FetchedCall call, OutputReceiver<FetchedCall> out) {
      Instant started = CallVersions.started(call);
      if (started == null) {
        missingStart.inc();
        out.output(call);
        return;
      }
      out.outputWithTimestamp(call, new org.joda.time.Instant(started.toEpochMilli()));
    }

    /** Unbounded: lateness, not skew, decides what is too old (see the class Javadoc). */
    @Override
    @SuppressWarnings("deprecation")
    public org.joda.time.Duration getAllowedTimestampSkew() {
      return org.joda.time.Duration.millis(Long.MAX_VALUE);
    }
  }

  /** Per (call id, window): emits a pane's version only if its content hash is new. */
  static final class EmitChangedVersionsFn
      extends DoFn<KV<String, Iterable<FetchedCall>>, FetchedCall> {
    private final Counter duplicatesDropped = Metrics.counter("stream", "duplicates_dropped");
    private final Counter versionsChanged = Metrics.counter("stream", "versions_changed");
    private final Counter versionsSuperseded = Metrics.counter("stream", "versions_superseded");

    @StateId("emittedHash")
    private final StateSpec<ValueState<String>> emittedHashSpec =
        StateSpecs.value(StringUtf8Coder.of());

    @TimerId("expiry")
    private final TimerSpec expirySpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    private final org.joda.time.Duration allowedLateness;

    EmitChangedVersionsFn(org.joda.time.Duration allowedLateness) {
      this.allowedLateness = allowedLateness;
    }

    @ProcessElement
    public void process(
        @Element KV<String, Iterable<FetchedCall>> pane,
        BoundedWindow window,
        @StateId("emittedHash") ValueState<String> emittedHash,
        @TimerId("expiry") Timer expiry,
        OutputReceiver<FetchedCall> out) {
      // No output timestamp: clearing state must not hold the watermark back by the lookback.
      expiry.withNoOutputTimestamp().set(window.maxTimestamp().plus(allowedLateness));
      String emitted = emittedHash.read();
      int arrived = 0;
      Map<String, FetchedCall> fresh = new LinkedHashMap<>();
      Map.Entry<String, FetchedCall> pick = null;
      for (FetchedCall call : pane.getValue()) {
        arrived++;
        String hash = CallVersions.contentHash(call);
        if (!hash.equals(emitted)) {
          fresh.remove(hash);
          fresh.put(hash, call); // keeps the last arrival of each hash last in iteration order
        }
        // The newest fetch (FetchedCall.version) wins; among equal versions the last arrival.
        if (pick == null || call.version() >= pick.getValue().version()) {
          pick = Map.entry(hash, call);
        }
      }
      if (fresh.isEmpty() || pick.getKey().equals(emitted)) {
        // Nothing new, or the newest fetch says what was already emitted (older panes' changes
        // were superseded by it).
        duplicatesDropped.inc(arrived);
        return;
      }
      out.output(pick.getValue());
      emittedHash.write(pick.getKey());
      if (emitted != null) {
        versionsChanged.inc();
      }
      versionsSuperseded.inc(fresh.size() - 1);
      duplicatesDropped.inc(arrived - fresh.size());
    }

    @OnTimer("expiry")
    public void expire(@StateId("emittedHash") ValueState<String> emittedHash) {
      emittedHash.clear();
    }
  }
}
