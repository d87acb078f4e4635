package com.gongpipeline.planner;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;

import com.gongpipeline.model.CallIdBatch;
import com.gongpipeline.model.TimeWindow;
import com.gongpipeline.warehouse.JobLog;
import com.gongpipeline.warehouse.PlannedFetch;
import com.gongpipeline.warehouse.Warehouse;
import com.gongpipeline.warehouse.WarehouseException;
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
import org.apache.beam.sdk.transforms.FlatMapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The fetch plan against a real (in-memory DuckDB) schedule: which listed calls go on to be
 * fetched, and that a row written before its data landed by a run that did not succeed is not
 * trusted.
 */
class PlanFetchesTest {
  @RegisterExtension final TestPipelineExtension pipelineExtension = TestPipelineExtension.create();

  static final Instant NOW = Instant.parse("2026-03-02T10:00:00Z");
  static final TimeWindow WINDOW = new TimeWindow(NOW.minus(Duration.ofHours(2)), NOW);

  String url;
  Warehouse keepOpen;

  @BeforeEach
  void openWarehouse() {
    url = "jdbc:duckdb::memory:plan-" + UUID.randomUUID();
    keepOpen = Warehouse.open(url);
    keepOpen.applySchema();
  }

  @AfterEach
  void closeWarehouse() {
    keepOpen.close();
  }

  void store(String callId) {
    keepOpen.merge(WarehouseTable.RAW_CALLS, List.of(WarehouseRow.of(WarehouseTable.RAW_CALLS)
        .set("CALL_ID", callId).set("CALL_STARTED_AT", NOW.minus(Duration.ofHours(30)))
        .set("PAYLOAD", new WarehouseRow.Json("{\"metaData\":{\"id\":\"" + callId + "\"}}"))
        .set("PAYLOAD_HASH", "h").set("JOB_ID", "backfill-1")
        .set("INGESTED_AT", NOW.minus(Duration.ofHours(30))).build()));
  }

  void job(String jobId, JobLog.Status status) {
    keepOpen.recordJob(JobLog.builder(jobId, "incremental", NOW.minus(Duration.ofHours(3)))
        .finish(status, NOW.minus(Duration.ofHours(2))).build());
  }

