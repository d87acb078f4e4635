package com.gongpipeline.warehouse;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The life of a stored call after it was first written: calls that Gong no longer lists (made
 * private, or deleted) are found and removed from what readers see, and per-call versions keep an
 * older fetch from overwriting a newer one.
 *
 * <p>One role of the {@link Warehouse} facade. Failures are {@link WarehouseException}s with a
 * {@link com.gongpipeline.errors.FailureKind} (see {@link Warehouse}).
 */
public interface WarehouseCallLifecycle {
  /**
   * Stored, not yet deleted calls that Gong would have listed in {@code [from, to)} but did not:
   * their start ({@code CALL_DATETIME_UTC}) and, when known, their scheduled time both lie in the
   * window (Gong filters web conferences by scheduled time), and their id is not in {@code listed}.
   * Only meaningful when the window was listed completely.
   */
  List<String> vanishedCalls(Instant from, Instant to, Collection<String> listed);

  /**
   * Removes a call Gong no longer lists from what readers see: deletes its AI_MEMORY chunks and
   * its STG turns, then flags its STG_GONG_CALLS row {@code IS_DELETED} with {@code DELETED_AT =
   * at} and {@code JOB_ID = jobId}, clearing its risk columns (they cite the deleted chunks). Each step is idempotent; the flag comes last, so a call whose
   * removal was interrupted is found again by the next sweep. A later normal MERGE of the call
   * (it reappeared) clears the flag.
   *
   * @return true if this call flipped the call's flag (false: already flagged or not stored)
   */
  boolean markCallDeleted(String callId, String jobId, Instant at);

  /** CALL_ID → stored CALL_VERSION of those of these calls that have one (ids bound in batches). */
  Map<String, Long> storedCallVersions(Collection<String> callIds);

  /**
   * Parent id → newest CALL_VERSION among its rows in a child table that carries one ({@link
   * WarehouseTable#versionColumn()}: turns, chunks), for those parents that have one.
   */
  Map<String, Long> storedChildVersions(WarehouseTable table, String parentColumn,
      Collection<String> parentIds);

  /** Calls flagged deleted by this job (the job log's CALLS_DELETED, read from the warehouse). */
  long callsDeletedBy(String jobId);
}
