package com.gongpipeline.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import com.gongpipeline.warehouse.Warehouse;
import com.gongpipeline.warehouse.WarehouseRow;
import com.gongpipeline.warehouse.WarehouseTable;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The incremental mark guard and retry queue, decided from the warehouse alone (this job's dead
 * letters and OPS_MONITORING.RETRY_QUEUE): no runner metrics are consulted, so a detached Flink
 * job, whose metrics read as empty, is guarded the same way.
 */
class RetryQueueTest {
  private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
  private Warehouse wh;

  @BeforeEach
  void open() {
    wh = Warehouse.open("jdbc:duckdb::memory:retryQueue" + System.nanoTime());
    wh.applySchema();
  }

  @AfterEach
  void close() {
    wh.close();
  }

  private void deadLetter(String job, String stage, String key, String kind) {
    wh.merge(WarehouseTable.DEAD_LETTER, List.of(WarehouseRow.of(WarehouseTable.DEAD_LETTER)
        .set("DEAD_LETTER_ID", job + "|" + stage + "|" + key)
        .set("JOB_ID", job).set("STAGE", stage).set("RECORD_KEY", key)
        .set("ERROR_MESSAGE", "boom " + key).set("FAILURE_KIND", kind).set("ATTEMPTS", 3)
        .set("LOADED_AT", NOW).build()));
  }

  private RetryQueue.Settled settle(String job, List<String> retried) {
    return RetryQueue.settle(wh, job, RetryQueue.load(wh), retried, true, 3, NOW);
  }

  /** Metrics unavailable (none are read) but a window failed to list: the mark must not move. */
  @Test
  void aListDeadLetterOfThisJobHoldsTheMarkWithoutAnyMetrics() {
    deadLetter("job-1", "list_calls", "[2026-05-31T00:00:00Z, 2026-06-01T00:00:00Z)", "RETRYABLE");
    deadLetter("other-job", "fetch_calls", "c-other", "RETRYABLE");
    RetryQueue.Settled s = settle("job-1", List.of());
    assertThat(s.unlistedWindows(), is(1L));
    assertThat(s.mayAdvance(), is(false));
    assertThat("another job's dead letters are not this run's", s.holding(), empty());
    assertThat(settle("job-2", List.of()).mayAdvance(), is(true));
  }

  /** A listed call without id (PERMANENT) can never be read, so it cannot hold the mark. */
  @Test
  void aPermanentListDeadLetterDoesNotHoldTheMark() {
    deadLetter("job-1", "list_calls", "[w) calls[0].id", "PERMANENT");
    assertThat(settle("job-1", List.of()).mayAdvance(), is(true));
  }

  /** Quota or configuration refusals are not the call's fault: no attempt, but the mark stays. */
  @Test
  void aQuotaRefusedFetchHoldsTheMarkButIsNotQueued() {
    deadLetter("job-1", "fetch_calls", "c1", "RATE_LIMITED");
    RetryQueue.Settled s = settle("job-1", List.of());
    assertThat(s.refused(), equalTo(Set.of("c1")));
    assertThat(s.mayAdvance(), is(false));
    assertThat(RetryQueue.load(wh).isEmpty(), is(true));
  }