  @Test
  void onlyNewUnstoredUntrustedOrDueCallsAreFetched(TestPipeline p) {
    Instant seen = NOW.minus(Duration.ofHours(3));
    // "fresh": fetched 3 h ago by a job that succeeded; stored; next due at 6 h: skipped.
    store("fresh");
    job("good", JobLog.Status.SUCCEEDED);
    // "due": same, but its 1-hour re-fetch is due now.
    store("due");
    // "died": planned by a run that failed before the data of its re-fetch landed: not trusted.
    store("died");
    job("bad", JobLog.Status.FAILED);
    // "lost": planned (by this very job) but never stored: fetched at once.
    // "inflight": planned by this very job a minute ago (the previous poll), not stored yet: its
    // fetch is under way, so listing it again does not fetch it again.
    // "failedfetch": the same, but its fetch failed (queued for a retry): fetched again at once.
    keepOpen.merge(WarehouseTable.RETRY_QUEUE, List.of(WarehouseRow.of(WarehouseTable.RETRY_QUEUE)
        .set("CALL_ID", "failedfetch").set("STAGE", "fetch_calls").set("ATTEMPTS", 1)
        .set("LAST_ERROR", "details missing").set("FAILURE_KIND", "RETRYABLE")
        .set("FIRST_FAILED_AT", NOW).set("NEXT_ATTEMPT_AT", NOW.plus(Duration.ofMinutes(15)))
        .set("JOB_ID", "this-job").set("LOADED_AT", NOW).build()));
    // "old": stored by a backfill 30 h ago, no schedule row: its 24 h re-fetch is due.
    store("old");
    keepOpen.recordPlannedFetches(List.of(
        new PlannedFetch("fresh", seen, seen, seen.plus(Duration.ofHours(6)), 2, "good"),
        new PlannedFetch("due", seen, seen, NOW.minus(Duration.ofMinutes(1)), 1, "good"),
        new PlannedFetch("died", seen, seen, seen.plus(Duration.ofHours(6)), 2, "bad"),
        new PlannedFetch("lost", seen, seen, seen.plus(Duration.ofHours(6)), 2, "this-job"),
        new PlannedFetch("inflight", NOW.minus(Duration.ofMinutes(1)),
            NOW.minus(Duration.ofMinutes(1)), NOW.plus(Duration.ofMinutes(59)), 1, "this-job"),
        new PlannedFetch("failedfetch", NOW.minus(Duration.ofMinutes(1)),
            NOW.minus(Duration.ofMinutes(1)), NOW.plus(Duration.ofMinutes(59)), 1, "this-job")));

    PCollection<String> fetched = p
        .apply(Create.of(new CallIdBatch(WINDOW, List.of("fresh", "due", "died", "lost", "old",
            "new", "inflight", "failedfetch"))).withCoder(SerializableCoder.of(CallIdBatch.class)))
        .apply(PlanFetches.into(WarehouseProvider.of(url), "this-job")
            .withClock(() -> NOW))
        .apply(FlatMapElements.into(TypeDescriptors.strings()).via(CallIdBatch::callIds));
    PAssert.that(fetched).containsInAnyOrder("due", "died", "lost", "old", "new", "failedfetch");
    p.run().waitUntilFinish();

    Map<String, Object> newRow = keepOpen.query("SELECT FIRST_SEEN, NEXT_DUE, FETCHES, JOB_ID "
        + "FROM OPS_MONITORING.CALL_FETCH_SCHEDULE WHERE CALL_ID = 'new'").get(0);
    assertThat(newRow.get("FIRST_SEEN"), equalTo(NOW));
    assertThat(newRow.get("NEXT_DUE"), equalTo(NOW.plus(Duration.ofHours(1))));
    assertThat(((Number) newRow.get("FETCHES")).longValue(), equalTo(1L));
    assertThat(newRow.get("JOB_ID"), equalTo("this-job"));
    // The skipped call's row is untouched; the due one moved to its 6-hour step.
    assertThat(keepOpen.query("SELECT CALL_ID, NEXT_DUE FROM OPS_MONITORING.CALL_FETCH_SCHEDULE "
            + "WHERE CALL_ID IN ('fresh', 'due') ORDER BY CALL_ID"),
        equalTo(List.of(Map.of("CALL_ID", "due", "NEXT_DUE", seen.plus(Duration.ofHours(6))),
            Map.of("CALL_ID", "fresh", "NEXT_DUE", seen.plus(Duration.ofHours(6))))));
    assertThat(keepOpen.query("SELECT CALL_ID FROM OPS_MONITORING.CALL_FETCH_SCHEDULE WHERE "
            + "JOB_ID = 'this-job'").stream().map(r -> r.get("CALL_ID")).toList(),
        containsInAnyOrder("due", "died", "lost", "old", "new", "inflight", "failedfetch"));
    assertThat("the in-flight call's row is untouched", keepOpen.query("SELECT FETCHES FROM "
        + "OPS_MONITORING.CALL_FETCH_SCHEDULE WHERE CALL_ID = 'inflight'").get(0).get("FETCHES")
        .toString(), equalTo("1"));
  }

