package com.gongpipeline.pipeline.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Where the RAW / STG / AI_MEMORY / OPS_MONITORING tables live. */
public interface WarehouseOptions extends PipelineOptions {
  @Description("Warehouse JDBC URL. The embedded default is a DuckDB file.")
  @Default.String("jdbc:duckdb:./gong.duckdb")
  String getWarehouse();

  void setWarehouse(String value);

  @Description("Snowflake: every statement's query timeout in seconds (Statement.setQueryTimeout, "
      + "enforced by Snowflake as STATEMENT_TIMEOUT_IN_SECONDS): a statement stuck on a lock or a "
      + "suspended warehouse fails (and is retried or dead-lettered) instead of holding a worker. "
      + "Default 300, below the 10-minute Flink checkpoint timeout.")
  @Default.Integer(300)
  Integer getSnowflakeStatementTimeout();

  void setSnowflakeStatementTimeout(Integer value);

  @Description("Rows per MERGE batch and table (small enough that a long run commits as it goes).")
  @Default.Integer(250)
  Integer getWriteBatchSize();

  void setWriteBatchSize(Integer value);

  @Description("Longest a row waits for its batch to fill before it is written (seconds).")
  @Default.Integer(5)
  Integer getWriteMaxBufferingSeconds();

  void setWriteMaxBufferingSeconds(Integer value);

  @Description("DuckDB: while a job runs, how long (milliseconds) the database file stays open "
      + "after its last write batch, so the next batch joins it instead of re-opening the file "
      + "(opening costs 50-200 ms and dominated backfills). The file is released once the job is "
      + "idle that long, when it ends, or at once when another process of this project waits for "
      + "it (search, serve, another job: they ask for a turn). 0 closes after every batch.")
  @Default.Long(3000)
  Long getWarehouseLingerMillis();

  void setWarehouseLingerMillis(Long value);
}
