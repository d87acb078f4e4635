package com.gongpipeline.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import com.gongpipeline.errors.DeadLetter;
import com.gongpipeline.errors.DeadLetterCoder;
import com.gongpipeline.errors.DeadLetterStage;
import com.gongpipeline.errors.FailureKind;
import com.gongpipeline.model.CallIdBatch;
import com.gongpipeline.model.FetchedCall;
import com.gongpipeline.model.TimeWindow;
import com.gongpipeline.planner.FetchPlanner;
import com.gongpipeline.planner.PlanFetches;
import com.gongpipeline.warehouse.JobLog;
import com.gongpipeline.warehouse.PlannedFetch;
import com.gongpipeline.warehouse.Warehouse;
import com.gongpipeline.warehouse.WarehouseProvider;
import com.gongpipeline.warehouse.WarehouseRow;
import com.gongpipeline.warehouse.WarehouseTable;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The stream's retry queue ({@link StreamRetries}): each poll claims the due queued calls, each
 * failed fetch is queued as it is dead-lettered, and queued calls the stream fetched leave the
 * queue unless they are too old for the stream to write.
 */
class StreamRetriesTest {
  @RegisterExtension final TestPipelineExtension pipelineExtension = TestPipelineExtension.create();

  private static final Instant NOW = Instant.now();

  private static void queue(Warehouse wh, String id, int attempts, Instant nextAttempt) {
    wh.merge(WarehouseTable.RETRY_QUEUE, List.of(WarehouseRow.of(WarehouseTable.RETRY_QUEUE)
        .set("CALL_ID", id).set("STAGE", "fetch_calls").set("ATTEMPTS", attempts)
        .set("LAST_ERROR", "boom").set("FAILURE_KIND", "RETRYABLE")
        .set("FIRST_FAILED_AT", NOW.minus(Duration.ofDays(2)))
        .set("NEXT_ATTEMPT_AT", nextAttempt).set("JOB_ID", "earlier").set("LOADED_AT", NOW)
        .build()));
  }

  /** A poll fetches the due queued calls, and claims them so the next polls leave them alone. */
  @Test
  void aPollClaimsTheDueQueuedCalls(TestPipeline p) {
    String url = "jdbc:duckdb::memory:stream-retries-" + UUID.randomUUID();
    WarehouseProvider warehouse = WarehouseProvider.of(url);
    try (Warehouse held = warehouse.open()) {
      held.applySchema();
      queue(held, "due-1", 1, NOW.minus(Duration.ofMinutes(1)));
      queue(held, "due-2", 2, NOW.minus(Duration.ofHours(1)));
      queue(held, "later", 1, NOW.plus(Duration.ofHours(1)));

      PCollection<CallIdBatch> batches = p
          .apply(Create.of(new TimeWindow(NOW.minus(Duration.ofMinutes(5)), NOW))
              .withCoder(SerializableCoder.of(TimeWindow.class)))
          .apply(ParDo.of(new StreamRetries.ClaimDueFn(warehouse, 100, "this-stream",
              FetchPlanner.withDefaults())))
          .setCoder(SerializableCoder.of(CallIdBatch.class));
      PAssert.that(batches).satisfies(got -> {
        List<List<String>> ids = new java.util.ArrayList<>();
        got.forEach(b -> ids.add(b.callIds()));
        assertThat("oldest next attempt first", ids, equalTo(List.of(List.of("due-2", "due-1"))));
        return null;
      });
      p.run().waitUntilFinish();

      Map<String, RetryQueue.Entry> after = RetryQueue.load(held);
      assertThat(after.get("due-1").nextAttemptAt().isAfter(NOW), is(true));
      assertThat(after.get("due-1").attempts(), is(1));
      assertThat("not due: untouched", after.get("later").nextAttemptAt()
          .isAfter(NOW.plus(Duration.ofMinutes(50))), is(true));
      assertThat(RetryQueue.due(after, Instant.now(), List.of()), equalTo(List.of()));
    }
  }

