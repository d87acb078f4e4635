package com.gongpipeline.pipeline.options;

import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Snowflake-only options. The connection itself is {@code --warehouse=jdbc:snowflake://...} plus
 * the {@code SNOWFLAKE_*} environment (user, key file / PAT / password, role, warehouse,
 * database), never options, so no secret is ever an option.
 */
public interface SnowflakeOptions extends PipelineOptions {
  @Description("Bulk-load RAW through SnowflakeIO: the cloud bucket path SnowflakeIO stages gzip"
      + " CSV files in (e.g. gs://gong-staging/raw/). Needs --snowflakeStorageIntegration and a"
      + " jdbc:snowflake: --warehouse; backfill/incremental only. Unset: RAW is MERGEd over JDBC"
      + " like every other table.")
  String getSnowflakeStagingBucket();

  void setSnowflakeStagingBucket(String value);

  @Description("The Snowflake storage integration that reads --snowflakeStagingBucket.")
  String getSnowflakeStorageIntegration();

  void setSnowflakeStorageIntegration(String value);

  @Description("Database of the RAW schema for the bulk load (default: the SNOWFLAKE_DATABASE"
      + " environment variable).")
  String getSnowflakeDatabase();

  void setSnowflakeDatabase(String value);
}
