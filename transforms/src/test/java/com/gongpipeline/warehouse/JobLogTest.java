package com.gongpipeline.warehouse;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The job log: one row per run, RUNNING at start, upserted to its final state at the end. */
class JobLogTest {
  private static final Instant START = Instant.parse("2024-06-01T12:00:00.250Z");

  @Test
  void runningThenSucceededUpsertsOneRow() {
    try (DuckDbWarehouse wh = TestRows.openWithSchema()) {
      JobLog running = JobLog.builder("job-42", "backfill", START)
          .runner("DirectRunner")
          .window(Instant.parse("2024-05-01T00:00:00Z"), Instant.parse("2024-06-01T00:00:00Z"))
          .options(Map.of("pageSize", "100", "note", "quote \" and unicode ✓"))
          .build();
      wh.recordJob(running);
      assertThat(wh.findJob("job-42"), is(Optional.of(running)));

      wh.merge(WarehouseTable.STG_CALLS, TestRows.stgCalls(0, 2, "t", "job-42"));
      JobLog done = running.toBuilder()
          .finish(JobLog.Status.SUCCEEDED, START.plusMillis(61_500))
          .callsProcessed(2).chunksProcessed(17)
          .rowsWritten(Map.of("STG_TRANSFORMED.STG_GONG_CALLS", 2L))
          .tableCounts(wh.tableCounts())
          .apiRequests(5).apiRetries(1).apiRateLimited(1).deadLetters(0)
          .build();
      wh.recordJob(done);

      assertThat(wh.count(WarehouseTable.STG_CALLS), is(2L));
      assertThat(TestRows.scalar(wh, "SELECT count(*) FROM OPS_MONITORING.ETL_JOB_LOGS"), is(1L));
      JobLog stored = wh.findJob("job-42").orElseThrow();
      assertThat(stored, is(done));
      assertThat(stored.durationMs(), is(61_500L));
      assertThat(stored.tableCounts().get("STG_TRANSFORMED.STG_GONG_CALLS"), is(2L));
      assertThat(TestRows.scalar(wh, "SELECT TABLE_COUNTS->>'$.\"STG_TRANSFORMED.STG_GONG_CALLS\"'"
          + " FROM OPS_MONITORING.ETL_JOB_LOGS WHERE JOB_ID = ?", "job-42"), is("2"));
    }
  }

  @Test
  void failedRunKeepsItsErrorMessage() {
    try (DuckDbWarehouse wh = TestRows.openWithSchema()) {
      JobLog running = JobLog.builder("job-7", "incremental", START).build();
      wh.recordJob(running);
      wh.recordJob(running.toBuilder().finish(JobLog.Status.FAILED, START.plusSeconds(3))
          .errorMessage("Gong returned 401 for /v2/calls").build());
      JobLog stored = wh.findJob("job-7").orElseThrow();
      assertThat(stored.status(), is(JobLog.Status.FAILED));
      assertThat(stored.errorMessage(), is("Gong returned 401 for /v2/calls"));
      assertThat(stored.windowFrom(), is((Instant) null));
      assertThat(wh.findJob("no-such-job"), is(Optional.empty()));
    }
  }
}
