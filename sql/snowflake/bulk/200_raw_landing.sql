-- RAW bulk-load landing table (only with --snowflakeStagingBucket/--snowflakeStorageIntegration).
-- WriteRawWithSnowflakeIO writes gzip CSV files to the bucket, COPYs them in here (append only),
-- then merges the load's rows into the four RAW tables (one de-duplicating MERGE each, the same
-- MERGE as the JDBC writer) and deletes them from here. Applied by the bulk path itself
-- (idempotent); not part of the logical schema, so not in sql/duckdb/.
-- Column order = CSV column order (SnowflakeRawLanding.csvRow).
CREATE TABLE IF NOT EXISTS RAW.GONG_RAW_LANDING (
  TARGET_TABLE     VARCHAR NOT NULL,   -- GONG_CALLS_RAW | GONG_CALL_TRANSCRIPTS_RAW | GONG_USERS_RAW | GONG_WORKSPACES_RAW
  RECORD_KEY       VARCHAR NOT NULL,   -- the target's key (CALL_ID, USER_ID, WORKSPACE_ID)
  CALL_STARTED_AT  TIMESTAMP_NTZ,      -- UTC; GONG_CALLS_RAW only
  PAYLOAD          VARCHAR NOT NULL,   -- JSON text, PARSE_JSON in the MERGE
  PAYLOAD_HASH     VARCHAR NOT NULL,
  JOB_ID           VARCHAR NOT NULL,
  INGESTED_AT      TIMESTAMP_NTZ NOT NULL,
  LOAD_ID          VARCHAR NOT NULL    -- one per WriteRawWithSnowflakeIO application
);
