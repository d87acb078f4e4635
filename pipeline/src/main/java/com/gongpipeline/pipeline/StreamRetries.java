package com.gongpipeline.pipeline;

import com.gongpipeline.errors.DeadLetter;
import com.gongpipeline.gong.GongJson;
import com.gongpipeline.model.CallIdBatch;
import com.gongpipeline.model.FetchedCall;
import com.gongpipeline.model.TimeWindow;
import com.gongpipeline.parse.JsonSupport;
import com.gongpipeline.planner.FetchPlanner;
import com.gongpipeline.planner.PlanFetches;
import com.gongpipeline.transforms.CallWrites;
import com.gongpipeline.warehouse.WarehouseException;
import com.gongpipeline.warehouse.WarehouseTable;
import com.gongpipeline.warehouse.Warehouse;
import com.gongpipeline.warehouse.WarehouseProvider;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;

/**
 * The stream's side of {@code OPS_MONITORING.RETRY_QUEUE} ({@link RetryQueue}): a stream never
 * ends, so it cannot settle the queue after a run as {@code incremental} and {@code backfill} do.
 * Instead it queues each failed fetch as its dead letter passes ({@link QueueFailedFetchesFn}),
 * claims the due queued calls on every poll ({@link ClaimDueFn}) and takes a call off the queue only
 * once its rows are committed ({@link SettleCallWrites}: the sink's report that the call's
 * STG_GONG_CALLS row, written after all its chunks, was merged); rows that fail to write queue their
 * call again. A fetched call whose rows never land (a failed write, a process that died in between)
 * stays queued and its claim lapses after {@link RetryQueue#FIRST_BACKOFF}, so a later poll fetches
 * and writes it.
 */
final class StreamRetries {
  private StreamRetries() {}

  /**
   * Per poll: the due queued calls, claimed, in batches of at most {@code maxIds}, each batch's
   * schedule rows stamped with this job before it is fetched ({@link PlanFetches#stamp}): a stream
   * that dies after a claimed call's STG row landed (and the call left the queue) but before its
   * chunks did leaves the call untrusted, so the next job fetches and writes it again.
   */
  static final class ClaimDueFn extends DoFn<TimeWindow, CallIdBatch> {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ClaimDueFn.class);
    /** At most this many queued calls per poll, so a long queue never crowds out new calls. */
    static final int MAX_PER_POLL = 500;
    private final WarehouseProvider warehouse;
    private final int maxIds;
    private final String jobId;
    private final FetchPlanner planner;
    private final Counter claimed = Metrics.counter("pipeline", "queued_calls_retried");

    ClaimDueFn(WarehouseProvider warehouse, int maxIds, String jobId, FetchPlanner planner) {
      this.warehouse = warehouse;
      this.maxIds = maxIds;
      this.jobId = jobId;
      this.planner = planner;
    }

