package com.gongpipeline.pipeline.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** What backfill / incremental / stream print on the terminal (for people and for cron). */
public interface OutputOptions extends PipelineOptions {
  @Description("Print only errors (stderr) and the final one-line status (stdout): no progress "
      + "lines, no summary table, log level ERROR. For cron jobs that mail any output.")
  @Default.Boolean(false)
  Boolean getQuiet();

  void setQuiet(Boolean value);

  @Description("Print exactly one line on stdout: the run's summary as one JSON object (job_id, "
      + "job_type, status, exit_code, duration_s, calls, chunks, calls_per_s, chunks_per_s, "
      + "gong_requests, gong_retries, gong_429, dead_letters, tables, rows_merged, ...). "
      + "Everything else (progress, logs, errors) goes to stderr. A run that fails or does not "
      + "start prints {\"job_type\", \"status\" (FAILED, USAGE or LEASE_HELD), \"exit_code\", "
      + "\"error\"}.")
  @Default.Boolean(false)
  Boolean getJson();

  void setJson(Boolean value);
}