  /**
   * Failed fetches are queued (attempts + 1, quota refusals not); fetched queued calls go on but
   * stay queued (they leave once written), except one older than the stream's horizon, which is
   * not passed on and stays queued a day ahead.
   */
  @Test
  void failuresAreQueuedAndFetchedCallsLeaveTheQueue(TestPipeline p) {
    String url = "jdbc:duckdb::memory:stream-retries-" + UUID.randomUUID();
    WarehouseProvider warehouse = WarehouseProvider.of(url);
    try (Warehouse held = warehouse.open()) {
      held.applySchema();
      queue(held, "fresh", 1, NOW.minus(Duration.ofMinutes(1)));
      queue(held, "ancient", 1, NOW.minus(Duration.ofMinutes(1)));
      queue(held, "again", 2, NOW.minus(Duration.ofMinutes(1)));

      PCollection<FetchedCall> fetched = p
          .apply("Fetched", Create.of(call("fresh", NOW.minus(Duration.ofHours(2))),
                  call("ancient", NOW.minus(Duration.ofDays(400))))
              .withCoder(SerializableCoder.of(FetchedCall.class)))
          .apply(ParDo.of(new StreamRetries.SettleFetchedFn(warehouse, Duration.ofDays(30))))
          .setCoder(SerializableCoder.of(FetchedCall.class));
      PAssert.that(fetched).satisfies(got -> {
        List<String> ids = new java.util.ArrayList<>();
        got.forEach(c -> ids.add(c.callId()));
        assertThat(ids, equalTo(List.of("fresh")));
        return null;
      });
      p.apply("Failures", Create.of(
                  failure("again", FailureKind.RETRYABLE), failure("new", FailureKind.PERMANENT),
                  failure("quota", FailureKind.RATE_LIMITED))
              .withCoder(DeadLetterCoder.of()))
          .apply(ParDo.of(new StreamRetries.QueueFailedFetchesFn(warehouse, "stream-1", 3)));
      p.run().waitUntilFinish();

      Map<String, RetryQueue.Entry> after = RetryQueue.load(held);
      assertThat("fetched is not written: still queued", after.keySet(),
          equalTo(java.util.Set.of("fresh", "ancient", "again", "new")));
      assertThat(after.get("again").attempts(), is(3));
      assertThat(after.get("again").jobId(), equalTo("stream-1"));
      assertThat(after.get("again").lastError(), equalTo("boom again"));
      assertThat(after.get("new").attempts(), is(1));
      assertThat(after.get("new").nextAttemptAt().isAfter(NOW), is(true));
      assertThat(after.get("ancient").attempts(), is(1));
      assertThat(after.get("ancient").nextAttemptAt().isAfter(NOW.plus(Duration.ofHours(23))),
          is(true));
    }
  }

  /** Tables whose MERGE fails in {@link #failingOn} (static: the provider travels serialized). */
  private static final java.util.Set<WarehouseTable> FAILING =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  /** The warehouse at {@code url}, except that a MERGE into a table in {@link #FAILING} throws. */
  private static WarehouseProvider failingOn(String url) {
    return () -> {
      Warehouse real = Warehouse.open(url);
      return (Warehouse) java.lang.reflect.Proxy.newProxyInstance(
          Warehouse.class.getClassLoader(), new Class<?>[] {Warehouse.class},
          (proxy, method, args) -> {
            if (method.getName().equals("merge") && FAILING.contains(args[0])) {
              throw new com.gongpipeline.warehouse.WarehouseException(FailureKind.RETRYABLE,
                  "injected outage of " + args[0], null);
            }
            try {
              return method.invoke(real, args);
            } catch (java.lang.reflect.InvocationTargetException e) {
              throw e.getCause();
            }
          });
    };
  }