    @ProcessElement
    public void process(@Element TimeWindow poll, OutputReceiver<CallIdBatch> out) {
      try (Warehouse wh = warehouse.open()) {
        Instant now = Instant.now();
        List<String> ids = RetryQueue.claimDue(wh, now, MAX_PER_POLL);
        for (int i = 0; i < ids.size(); i += maxIds) {
          List<String> batch = List.copyOf(ids.subList(i, Math.min(ids.size(), i + maxIds)));
          try {
            PlanFetches.stamp(wh, batch, jobId, planner, now);
          } catch (WarehouseException e) {
            // Not fetched unstamped: the claim lapses and a later poll fetches the calls.
            LOG.warn("Queued calls not stamped ({}); {} left for a later poll", e.getMessage(),
                batch.size());
            continue;
          }
          claimed.inc(batch.size());
          out.output(new CallIdBatch(poll, batch));
        }
      }
    }
  }

  /**
   * Queued calls fetched again: those the stream still writes (started within its horizon, the
   * deep lookback; an older one would be dropped as late by {@code DedupCallVersions}) go on, and
   * stay queued (claimed) until their rows are written ({@link SettleCallWrites}); older ones stay
   * queued for {@code incremental} or {@code backfill}, which write calls of any age, with their
   * next attempt a day ahead so polls do not fetch them again.
   */
  static final class SettleFetchedFn extends DoFn<FetchedCall, FetchedCall> {
    private final WarehouseProvider warehouse;
    private final Duration horizon;
    private final Counter leftForBatch = Metrics.counter("pipeline", "queued_calls_too_old");

    SettleFetchedFn(WarehouseProvider warehouse, Duration horizon) {
      this.warehouse = warehouse;
      this.horizon = horizon;
    }

    @ProcessElement
    public void process(@Element FetchedCall call, OutputReceiver<FetchedCall> out) {
      Instant now = Instant.now();
      Instant started = started(call);
      try (Warehouse wh = warehouse.open()) {
        if (started != null && started.isBefore(now.minus(horizon))) {
          RetryQueue.Entry e = RetryQueue.load(wh).get(call.callId());
          if (e != null) {
            RetryQueue.postpone(wh, List.of(e), now.plus(RetryQueue.MAX_BACKOFF), now);
          }
          leftForBatch.inc();
          return;
        }
      }
      out.output(call);
    }

    private static Instant started(FetchedCall call) {
      try {
        return GongJson.instant(JsonSupport.parse(call.callJson()).get("metaData"), "started");
      } catch (IllegalArgumentException e) {
        return null; // unreadable: goes on (parsing dead-letters it); the stream keeps it
      }
    }
  }

  /** Queues each failed fetch of the stream (listed or retried calls) as it is dead-lettered. */
  static final class QueueFailedFetchesFn extends DoFn<DeadLetter, Void> {
    private final WarehouseProvider warehouse;
    private final String jobId;
    private final int maxCallAttempts;
    private final Counter givenUp = Metrics.counter("pipeline", "calls_given_up");

    QueueFailedFetchesFn(WarehouseProvider warehouse, String jobId, int maxCallAttempts) {
      this.warehouse = warehouse;
      this.jobId = jobId;
      this.maxCallAttempts = maxCallAttempts;
    }

    @ProcessElement
    public void process(@Element DeadLetter dl) {
      int attempts;
      try (Warehouse wh = warehouse.open()) {
        attempts = RetryQueue.recordFailure(wh, dl, jobId, Instant.now());
      }
      if (attempts == maxCallAttempts) {
        givenUp.inc();
      }
    }
  }

  /**
   * Settles the retry queue from the sink's {@link CallWrites}: a call whose rows failed to write
   * is queued (stage {@code write}; every mode), and, with {@code settleCommitted} (the stream), a
   * queued call whose STG_GONG_CALLS row is committed leaves the queue. Keyed by call, so the
   * commit and a failure of the same call are never decided concurrently.
   */
  static final class SettleCallWrites extends PTransform<PCollection<CallWrites>, PDone> {
    private final WarehouseProvider warehouse;
    private final String jobId;
    private final boolean settleCommitted;

    SettleCallWrites(WarehouseProvider warehouse, String jobId, boolean settleCommitted) {
      this.warehouse = warehouse;
      this.jobId = jobId;
      this.settleCommitted = settleCommitted;
    }

    @Override
    public PDone expand(PCollection<CallWrites> writes) {
      writes.apply("PerCall", ParDo.of(new PerCallFn(settleCommitted)))
          .setCoder(KvCoder.of(StringUtf8Coder.of(), SerializableCoder.of(CallWrite.class)))
          .apply("SettleQueue", ParDo.of(new SettleWrittenCallFn(warehouse, jobId,
              !settleCommitted)));
      return PDone.in(writes.getPipeline());
    }
  }

  /** One call's outcome in one MERGE batch. */
  record CallWrite(boolean committed, long version, String error, String failureKind)
      implements java.io.Serializable {}

  /** Splits a batch's outcome per call: failures always, STG commits when settling commits. */
  static final class PerCallFn extends DoFn<CallWrites, KV<String, CallWrite>> {
    private final boolean settleCommitted;

    PerCallFn(boolean settleCommitted) {
      this.settleCommitted = settleCommitted;
    }

    @ProcessElement
    public void process(@Element CallWrites w, OutputReceiver<KV<String, CallWrite>> out) {
      w.failed().forEach((call, v) -> out.output(KV.of(call, new CallWrite(false, v,
          w.error() == null ? "write failed" : w.error(),
          w.failureKind() == null ? "RETRYABLE" : w.failureKind()))));
      if (settleCommitted && w.table() == WarehouseTable.STG_CALLS) {
        w.committed().forEach((call, v) -> out.output(KV.of(call, new CallWrite(true, v, null,
            null))));
      }
    }
  }

  /**
   * Applies one call's outcome to the queue; stateful only so that Beam runs one call's outcomes
   * one at a time. A warehouse that cannot record a failure fails the bounded run ({@code
   * failHard}: nothing advances, the run is re-read) and is logged and counted in the stream (the
   * claimed entry, if any, still lapses and is fetched again).
   */
  static final class SettleWrittenCallFn extends DoFn<KV<String, CallWrite>, Void> {
    private static final org.slf4j.Logger LOG =
        org.slf4j.LoggerFactory.getLogger(SettleWrittenCallFn.class);
    private final WarehouseProvider warehouse;
    private final String jobId;
    private final boolean failHard;
    private final Counter settled = Metrics.counter("pipeline", "queued_calls_written");
    private final Counter unwritten = Metrics.counter("pipeline", "calls_queued_after_write_failure");
    private final Counter unrecorded = Metrics.counter("pipeline", "retry_queue_unrecorded");

    @StateId("seen")
    private final StateSpec<ValueState<Boolean>> seen = StateSpecs.value(BooleanCoder.of());

    SettleWrittenCallFn(WarehouseProvider warehouse, String jobId, boolean failHard) {
      this.warehouse = warehouse;
      this.jobId = jobId;
      this.failHard = failHard;
    }

    @ProcessElement
    public void process(@Element KV<String, CallWrite> e,
        @StateId("seen") ValueState<Boolean> seen) {
      CallWrite w = e.getValue();
      Instant fetchedAt = RetryQueue.fetchedAt(w.version());
      try (Warehouse wh = warehouse.open()) {
        if (w.committed()) {
          if (w.version() > 0 && RetryQueue.removeWritten(wh, e.getKey(), fetchedAt)) {
            settled.inc();
          }
        } else {
          RetryQueue.recordWriteFailure(wh, e.getKey(), fetchedAt, w.error(), w.failureKind(),
              jobId, Instant.now());
          unwritten.inc();
        }
      } catch (RuntimeException ex) {
        if (failHard) {
          throw ex;
        }
        unrecorded.inc();
        LOG.warn("Retry queue not updated for call {} ({}): {}", e.getKey(),
            w.committed() ? "written" : "write failed", ex.toString());
      }
    }
  }
}
