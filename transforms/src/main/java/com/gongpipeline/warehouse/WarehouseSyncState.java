package com.gongpipeline.warehouse;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * High-water marks of incremental syncs and stream positions, and the writer lease that keeps two
 * runs of one sync apart ({@code OPS_MONITORING.SYNC_STATE}, {@code SYNC_LEASE}).
 *
 * <p>One role of the {@link Warehouse} facade; a caller that needs only this role declares this
 * type. Failures are {@link WarehouseException}s with a {@link
 * com.gongpipeline.errors.FailureKind} (see {@link Warehouse}).
 */
public interface WarehouseSyncState {
  /**
   * The high-water mark of a sync in {@code OPS_MONITORING.SYNC_STATE}: the instant up to which
   * the sync has durably written everything (e.g. the latest call start time fully processed).
   * Empty if the sync never committed a mark.
   */
  Optional<Instant> highWaterMark(String syncName);

  /**
   * Moves the sync's high-water mark forward to {@code mark}, recording the job and the time.
   * The check and the write are one atomic conditional statement, so concurrent callers (threads
   * or processes) can never move the mark backwards: a mark that is not strictly later than the
   * stored one is a no-op. Marks are stored with microsecond precision (finer digits are cut).
   * Call it only after everything up to {@code mark} has been written.
   *
   * @return true if the stored mark changed (it was absent or earlier), false otherwise
   */
  boolean advanceHighWaterMark(String syncName, Instant mark, String jobId);

  /**
   * Deletes the sync's mark, so that it starts over (a backfill re-read from its start); the only
   * way a mark moves backwards. Call it only while no other run of the sync is live.
   *
   * @return true if a mark was stored
   */
  boolean clearHighWaterMark(String syncName);

  /**
   * Tries to take the writer lease {@code name} (one row of {@code OPS_MONITORING.SYNC_LEASE})
   * for {@code jobId} until now + {@code ttl}. It succeeds when nobody holds the lease, when the
   * current lease has expired (e.g. left behind by a killed run), or when {@code jobId} already
   * holds it (then it is extended); it fails when another job holds a lease that has not expired.
   *
   * <p>Atomicity: the decision and the write are one conditional statement (a MERGE whose
   * update branch only fires for an expired or own lease), which the database evaluates against
   * the row as committed, so two callers cannot both win, whichever process they run in. In the
   * DuckDB implementation every lease statement also runs under a JVM-wide lock per table, because
   * DuckDB does not detect every write-write conflict between concurrent transactions; DuckDB's
   * one-process-per-file rule means no other process can write the file meanwhile.
   *
   * <p>Expiry uses this process's clock: keep {@code ttl} far above clock skew between machines,
   * and renew well before it runs out (e.g. every ttl/3).
   *
   * @return the lease held, with its expiry as stored, or empty if another live job holds it
   */
  Optional<Lease> tryAcquireLease(String name, String jobId, Duration ttl);

  /**
   * Extends {@code jobId}'s lease to now + {@code ttl} (a heartbeat), in one conditional
   * statement.
   *
   * @return false if {@code jobId} no longer holds a live lease (it expired, or another job has
   *     taken it): the caller must stop writing, or try to acquire it again
   */
  boolean renewLease(String name, String jobId, Duration ttl);

  /** Releases the lease if {@code jobId} holds it; another job's lease is left alone. */
  void releaseLease(String name, String jobId);
}
