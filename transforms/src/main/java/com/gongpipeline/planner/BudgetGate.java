package com.gongpipeline.planner;

import com.gongpipeline.warehouse.Warehouse;
import com.gongpipeline.warehouse.WarehouseProvider;
import java.io.Serializable;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Whether the stream may poll now: once the day's Gong requests (the ledger in {@code
 * OPS_MONITORING.GONG_API_USAGE}, shared by every job on the warehouse) reach the daily budget,
 * the stream stops polling until budget frees up (a larger budget, or requests given back) or the
 * next UTC day starts, rather than failing windows it cannot list.
 */
@FunctionalInterface
public interface BudgetGate extends Serializable {
  /** Never pauses. */
  BudgetGate OPEN = now -> null;

  /** Null when polling may go on, else why it is paused (for the log and status page). */
  @Nullable String pausedBecause(Instant now);

  /** Pauses while the ledger's count for the UTC day of "now" is at or above {@code budget}. */
  static BudgetGate ledger(WarehouseProvider warehouse, long dailyBudget) {
    return now -> {
      LocalDate day = LocalDate.ofInstant(now, ZoneOffset.UTC);
      long spent;
      try (Warehouse wh = warehouse.open()) {
        spent = wh.gongRequestsOn(day);
      }
      if (spent < dailyBudget) {
        return null;
      }
      return "the daily Gong request budget is spent (" + spent + " of " + dailyBudget
          + " requests on " + day + ", --gongDailyRequestBudget): polling resumes when budget "
          + "frees up or at " + day.plusDays(1) + "T00:00Z";
    };
  }
}