  /**
   * One poll of the stream's queue path: claim the due queued calls, "fetch" them (now), settle
   * the fetch, write an STG row and a chunk per call through the sink, settle the queue from the
   * sink's report.
   */
  private static void poll(org.apache.beam.sdk.Pipeline p, WarehouseProvider warehouse) {
    PCollection<com.gongpipeline.warehouse.WarehouseRow> rows = p
        .apply("Poll", Create.of(new TimeWindow(NOW.minus(Duration.ofMinutes(5)), NOW))
            .withCoder(SerializableCoder.of(TimeWindow.class)))
        .apply("Claim", ParDo.of(new StreamRetries.ClaimDueFn(warehouse, 100, "this-stream",
              FetchPlanner.withDefaults())))
        .setCoder(SerializableCoder.of(CallIdBatch.class))
        .apply("Fetch", ParDo.of(new org.apache.beam.sdk.transforms.DoFn<CallIdBatch,
            FetchedCall>() {
          @ProcessElement
          public void process(@Element CallIdBatch b, OutputReceiver<FetchedCall> out) {
            for (String id : b.callIds()) {
              out.output(new FetchedCall(id, "{\"metaData\":{\"id\":\"" + id
                  + "\",\"started\":\"" + NOW.minus(Duration.ofHours(1)) + "\"}}", "[]",
                  FetchedCall.versionAt(Instant.now())));
            }
          }
        }))
        .setCoder(SerializableCoder.of(FetchedCall.class))
        .apply("SettleFetched", ParDo.of(new StreamRetries.SettleFetchedFn(warehouse,
            Duration.ofDays(30))))
        .setCoder(SerializableCoder.of(FetchedCall.class))
        .apply("ToRows", ParDo.of(new org.apache.beam.sdk.transforms.DoFn<FetchedCall,
            WarehouseRow>() {
          @ProcessElement
          public void process(@Element FetchedCall c, OutputReceiver<WarehouseRow> out) {
            out.output(WarehouseRow.of(WarehouseTable.STG_CALLS).set("CALL_ID", c.callId())
                .set("CALL_TITLE", "t " + c.callId()).set("JOB_ID", "stream-1")
                .set("LOADED_AT", NOW).build().withCallVersion(c.version()));
          }
        }))
        .setCoder(SerializableCoder.of(WarehouseRow.class));
    rows.apply("Write", new com.gongpipeline.transforms.WriteToWarehouse(warehouse, 10,
            org.joda.time.Duration.standardSeconds(1)).reportingCallWrites())
        .output()
        .apply("SettleWrites", new StreamRetries.SettleCallWrites(warehouse, "stream-1", true));
  }

  /**
   * Issue 11 item 2: a queued call fetched by a poll but whose rows fail to write stays queued
   * (attempts + 1, stage write); once due, a later poll fetches and writes it, and only then does
   * it leave the queue.
   */
  @Test
  void aQueuedCallLeavesTheQueueOnlyOnceItsRowsAreWritten() {
    String url = "jdbc:duckdb::memory:stream-retries-" + UUID.randomUUID();
    WarehouseProvider warehouse = failingOn(url);
    try (Warehouse held = Warehouse.open(url)) {
      held.applySchema();
      queue(held, "c1", 1, NOW.minus(Duration.ofMinutes(1)));
      FAILING.add(WarehouseTable.STG_CALLS);
      try {
        org.apache.beam.sdk.Pipeline first = org.apache.beam.sdk.Pipeline.create();
        poll(first, warehouse);
        first.run().waitUntilFinish();
      } finally {
        FAILING.clear();
      }
      RetryQueue.Entry e = RetryQueue.load(held).get("c1");
      assertThat("fetched but not written: still queued", e != null, is(true));
      assertThat(e.stage(), equalTo("write"));
      assertThat(e.attempts(), is(2));
      assertThat(held.count(WarehouseTable.STG_CALLS), is(0L));

      // Due again (its back-off has passed): the next poll fetches and writes it.
      held.merge(WarehouseTable.RETRY_QUEUE, List.of(WarehouseRow.of(WarehouseTable.RETRY_QUEUE)
          .set("CALL_ID", "c1").set("STAGE", e.stage()).set("ATTEMPTS", e.attempts())
          .set("LAST_ERROR", e.lastError()).set("FAILURE_KIND", e.failureKind())
          .set("FIRST_FAILED_AT", e.firstFailedAt())
          .set("NEXT_ATTEMPT_AT", Instant.now().minusSeconds(1)).set("JOB_ID", e.jobId())
          .set("LOADED_AT", Instant.now().minusSeconds(1)).build()));
      org.apache.beam.sdk.Pipeline second = org.apache.beam.sdk.Pipeline.create();
      poll(second, warehouse);
      second.run().waitUntilFinish();
      assertThat(held.count(WarehouseTable.STG_CALLS), is(1L));
      assertThat(RetryQueue.load(held).keySet(), equalTo(java.util.Set.of()));
    }
  }

