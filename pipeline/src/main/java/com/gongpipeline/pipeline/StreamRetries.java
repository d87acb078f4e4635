package com.gongpipeline.pipeline;

import com.gongpipeline.errors.DeadLetter;
import com.gongpipeline.gong.GongJson;
import com.gongpipeline.model.CallIdBatch;
import com.gongpipeline.model.FetchedCall;
import com.gongpipeline.model.TimeWindow;
import com.gongpipeline.parse.JsonSupport;
import com.gongpipeline.warehouse.Warehouse;
import com.gongpipeline.warehouse.WarehouseProvider;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;

/**
 * The stream's side of {@code OPS_MONITORING.RETRY_QUEUE} ({@link RetryQueue}): a stream never
 * ends, so it cannot settle the queue after a run as {@code incremental} and {@code backfill} do.
 * Instead it queues each failed fetch as its dead letter passes ({@link QueueFailedFetchesFn}),
 * claims the due queued calls on every poll ({@link ClaimDueFn}) and takes the ones it fetched off
 * the queue ({@link SettleFetchedFn}).
 */
final class StreamRetries {
  private StreamRetries() {}

  /** Per poll: the due queued calls, claimed, in batches of at most {@code maxIds}. */
  static final class ClaimDueFn extends DoFn<TimeWindow, CallIdBatch> {
    /** At most this many queued calls per poll, so a long queue never crowds out new calls. */
    static final int MAX_PER_POLL = 500;
    private final WarehouseProvider warehouse;
    private final int maxIds;
    private final Counter claimed = Metrics.counter("pipeline", "queued_calls_retried");

    ClaimDueFn(WarehouseProvider warehouse, int maxIds) {
      this.warehouse = warehouse;
      this.maxIds = maxIds;
    }

    @ProcessElement
    public void process(@Element TimeWindow poll, OutputReceiver<CallIdBatch> out) {
      List<String> ids;
      try (Warehouse wh = warehouse.open()) {
        ids = RetryQueue.claimDue(wh, Instant.now(), MAX_PER_POLL);
      }
      claimed.inc(ids.size());
      for (int i = 0; i < ids.size(); i += maxIds) {
        out.output(new CallIdBatch(poll, List.copyOf(ids.subList(i, Math.min(ids.size(),
            i + maxIds)))));
      }
    }
  }

  /**
   * Queued calls fetched again: those the stream still writes (started within its horizon, the
   * deep lookback; an older one would be dropped as late by {@code DedupCallVersions}) leave the
   * queue and go on; older ones stay queued for {@code incremental} or {@code backfill}, which
   * write calls of any age, with their next attempt a day ahead so polls do not fetch them again.
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
            RetryQueue.postpone(wh, List.of(e), now.plus(RetryQueue.MAX_BACKOFF));
          }
          leftForBatch.inc();
          return;
        }
        RetryQueue.remove(wh, List.of(call.callId()));
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
}
