package com.gongpipeline.pipeline;

import com.gongpipeline.warehouse.Warehouse;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the sync's lease row for the life of a run and renews it every third of its TTL, so a
 * second run exits at once and a killed run's lease simply expires.
 */
final class SyncLease implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SyncLease.class);

  private final String warehouseUrl;
  private final String name;
  private final String jobId;
  private final ScheduledExecutorService renewer;

  private SyncLease(String warehouseUrl, String name, String jobId, Duration ttl) {
    this.warehouseUrl = warehouseUrl;
    this.name = name;
    this.jobId = jobId;
    this.renewer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "lease-renewer");
      t.setDaemon(true);
      return t;
    });
    long every = Math.max(1, ttl.toSeconds() / 3);
    renewer.scheduleAtFixedRate(() -> {
      try (Warehouse wh = Warehouse.open(warehouseUrl)) {
        if (!wh.renewLease(name, jobId, ttl)) {
          LOG.error("Lost lease {} for job {}: another run took it over", name, jobId);
        }
      } catch (RuntimeException e) {
        LOG.warn("Could not renew lease {}: {}", name, e.toString());
      }
    }, every, every, TimeUnit.SECONDS);
  }

  /**
   * Takes the lease or explains who holds it.
   *
   * @throws LeaseHeldException when another live run holds the lease
   */
  static SyncLease acquire(String warehouseUrl, String name, String jobId, Duration ttl) {
    try (Warehouse wh = Warehouse.open(warehouseUrl)) {
      wh.applySchema();
      if (wh.tryAcquireLease(name, jobId, ttl).isEmpty()) {
        String holder = wh.query("SELECT OWNER_JOB_ID, EXPIRES_AT FROM OPS_MONITORING.SYNC_LEASE "
            + "WHERE LEASE_NAME = ?", name).stream().findFirst()
            .map(r -> r.get("OWNER_JOB_ID") + " (lease valid until " + r.get("EXPIRES_AT") + " UTC)")
            .orElse("another run");
        throw new LeaseHeldException("Sync '" + name + "' is already running: " + holder
            + ". This run exits without touching anything; a killed run's lease expires by "
            + "itself.");
      }
    }
    return new SyncLease(warehouseUrl, name, jobId, ttl);
  }

  @Override
  public void close() {
    renewer.shutdownNow();
    try (Warehouse wh = Warehouse.open(warehouseUrl)) {
      wh.releaseLease(name, jobId);
    } catch (RuntimeException e) {
      LOG.warn("Could not release lease {} (it will expire): {}", name, e.toString());
    }
  }
}
