package com.gongpipeline.warehouse;

import java.util.List;

/**
 * The call fetch schedule, {@code OPS_MONITORING.CALL_FETCH_SCHEDULE}: when each call's details
 * and transcript were last fetched and when they are due again (see {@code
 * com.gongpipeline.planner.FetchPlanner}). Reads go through {@link WarehouseCatalog#query}.
 *
 * <p>One role of the {@link Warehouse} facade. Failures are {@link WarehouseException}s.
 */
public interface WarehouseFetchSchedule {
  /** Inserts or replaces the schedule rows of these calls (one MERGE); empty is a no-op. */
  void recordPlannedFetches(List<PlannedFetch> fetches);
}
