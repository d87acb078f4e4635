package com.gongpipeline.transforms;

import com.gongpipeline.gong.GongEndpoint;
import com.gongpipeline.gong.GongRequestBudget;
import com.gongpipeline.warehouse.Warehouse;
import com.gongpipeline.warehouse.WarehouseProvider;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Supplier;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The daily Gong request budget kept in the warehouse ({@code OPS_MONITORING.GONG_API_USAGE}), so
 * every run, process and worker on it shares one count per UTC day. One ledger per client: it
 * reserves requests per endpoint in small blocks (at most {@link #DEFAULT_BLOCK}, fewer as the
 * day's budget runs low, so blocks held by other clients strand little of it), hands them out one
 * per HTTP execution, and gives back what it did not send when the client closes: after a run the
 * ledger's rows equal the requests sent. A client killed mid-run leaves at most its unsent blocks
 * counted, which errs on the side of the budget.
 */
public final class GongUsageLedger implements GongRequestBudget {
  /** Most requests reserved in one warehouse write. */
  public static final int DEFAULT_BLOCK = 20;

  private final WarehouseProvider warehouse;
  private final String jobId;
  private final long dailyBudget;
  private final int block;
  private final Supplier<java.time.Instant> clock;
  private final Map<GongEndpoint, Long> unsent = new EnumMap<>(GongEndpoint.class);
  private @Nullable LocalDate day;

  GongUsageLedger(WarehouseProvider warehouse, String jobId, long dailyBudget, int block,
      Supplier<java.time.Instant> clock) {
    if (dailyBudget < 0 || block < 1) {
      throw new IllegalArgumentException("dailyBudget must be >= 0 and block >= 1, got "
          + dailyBudget + ", " + block);
    }
    this.warehouse = warehouse;
    this.jobId = jobId;
    this.dailyBudget = dailyBudget;
    this.block = block;
    this.clock = clock;
  }

  /**
   * What a client factory needs on the worker: a ledger for job {@code jobId} that spends at most
   * {@code dailyBudget} requests per UTC day across all jobs on {@code warehouse}.
   */
  public static GongRequestBudget.Factory factory(WarehouseProvider warehouse, String jobId,
      long dailyBudget) {
    return () -> new GongUsageLedger(warehouse, jobId, dailyBudget, DEFAULT_BLOCK,
        Clock.systemUTC()::instant);
  }

  @Override
  public synchronized boolean tryAcquire(GongEndpoint endpoint) {
    LocalDate today = LocalDate.ofInstant(clock.get(), ZoneOffset.UTC);
    if (!today.equals(day)) {
      giveBack();
      day = today;
    }
    long left = unsent.getOrDefault(endpoint, 0L);
    if (left == 0) {
      try (Warehouse wh = warehouse.open()) {
        long spent = wh.gongRequestsOn(today);
        long want = Math.max(1, Math.min(block, (dailyBudget - spent) / 8));
        left = wh.reserveGongRequests(today, jobId, endpoint.describe(), want, dailyBudget);
      }
      if (left == 0) {
        return false;
      }
    }
    unsent.put(endpoint, left - 1);
    return true;
  }

  @Override
  public synchronized void close() {
    giveBack();
  }

  /** Returns the reserved but unsent requests of the current day to the ledger. */
  private void giveBack() {
    if (day == null || unsent.values().stream().allMatch(n -> n == 0)) {
      unsent.clear();
      return;
    }
    try (Warehouse wh = warehouse.open()) {
      for (Map.Entry<GongEndpoint, Long> e : unsent.entrySet()) {
        if (e.getValue() > 0) {
          wh.addGongRequests(day, jobId, e.getKey().describe(), -e.getValue());
        }
      }
    }
    unsent.clear();
  }
}
