package com.gongpipeline.warehouse;

import java.time.LocalDate;

/**
 * The daily Gong request ledger, {@code OPS_MONITORING.GONG_API_USAGE}: requests per UTC day, job
 * and endpoint, shared by every run, process and worker on this warehouse, so that together they
 * stay within one daily budget.
 *
 * <p>One role of the {@link Warehouse} facade; a caller that needs only this role declares this
 * type. Failures are {@link WarehouseException}s with a {@link
 * com.gongpipeline.errors.FailureKind} (see {@link Warehouse}).
 */
public interface WarehouseGongUsage {
  /**
   * Reserves up to {@code wanted} requests of {@code day} for (job, endpoint), never taking the
   * day's total across all jobs past {@code budget}: each attempt is one conditional MERGE that
   * increments the row only while the total stays within the budget. Returns how many it
   * reserved, 0 when the day's budget is spent.
   */
  long reserveGongRequests(LocalDate day, String jobId, String endpoint, long wanted, long budget);

  /**
   * Adds {@code delta} requests to the row of (day, job, endpoint), atomically (a MERGE that
   * increments); a negative delta gives back reserved requests that were not sent.
   */
  void addGongRequests(LocalDate day, String jobId, String endpoint, long delta);

  /** The day's requests across all jobs and endpoints (0 when none). */
  long gongRequestsOn(LocalDate day);
}
