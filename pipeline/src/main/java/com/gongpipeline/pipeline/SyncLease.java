package com.gongpipeline.pipeline;

import com.gongpipeline.warehouse.JobLog;
import com.gongpipeline.warehouse.Warehouse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A heartbeat lease on a sync ({@code OPS_MONITORING.SYNC_LEASE}), held by the launcher process
 * for the life of a run: {@code incremental} and {@code stream} take the same lease for the same
 * {@code --syncName}, so they cannot both run.
 *
 * <ul>
 *   <li>The TTL is short ({@code --leaseTtl}, default {@link #DEFAULT_TTL} = 60 s) and a daemon
 *       thread renews it every third of it (20 s), so a killed run blocks the next one for at
 *       most one TTL (about a minute) instead of half an hour.
 *   <li>Lost lease: if a renewal is refused (another run took the expired lease over) or no
 *       renewal has succeeded for a whole TTL (the warehouse unreachable: someone else may hold it
 *       by now), the lease is lost for good: the callbacks of {@link #onLost} run (the launcher
 *       cancels its job, so it writes no more) and {@link #isHeld()} turns false (the launcher
 *       advances no mark).
 *   <li>Abandoned runs: taking a lease whose previous owner let it expire (killed, or lost it)
 *       marks that owner's {@code ETL_JOB_LOGS} row {@code ABANDONED} if it is still RUNNING.
 * </ul>
 *
 * <p>{@link #heartbeat()} is the renewal step; tests call it directly with a mutable clock.
 */
final class SyncLease implements AutoCloseable {
  /** Default {@code --leaseTtl}. */
  static final Duration DEFAULT_TTL = Duration.ofSeconds(60);

  private static final Logger LOG = LoggerFactory.getLogger(SyncLease.class);

  private final Supplier<Warehouse> warehouse;
  private final String name;
  private final String jobId;
  private final Duration ttl;
  private final Clock clock;
  private final @Nullable ScheduledExecutorService renewer;
  private final List<Runnable> onLost = new ArrayList<>();
  private Instant lastRenewed;
  private boolean lost;
  private boolean closed;

  private SyncLease(Supplier<Warehouse> warehouse, String name, String jobId, Duration ttl,
      Clock clock, Instant acquiredAt, boolean renewInBackground) {
    this.warehouse = warehouse;
    this.name = name;
    this.jobId = jobId;
    this.ttl = ttl;
    this.clock = clock;
    this.lastRenewed = acquiredAt;
    if (!renewInBackground) {
      this.renewer = null;
      return;
    }
    this.renewer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "lease-renewer-" + name);
      t.setDaemon(true);
      return t;
    });
    long every = renewEvery(ttl).toMillis();
    renewer.scheduleWithFixedDelay(this::heartbeat, every, every, TimeUnit.MILLISECONDS);
  }

  /** A third of the TTL (at least 1 s): two renewals may fail before the lease expires. */
  static Duration renewEvery(Duration ttl) {
    Duration third = ttl.dividedBy(3);
    return third.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : third;
  }

  /**
   * Takes the lease (renewed in the background) or explains who holds it.
   *
   * @throws LeaseHeldException when another live run holds the lease
   */
  static SyncLease acquire(String warehouseUrl, String name, String jobId, Duration ttl) {
    try (Warehouse wh = Warehouse.open(warehouseUrl)) {
      wh.applySchema();
    }
    return acquire(() -> Warehouse.open(warehouseUrl), name, jobId, ttl, Clock.systemUTC(), true);
  }

  /** As {@link #acquire(String, String, String, Duration)} over any warehouse and clock. */
  static SyncLease acquire(Supplier<Warehouse> warehouse, String name, String jobId, Duration ttl,
      Clock clock, boolean renewInBackground) {
    Instant now = clock.instant();
    try (Warehouse wh = warehouse.get()) {
      Optional<Map<String, Object>> before = wh.query("SELECT OWNER_JOB_ID, EXPIRES_AT FROM "
          + "OPS_MONITORING.SYNC_LEASE WHERE LEASE_NAME = ?", name).stream().findFirst();
      if (wh.tryAcquireLease(name, jobId, ttl).isEmpty()) {
        String holder = wh.query("SELECT OWNER_JOB_ID, EXPIRES_AT FROM OPS_MONITORING.SYNC_LEASE "
            + "WHERE LEASE_NAME = ?", name).stream().findFirst()
            .map(r -> r.get("OWNER_JOB_ID") + " (lease valid until " + r.get("EXPIRES_AT")
                + " UTC)")
            .orElse("another run");
        throw new LeaseHeldException("Sync '" + name + "' is already running: " + holder
            + ". This run exits without touching anything; a killed run's lease expires by "
            + "itself within --leaseTtl.");
      }
      before.map(r -> String.valueOf(r.get("OWNER_JOB_ID")))
          .filter(previous -> !previous.equals(jobId))
          .ifPresent(previous -> markAbandoned(wh, previous, jobId, now));
    }
    return new SyncLease(warehouse, name, jobId, ttl, clock, now, renewInBackground);
  }

  /** The expired lease's owner left its job row RUNNING: it died or lost the lease. */
  private static void markAbandoned(Warehouse wh, String previous, String by, Instant now) {
    Optional<JobLog> row = wh.findJob(previous);
    if (row.isPresent() && row.get().status() == JobLog.Status.RUNNING) {
      wh.recordJob(row.get().toBuilder().finish(JobLog.Status.ABANDONED, now)
          .errorMessage("its lease expired while it was RUNNING (killed, or it lost the lease);"
              + " abandoned by " + by)
          .build());
      LOG.warn("Job {} held the lease until it expired and never finished: marked ABANDONED",
          previous);
    }
  }

  /**
   * One renewal: extends the lease by the TTL, or records that it is lost (refused, or no success
   * for a whole TTL). Returns whether the lease is still held.
   */
  synchronized boolean heartbeat() {
    if (lost || closed) {
      return false;
    }
    Instant now = clock.instant();
    try (Warehouse wh = warehouse.get()) {
      if (wh.renewLease(name, jobId, ttl)) {
        lastRenewed = now;
        return true;
      }
      lose("another run took it over (it had expired: this run stalled for over " + ttl + ")");
    } catch (RuntimeException e) {
      if (Duration.between(lastRenewed, now).compareTo(ttl) >= 0) {
        lose("no renewal succeeded for " + Duration.between(lastRenewed, now)
            + " (the lease has expired); last error: " + e);
      } else {
        LOG.warn("Could not renew lease {} (expires {} after the last renewal): {}", name, ttl,
            e.toString());
      }
    }
    return false;
  }

  private void lose(String why) {
    lost = true;
    LOG.error("Lost lease {} of job {}: {}. The job is stopped and advances nothing.", name, jobId,
        why);
    if (renewer != null) {
      renewer.shutdown();
    }
    for (Runnable r : onLost) {
      runQuietly(r);
    }
  }

  /** Runs {@code r} once if the lease is lost (at once, if it is lost already). */
  synchronized void onLost(Runnable r) {
    if (lost) {
      runQuietly(r);
    } else {
      onLost.add(r);
    }
  }

  /** Whether this run still holds the lease: false once it is lost, for good. */
  synchronized boolean isHeld() {
    return !lost;
  }

  String jobId() {
    return jobId;
  }

  private static void runQuietly(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      LOG.warn("Lost-lease callback failed: {}", e.toString());
    }
  }

  /** Stops renewing and releases the lease if this run still holds it; idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (renewer != null) {
      renewer.shutdownNow();
    }
    if (!isHeld()) {
      return; // someone else's now
    }
    try (Warehouse wh = warehouse.get()) {
      wh.releaseLease(name, jobId);
    } catch (RuntimeException e) {
      LOG.warn("Could not release lease {} (it will expire): {}", name, e.toString());
    }
  }
}
