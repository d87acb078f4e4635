package com.gongpipeline.pipeline.options;

import org.apache.beam.sdk.options.Description;

/** Every option of the Gong pipeline's commands; each interface documents its own part. */
public interface GongPipelineOptions
    extends GongSourceOptions, WarehouseOptions, EnrichmentOptions {

  @Description("Start of the backfill window, inclusive (ISO-8601 instant or date, e.g. "
      + "2026-01-01 or 2026-01-01T00:00:00Z).")
  String getFrom();

  void setFrom(String value);

  @Description("End of the backfill window, exclusive (ISO-8601 instant or date). Default: now.")
  String getTo();

  void setTo(String value);

  @Description("Id of this run in OPS_MONITORING.ETL_JOB_LOGS and every row it writes. "
      + "Default: <command>-<UTC timestamp>-<random>.")
  String getJobId();

  void setJobId(String value);

  @Description("Print progress (calls, chunks, rate, ETA) every this many seconds; 0 = off.")
  @org.apache.beam.sdk.options.Default.Integer(5)
  Integer getProgressSeconds();

  void setProgressSeconds(Integer value);
}
