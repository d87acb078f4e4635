package com.gongpipeline.warehouse;

import java.util.Optional;

/**
 * One row per pipeline run in {@code OPS_MONITORING.ETL_JOB_LOGS}.
 *
 * <p>One role of the {@link Warehouse} facade; a caller that needs only this role declares this
 * type. Failures are {@link WarehouseException}s with a {@link
 * com.gongpipeline.errors.FailureKind} (see {@link Warehouse}).
 */
public interface WarehouseJobLog {
  /**
   * Upserts the job's row in {@code OPS_MONITORING.ETL_JOB_LOGS} (keyed on job id): called once at
   * start with status RUNNING and once at the end with SUCCEEDED or FAILED.
   */
  void recordJob(JobLog log);

  /** The logged job with this id, if any. */
  Optional<JobLog> findJob(String jobId);
}
