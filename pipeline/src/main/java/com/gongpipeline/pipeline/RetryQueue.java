package com.gongpipeline.pipeline;

import com.gongpipeline.errors.DeadLetter;
import com.gongpipeline.errors.DeadLetterStage;
import com.gongpipeline.errors.FailureKind;
import com.gongpipeline.warehouse.Warehouse;
import com.gongpipeline.warehouse.WarehouseRow;
import com.gongpipeline.warehouse.WarehouseTable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The incremental sync's retry list ({@code OPS_MONITORING.RETRY_QUEUE}) and its mark guard, both
 * decided from the warehouse, never from runner metrics (which read as empty for a detached Flink
 * job).
 *
 * <p>Before a run, {@link #load} gives the queued calls and {@link #due} the ones to fetch again
 * (besides the listed ones). After it, {@link #settle} reads this job's {@code fetch_calls} rows in
 * {@code OPS_MONITORING.DEAD_LETTER}: each failed call is queued (attempts + 1, last error, next
 * attempt after a capped back-off), each retried call that did not fail leaves the queue, and the
 * result says whether the high-water mark may advance: not while a window could not be listed, a
 * fetch was refused for quota or configuration, or a call has failed fewer than {@code
 * --maxCallAttempts} times. A call past that many attempts no longer holds the mark; it stays in
 * the queue (retried at most daily) and is counted as given up.
 */
final class RetryQueue {
  /** First back-off; doubles per attempt up to {@link #MAX_BACKOFF}. */
  static final Duration FIRST_BACKOFF = Duration.ofMinutes(15);
  static final Duration MAX_BACKOFF = Duration.ofDays(1);

  private RetryQueue() {}

  /** One queued call. */
  record Entry(String callId, String stage, int attempts, String lastError, String failureKind,
      Instant firstFailedAt, Instant nextAttemptAt, String jobId) {}

  /**
   * What a finished run leaves.
   *
   * @param unlistedWindows windows this job could not list (retryable): the mark must stay
   * @param refused calls whose fetch was refused for quota or configuration: the mark must stay
   * @param holding queued calls that failed this run with fewer than maxCallAttempts attempts
   * @param givenUp calls that failed this run and have reached maxCallAttempts
   * @param recovered retried calls that did not fail this run (removed from the queue)
   */
  record Settled(long unlistedWindows, Set<String> refused, Set<String> holding,
      Set<String> givenUp, Set<String> recovered) {
    boolean mayAdvance() {
      return unlistedWindows == 0 && refused.isEmpty() && holding.isEmpty();
    }
  }

  static Map<String, Entry> load(Warehouse wh) {
    Map<String, Entry> out = new LinkedHashMap<>();
    for (Map<String, Object> r : wh.query("SELECT CALL_ID, STAGE, ATTEMPTS, LAST_ERROR, "
        + "FAILURE_KIND, FIRST_FAILED_AT, NEXT_ATTEMPT_AT, JOB_ID FROM OPS_MONITORING.RETRY_QUEUE "
        + "ORDER BY CALL_ID")) {
      String id = (String) r.get("CALL_ID");
      out.put(id, new Entry(id, (String) r.get("STAGE"), ((Number) r.get("ATTEMPTS")).intValue(),
          (String) r.get("LAST_ERROR"), (String) r.get("FAILURE_KIND"),
          (Instant) r.get("FIRST_FAILED_AT"), (Instant) r.get("NEXT_ATTEMPT_AT"),
          (String) r.get("JOB_ID")));
    }
    return out;
  }

  /** Queued calls whose next attempt is due at {@code now}, plus the forced ones, sorted. */
  static List<String> due(Map<String, Entry> queue, Instant now, Collection<String> forced) {
    Set<String> ids = new TreeSet<>(forced);
    for (Entry e : queue.values()) {
      if (!e.nextAttemptAt().isAfter(now)) {
        ids.add(e.callId());
      }
    }
    return new ArrayList<>(ids);
  }

  /** When a call that has failed {@code attempts} times is next worth fetching. */
  static Instant nextAttempt(int attempts, Instant now) {
    Duration backoff = FIRST_BACKOFF.multipliedBy(1L << Math.min(Math.max(attempts - 1, 0), 20));
    return now.plus(backoff.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff);
  }

  /**
   * Updates the queue from this job's dead letters and decides the mark (see the class comment).
   * Retried calls leave the queue only when the run succeeded (a failed run may not have reached
   * them). Idempotent within a job ({@code before} is the queue as the job found it; rows this job
   * already wrote are kept), so a backfill settles after each slice and once more at its end.
   */
  static Settled settle(Warehouse wh, String jobId, Map<String, Entry> before,
      Collection<String> retried, boolean runSucceeded, int maxCallAttempts, Instant now) {
    long unlisted = 0;
    Set<String> refused = new TreeSet<>();
    Set<String> holding = new TreeSet<>();
    Set<String> givenUp = new TreeSet<>();
    Set<String> failed = new TreeSet<>();
    List<WarehouseRow> rows = new ArrayList<>();
    // Calls this job already queued (a backfill settles after every slice): left as they are.
    Set<String> queuedByThisJob = new TreeSet<>();
    // Calls whose rows this job could not write (queued as they failed, recordWriteFailure): not
    // recovered, whatever their fetch did.
    Set<String> unwritten = new TreeSet<>();
    for (Map<String, Object> r : wh.query(
        "SELECT CALL_ID, STAGE FROM OPS_MONITORING.RETRY_QUEUE WHERE JOB_ID = ?", jobId)) {
      queuedByThisJob.add((String) r.get("CALL_ID"));
      if (WRITE_STAGE.equals(r.get("STAGE"))) {
        unwritten.add((String) r.get("CALL_ID"));
      }
    }
    for (Map<String, Object> r : wh.query("SELECT STAGE, RECORD_KEY, ERROR_MESSAGE, FAILURE_KIND "
            + "FROM OPS_MONITORING.DEAD_LETTER WHERE JOB_ID = ? AND STAGE IN (?, ?) "
            + "ORDER BY RECORD_KEY", jobId, DeadLetterStage.LIST_CALLS.stageName(),
        DeadLetterStage.FETCH_CALLS.stageName())) {
      String stage = (String) r.get("STAGE");
      String key = (String) r.get("RECORD_KEY");
      String kind = (String) r.get("FAILURE_KIND");
      if (DeadLetterStage.LIST_CALLS.stageName().equals(stage)) {
        // A listed call without an id (PERMANENT) can never be read: it does not hold the mark.
        if (!FailureKind.PERMANENT.name().equals(kind)) {
          unlisted++;
        }
        continue;
      }
      failed.add(key);
      if (FailureKind.RATE_LIMITED.name().equals(kind)
          || FailureKind.FATAL_CONFIG.name().equals(kind)) {
        refused.add(key); // not the call's fault: no attempt counted; the mark stays
        continue;
      }
      Entry old = before.get(key);
      int attempts = (old == null ? 0 : old.attempts()) + 1;
      (attempts >= maxCallAttempts ? givenUp : holding).add(key);
      if (queuedByThisJob.contains(key)) {
        continue;
      }
      rows.add(WarehouseRow.of(WarehouseTable.RETRY_QUEUE)
          .set("CALL_ID", key)
          .set("STAGE", stage)
          .set("ATTEMPTS", attempts)
          .set("LAST_ERROR", (String) r.get("ERROR_MESSAGE"))
          .set("FAILURE_KIND", kind)
          .set("FIRST_FAILED_AT", old == null ? now : old.firstFailedAt())
          .set("NEXT_ATTEMPT_AT", nextAttempt(attempts, now))
          .set("JOB_ID", jobId)
          .set("LOADED_AT", now)
          .build());
    }
    if (!rows.isEmpty()) {
      wh.merge(WarehouseTable.RETRY_QUEUE, rows);
    }
    Set<String> recovered = new TreeSet<>();
    if (runSucceeded) {
      for (String id : retried) {
        if (!failed.contains(id) && !unwritten.contains(id) && before.containsKey(id)) {
          recovered.add(id);
        }
      }
    }
    // A queued call this job fetched and staged anyway (listed again, e.g. a backfill re-reading
    // its window) has been fetched: it leaves the queue too.
    for (Map<String, Object> r : wh.query("SELECT q.CALL_ID FROM OPS_MONITORING.RETRY_QUEUE q "
        + "JOIN STG_TRANSFORMED.STG_GONG_CALLS s ON s.CALL_ID = q.CALL_ID WHERE s.JOB_ID = ?",
        jobId)) {
      String id = (String) r.get("CALL_ID");
      if (!failed.contains(id) && !unwritten.contains(id)) {
        recovered.add(id);
      }
    }
    if (!recovered.isEmpty()) {
      wh.deleteWhere(WarehouseTable.RETRY_QUEUE, "CALL_ID", recovered);
    }
    return new Settled(unlisted, refused, holding, givenUp, recovered);
  }

  // --- The stream's side: it never ends, so it queues and claims call by call. ---

  /**
   * The stream's claim on each poll: the due calls (at most {@code max}, oldest next attempt
   * first), whose next attempt moves {@link #FIRST_BACKOFF} ahead so the next polls leave them
   * alone while this one fetches them. A fetch that fails again is queued by {@link #recordFailure}
   * (attempts + 1); one that succeeds leaves the queue ({@link #remove}).
   */
  static List<String> claimDue(Warehouse wh, Instant now, int max) {
    List<Entry> due = new ArrayList<>();
    for (Entry e : load(wh).values()) {
      if (!e.nextAttemptAt().isAfter(now)) {
        due.add(e);
      }
    }
    due.sort(java.util.Comparator.comparing(Entry::nextAttemptAt).thenComparing(Entry::callId));
    List<Entry> claimed = due.subList(0, Math.min(max, due.size()));
    postpone(wh, claimed, now.plus(FIRST_BACKOFF), now);
    List<String> ids = new ArrayList<>();
    claimed.forEach(e -> ids.add(e.callId()));
    return ids;
  }

  /**
   * Moves the next attempt of {@code entries} to {@code at}, stamped {@code now} (LOADED_AT: a fetch
   * made after it settles the entry once its rows are written, see {@link #removeWritten}).
   */
  static void postpone(Warehouse wh, Collection<Entry> entries, Instant at, Instant now) {
    List<WarehouseRow> rows = new ArrayList<>();
    for (Entry e : entries) {
      rows.add(row(e.callId(), e.stage(), e.attempts(), e.lastError(), e.failureKind(),
          e.firstFailedAt(), at, e.jobId(), now));
    }
    if (!rows.isEmpty()) {
      wh.merge(WarehouseTable.RETRY_QUEUE, rows);
    }
  }

  /**
   * Queues one failed fetch of a running job (the stream): attempts + 1 over what is queued, next
   * attempt after the capped back-off. Quota and configuration refusals are not the call's fault
   * and are not queued (the stream's listing re-reads those calls once the budget frees up).
   *
   * @return the call's attempts now, or 0 when it was not queued
   */
  static int recordFailure(Warehouse wh, DeadLetter dl, String jobId, Instant now) {
    if (dl.stage() != DeadLetterStage.FETCH_CALLS || dl.kind() == FailureKind.RATE_LIMITED
        || dl.kind() == FailureKind.FATAL_CONFIG) {
      return 0;
    }
    Entry old = null;
    for (Map<String, Object> r : wh.query("SELECT ATTEMPTS, FIRST_FAILED_AT FROM "
        + "OPS_MONITORING.RETRY_QUEUE WHERE CALL_ID = ?", dl.recordKey())) {
      old = new Entry(dl.recordKey(), null, ((Number) r.get("ATTEMPTS")).intValue(), null, null,
          (Instant) r.get("FIRST_FAILED_AT"), null, null);
    }
    int attempts = (old == null ? 0 : old.attempts()) + 1;
    wh.merge(WarehouseTable.RETRY_QUEUE, List.of(row(dl.recordKey(), dl.stage().stageName(),
        attempts, dl.errorMessage(), dl.kind().name(), old == null ? now : old.firstFailedAt(),
        nextAttempt(attempts, now), jobId, now)));
    return attempts;
  }

  /**
   * Takes a call off the queue once the rows of a fetch made at {@code fetchedAt} are committed:
   * only an entry last stamped (claimed, queued) at or before that fetch; one stamped later (a
   * later fetch failed, or this fetch's rows failed elsewhere) stays.
   *
   * @return whether the call left the queue
   */
  static boolean removeWritten(Warehouse wh, String callId, Instant fetchedAt) {
    for (Map<String, Object> r : wh.query("SELECT LOADED_AT FROM OPS_MONITORING.RETRY_QUEUE "
        + "WHERE CALL_ID = ?", callId)) {
      Instant stamped = (Instant) r.get("LOADED_AT");
      if (stamped != null && !stamped.isAfter(fetchedAt)) {
        wh.deleteWhere(WarehouseTable.RETRY_QUEUE, "CALL_ID", List.of(callId));
        return true;
      }
    }
    return false;
  }

  /**
   * Queues a call whose rows from a fetch made at {@code fetchedAt} could not be written (stage
   * {@code write}): it is fetched and written again after the back-off. Several tables failing for
   * the same fetch count one attempt.
   *
   * @return the call's attempts now
   */
  static int recordWriteFailure(Warehouse wh, String callId, Instant fetchedAt, String error,
      String kind, String jobId, Instant now) {
    int attempts = 0;
    Instant firstFailedAt = now;
    for (Map<String, Object> r : wh.query("SELECT STAGE, ATTEMPTS, FIRST_FAILED_AT, LOADED_AT "
        + "FROM OPS_MONITORING.RETRY_QUEUE WHERE CALL_ID = ?", callId)) {
      attempts = ((Number) r.get("ATTEMPTS")).intValue();
      firstFailedAt = (Instant) r.get("FIRST_FAILED_AT");
      Instant stamped = (Instant) r.get("LOADED_AT");
      if (WRITE_STAGE.equals(r.get("STAGE")) && stamped != null && stamped.isAfter(fetchedAt)) {
        return attempts; // this fetch's failure is already queued (another table of it)
      }
    }
    attempts++;
    wh.merge(WarehouseTable.RETRY_QUEUE, List.of(row(callId, WRITE_STAGE, attempts, error, kind,
        firstFailedAt, nextAttempt(attempts, now), jobId, now)));
    return attempts;
  }

  /** The stage of a queued call whose rows could not be written. */
  static final String WRITE_STAGE = DeadLetterStage.WRITE.stageName();

  /** Epoch micros ({@link com.gongpipeline.model.FetchedCall#version}) as an instant. */
  static Instant fetchedAt(long version) {
    return Instant.ofEpochSecond(Math.floorDiv(version, 1_000_000L),
        Math.floorMod(version, 1_000_000L) * 1_000L);
  }

  private static WarehouseRow row(String callId, String stage, int attempts, String lastError,
      String kind, Instant firstFailedAt, Instant nextAttemptAt, String jobId, Instant loadedAt) {
    return WarehouseRow.of(WarehouseTable.RETRY_QUEUE)
        .set("CALL_ID", callId)
        .set("STAGE", stage)
        .set("ATTEMPTS", attempts)
        .set("LAST_ERROR", lastError)
        .set("FAILURE_KIND", kind)
        .set("FIRST_FAILED_AT", firstFailedAt)
        .set("NEXT_ATTEMPT_AT", nextAttemptAt)
        .set("JOB_ID", jobId)
        .set("LOADED_AT", loadedAt)
        .build();
  }
}