  /**
   * Issue 11 leftover: a backfill (no plan: every listed call is fetched) that dies after a call's
   * RAW and STG rows land but before its chunks do. Unstamped, the next planned run trusted the
   * call as stored (a stored call without a schedule row counted as trusted, and one planned by a
   * run that succeeded stayed trusted) and skipped it. {@link PlanFetches#fetchingAll} fetches
   * every call but stamps each schedule row with its job first (keeping its place on the
   * schedule), so the next run fetches the calls of the backfill that died and skips those of one
   * that succeeded.
   */
  @Test
  void aBackfillStampsEveryCallItFetchesSoOneThatDiedLeavesThemUntrusted(TestPipeline p) {
    Instant seen = NOW.minus(Duration.ofHours(3));
    job("good", JobLog.Status.SUCCEEDED);
    // "planned": stored and planned by a run that succeeded, next due in 3 h.
    store("planned");
    keepOpen.recordPlannedFetches(List.of(new PlannedFetch("planned", seen, seen,
        seen.plus(Duration.ofHours(6)), 2, "good")));
    // "backfilled": stored by an earlier backfill, no schedule row.
    store("backfilled");

    PCollection<String> fetched = p
        .apply(Create.of(new CallIdBatch(WINDOW, List.of("planned", "backfilled", "new")))
            .withCoder(SerializableCoder.of(CallIdBatch.class)))
        .apply(PlanFetches.into(WarehouseProvider.of(url), "backfill-2").withClock(() -> NOW)
            .fetchingAll())
        .apply(FlatMapElements.into(TypeDescriptors.strings()).via(CallIdBatch::callIds));
    PAssert.that(fetched).containsInAnyOrder("planned", "backfilled", "new");
    p.run().waitUntilFinish();

    assertThat(keepOpen.query("SELECT CALL_ID FROM OPS_MONITORING.CALL_FETCH_SCHEDULE WHERE "
            + "JOB_ID = 'backfill-2'").stream().map(r -> r.get("CALL_ID")).toList(),
        containsInAnyOrder("planned", "backfilled", "new"));
    Map<String, Object> planned = keepOpen.query("SELECT FIRST_SEEN, NEXT_DUE, LAST_FETCHED "
        + "FROM OPS_MONITORING.CALL_FETCH_SCHEDULE WHERE CALL_ID = 'planned'").get(0);
    assertThat("its place on the schedule is kept", planned.get("FIRST_SEEN"), equalTo(seen));
    assertThat(planned.get("NEXT_DUE"), equalTo(seen.plus(Duration.ofHours(6))));
    assertThat(planned.get("LAST_FETCHED"), equalTo(NOW));

    // The backfill died (its job row FAILED): the next planned run fetches all three again.
    job("backfill-2", JobLog.Status.FAILED);
    PlanFetches next = PlanFetches.into(WarehouseProvider.of(url), "inc-3").withClock(
        () -> NOW.plus(Duration.ofMinutes(5)));
    CallIdBatch again = next.planBatch(new CallIdBatch(WINDOW,
        List.of("planned", "backfilled", "new")));
    assertThat(again == null ? List.of() : again.callIds(),
        containsInAnyOrder("planned", "backfilled", "new"));
  }

  /** Had the backfill succeeded, the next run skips the calls that are not due. */
  @Test
  void callsStampedByABackfillThatSucceededAreTrusted() {
    Instant seen = NOW.minus(Duration.ofHours(3));
    store("planned");
    keepOpen.recordPlannedFetches(List.of(new PlannedFetch("planned", seen, seen,
        seen.plus(Duration.ofHours(6)), 2, "backfill-2")));
    job("backfill-2", JobLog.Status.SUCCEEDED);
    CallIdBatch again = PlanFetches.into(WarehouseProvider.of(url), "inc-3")
        .withClock(() -> NOW).planBatch(new CallIdBatch(WINDOW, List.of("planned")));
    assertThat(again == null ? List.of() : again.callIds(), equalTo(List.of()));
  }

  @Test
  void whenTheWarehouseCannotBeReadTheWholeBatchIsFetched(TestPipeline p) {
    WarehouseProvider down = () -> {
      throw new WarehouseException("file locked by another process", null);
    };
    PCollection<String> fetched = p
        .apply(Create.of(new CallIdBatch(WINDOW, List.of("a", "b")))
            .withCoder(SerializableCoder.of(CallIdBatch.class)))
        .apply(PlanFetches.into(down, "this-job").withClock(() -> NOW))
        .apply(FlatMapElements.into(TypeDescriptors.strings()).via(CallIdBatch::callIds));
    PAssert.that(fetched).containsInAnyOrder("a", "b");
    p.run().waitUntilFinish();
  }
}