  /**
   * A poison call is queued and holds the mark for maxCallAttempts - 1 runs; then it stops holding
   * it but stays queued; once it is fetched it leaves the queue.
   */
  @Test
  void aFailingCallHoldsTheMarkUntilMaxAttemptsThenStaysQueuedUntilItSucceeds() {
    for (int run = 1; run <= 3; run++) {
      String job = "job-" + run;
      deadLetter(job, "fetch_calls", "poison", "RETRYABLE");
      RetryQueue.Settled s = settle(job, run == 1 ? List.of() : List.of("poison"));
      RetryQueue.Entry e = RetryQueue.load(wh).get("poison");
      assertThat(e.attempts(), is(run));
      assertThat(e.lastError(), containsString("boom poison"));
      assertThat(e.firstFailedAt(), equalTo(NOW));
      if (run < 3) {
        assertThat(s.holding(), equalTo(Set.of("poison")));
        assertThat(s.mayAdvance(), is(false));
      } else {
        assertThat(s.givenUp(), equalTo(Set.of("poison")));
        assertThat(s.mayAdvance(), is(true));
      }
    }
    // Next attempt backs off (15 min, 30 min, 1 h for the third failure).
    assertThat(RetryQueue.load(wh).get("poison").nextAttemptAt(),
        equalTo(NOW.plus(Duration.ofHours(1))));
    assertThat(RetryQueue.due(RetryQueue.load(wh), NOW, List.of("forced")),
        equalTo(List.of("forced")));
    assertThat(RetryQueue.due(RetryQueue.load(wh), NOW.plus(Duration.ofHours(1)), List.of()),
        equalTo(List.of("poison")));

    RetryQueue.Settled fixed = settle("job-4", List.of("poison"));
    assertThat(fixed.recovered(), equalTo(Set.of("poison")));
    assertThat(RetryQueue.load(wh).isEmpty(), is(true));
  }

  /** A failed run may not have reached a retried call: it stays queued. */
  @Test
  void aFailedRunRemovesNothingFromTheQueue() {
    deadLetter("job-1", "fetch_calls", "c1", "PERMANENT");
    settle("job-1", List.of());
    Map<String, RetryQueue.Entry> queue = RetryQueue.load(wh);
    RetryQueue.Settled s = RetryQueue.settle(wh, "job-2", queue, List.of("c1"), false, 3, NOW);
    assertThat(s.recovered(), empty());
    assertThat(RetryQueue.load(wh).keySet(), equalTo(Set.of("c1")));
  }

  /**
   * A retried call fetched in a run that succeeded, but whose rows failed to write (queued by the
   * sink as they failed, stage write), is not recovered: it stays queued, one attempt more, and a
   * later run that writes it takes it off.
   */
  @Test
  void aRetriedCallWhoseRowsFailedToWriteStaysQueued() {
    deadLetter("job-1", "fetch_calls", "c1", "RETRYABLE");
    settle("job-1", List.of());
    Map<String, RetryQueue.Entry> queue = RetryQueue.load(wh);
    RetryQueue.recordWriteFailure(wh, "c1", NOW, "outage", "RETRYABLE", "job-2",
        NOW.plusSeconds(5));
    // A second table of the same fetch failing counts no further attempt.
    RetryQueue.recordWriteFailure(wh, "c1", NOW, "outage", "RETRYABLE", "job-2",
        NOW.plusSeconds(6));
    RetryQueue.Settled s = RetryQueue.settle(wh, "job-2", queue, List.of("c1"), true, 3, NOW);
    assertThat(s.recovered(), empty());
    RetryQueue.Entry e = RetryQueue.load(wh).get("c1");
    assertThat(e.stage(), equalTo("write"));
    assertThat(e.attempts(), is(2));

    assertThat(settle("job-3", List.of("c1")).recovered(), equalTo(Set.of("c1")));
    assertThat(RetryQueue.load(wh).isEmpty(), is(true));
  }

  /**
   * The stream's commit settles only an entry stamped at or before the fetch whose rows were
   * written: one re-queued after it (a later failure) stays.
   */
  @Test
  void aWrittenFetchRemovesOnlyAnEntryStampedBeforeIt() {
    RetryQueue.recordWriteFailure(wh, "c1", NOW, "outage", "RETRYABLE", "s", NOW.plusSeconds(10));
    assertThat(RetryQueue.removeWritten(wh, "c1", NOW.plusSeconds(5)), is(false));
    assertThat(RetryQueue.load(wh).keySet(), equalTo(Set.of("c1")));
    assertThat(RetryQueue.removeWritten(wh, "c1", NOW.plusSeconds(10)), is(true));
    assertThat(RetryQueue.load(wh).isEmpty(), is(true));
    assertThat(RetryQueue.fetchedAt(
        com.gongpipeline.model.FetchedCall.versionAt(NOW.plusMillis(1))), equalTo(
        NOW.plusMillis(1)));
  }
}