  /**
   * Issue 11 leftover: a stream that claims a queued call, commits its STG row (which takes it off
   * the queue) and dies before the call's chunks land. The call's schedule row was written by an
   * incremental run that succeeded, so before the claim stamped it the next run's planner trusted
   * the call as stored and did not fetch it again: its chunks were missing until its next
   * scheduled re-fetch, or for good. The claim now stamps the row with the stream's job, which
   * did not succeed, so the next run fetches the call (UNTRUSTED).
   */
  @Test
  void aStreamThatDiesBetweenAClaimedCallsStgRowAndItsChunksLeavesItToBeFetchedAgain() {
    String url = "jdbc:duckdb::memory:stream-retries-" + UUID.randomUUID();
    WarehouseProvider warehouse = WarehouseProvider.of(url);
    Instant planned = Instant.now().minus(Duration.ofMinutes(30))
        .truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    try (Warehouse held = Warehouse.open(url)) {
      held.applySchema();
      // An incremental run that succeeded listed c1, planned it, stored its RAW row; a later
      // fetch failed and queued it.
      held.recordJob(JobLog.builder("inc-1", "incremental", planned.minusSeconds(60))
          .finish(JobLog.Status.SUCCEEDED, planned.plusSeconds(60)).build());
      held.recordPlannedFetches(List.of(new PlannedFetch("c1", planned, planned,
          planned.plus(Duration.ofHours(1)), 1, "inc-1")));
      held.merge(WarehouseTable.RAW_CALLS, List.of(WarehouseRow.of(WarehouseTable.RAW_CALLS)
          .set("CALL_ID", "c1").set("CALL_STARTED_AT", NOW.minus(Duration.ofHours(1)))
          .set("PAYLOAD", new WarehouseRow.Json("{\"metaData\":{\"id\":\"c1\"}}"))
          .set("PAYLOAD_HASH", "h").set("JOB_ID", "inc-1").set("INGESTED_AT", planned).build()));
      queue(held, "c1", 1, NOW.minus(Duration.ofMinutes(1)));

      // The stream's poll claims and fetches c1 and commits its STG row; the process dies before
      // anything else of the call lands (the poll writes nothing else), and the next run marks
      // the stream's job row ABANDONED.
      org.apache.beam.sdk.Pipeline stream = org.apache.beam.sdk.Pipeline.create();
      poll(stream, warehouse);
      stream.run().waitUntilFinish();
      assertThat(held.count(WarehouseTable.STG_CALLS), is(1L));
      assertThat("its STG row is committed: off the queue", RetryQueue.load(held).keySet(),
          equalTo(java.util.Set.of()));
      held.recordJob(JobLog.builder("this-stream", "stream", planned)
          .finish(JobLog.Status.ABANDONED, Instant.now()).build());
      Map<String, Object> stamped = held.query("SELECT JOB_ID, FIRST_SEEN, FETCHES FROM "
          + "OPS_MONITORING.CALL_FETCH_SCHEDULE WHERE CALL_ID = 'c1'").get(0);
      assertThat("the claim stamped the schedule row", stamped.get("JOB_ID"),
          equalTo("this-stream"));
      assertThat("its place on the schedule kept", stamped.get("FIRST_SEEN"), equalTo(planned));
      assertThat(((Number) stamped.get("FETCHES")).longValue(), is(1L));

      // The next run lists c1 again: not trusted as stored, so it is fetched and written again.
      CallIdBatch next = PlanFetches.into(warehouse, "inc-3").withClock(Instant::now)
          .planBatch(new CallIdBatch(new TimeWindow(NOW.minus(Duration.ofHours(2)), NOW),
              List.of("c1")));
      assertThat("fetched again by the next run", next == null ? List.of() : next.callIds(),
          equalTo(List.of("c1")));
    }
  }

  private static FetchedCall call(String id, Instant started) {
    return new FetchedCall(id, "{\"metaData\":{\"id\":\"" + id + "\",\"started\":\"" + started
        + "\"}}", "[]", FetchedCall.versionAt(NOW));
  }

  private static DeadLetter failure(String id, FailureKind kind) {
    return new DeadLetter(DeadLetterStage.FETCH_CALLS, id, kind, "boom " + id, null, id, 1, NOW);
  }
}
