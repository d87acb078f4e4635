-- OPS_MONITORING: dead letters, one log row per pipeline run, and sync state.
CREATE TABLE IF NOT EXISTS OPS_MONITORING.DEAD_LETTER (
  DEAD_LETTER_ID   VARCHAR NOT NULL PRIMARY KEY,  -- sha256(job id | stage | record key)
  JOB_ID           VARCHAR NOT NULL,
  STAGE            VARCHAR NOT NULL,              -- list_calls, fetch_calls, parse_call, chunk, embed, write, ...
  RECORD_KEY       VARCHAR,
  ERROR_MESSAGE    VARCHAR,
  STACK_TRACE      VARCHAR,
  PAYLOAD          VARCHAR,                       -- original input, possibly malformed JSON
  ATTEMPTS         NUMBER(38,0),
  FAILED_AT        TIMESTAMP_NTZ,
  LOADED_AT        TIMESTAMP_NTZ NOT NULL,
  FAILURE_KIND     VARCHAR                        -- RETRYABLE | RATE_LIMITED | PERMANENT | FATAL_CONFIG
);

CREATE TABLE IF NOT EXISTS OPS_MONITORING.ETL_JOB_LOGS (
  JOB_ID           VARCHAR NOT NULL PRIMARY KEY,
  JOB_TYPE         VARCHAR NOT NULL,              -- backfill | incremental | stream | demo
  RUNNER           VARCHAR,
  STATUS           VARCHAR NOT NULL,              -- RUNNING | SUCCEEDED | FAILED | STOPPED | PAUSED_QUOTA
  WINDOW_FROM      TIMESTAMP_NTZ,
  WINDOW_TO        TIMESTAMP_NTZ,
  STARTED_AT       TIMESTAMP_NTZ NOT NULL,
  FINISHED_AT      TIMESTAMP_NTZ,
  DURATION_MS      NUMBER(38,0),
  CALLS_PROCESSED  NUMBER(38,0),
  CHUNKS_PROCESSED NUMBER(38,0),
  ROWS_WRITTEN     VARIANT,                       -- {"STG_TRANSFORMED.STG_GONG_CALLS": n, ...} this run
  TABLE_COUNTS     VARIANT,                       -- row counts per table after the run
  API_REQUESTS     NUMBER(38,0),
  API_RETRIES      NUMBER(38,0),
  API_RATE_LIMITED NUMBER(38,0),                  -- 429 responses
  DEAD_LETTERS     NUMBER(38,0),
  ERROR_MESSAGE    VARCHAR,
  OPTIONS          VARIANT,
  CALLS_DELETED    NUMBER(38,0)                 -- calls found private/deleted in Gong this run
);

CREATE TABLE IF NOT EXISTS OPS_MONITORING.SYNC_STATE (
  SYNC_NAME        VARCHAR NOT NULL PRIMARY KEY,  -- e.g. 'gong_calls'
  HIGH_WATER_MARK  TIMESTAMP_NTZ,
  UPDATED_AT       TIMESTAMP_NTZ,
  JOB_ID           VARCHAR
);
