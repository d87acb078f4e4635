-- OPS_MONITORING: dead letters, one log row per pipeline run, and sync state.
CREATE TABLE IF NOT EXISTS OPS_MONITORING.DEAD_LETTER (
  DEAD_LETTER_ID   VARCHAR NOT NULL PRIMARY KEY,  -- sha256(job id | stage | record key)
  JOB_ID           VARCHAR NOT NULL,
  STAGE            VARCHAR NOT NULL,              -- list_calls, fetch_calls, parse_call, chunk, embed, write, ...
  RECORD_KEY       VARCHAR,
  ERROR_MESSAGE    VARCHAR,
  STACK_TRACE      VARCHAR,
  PAYLOAD          VARCHAR,                       -- original input, possibly malformed JSON
  ATTEMPTS         INTEGER,
  FAILED_AT        TIMESTAMP,
  LOADED_AT        TIMESTAMP NOT NULL,
  FAILURE_KIND     VARCHAR                        -- RETRYABLE | RATE_LIMITED | PERMANENT | FATAL_CONFIG
);

CREATE TABLE IF NOT EXISTS OPS_MONITORING.ETL_JOB_LOGS (
  JOB_ID           VARCHAR NOT NULL PRIMARY KEY,
  JOB_TYPE         VARCHAR NOT NULL,              -- backfill | incremental | stream | demo
  RUNNER           VARCHAR,
  STATUS           VARCHAR NOT NULL,              -- RUNNING | SUCCEEDED | FAILED | STOPPED | PAUSED_QUOTA
  WINDOW_FROM      TIMESTAMP,
  WINDOW_TO        TIMESTAMP,
  STARTED_AT       TIMESTAMP NOT NULL,
  FINISHED_AT      TIMESTAMP,
  DURATION_MS      BIGINT,
  CALLS_PROCESSED  BIGINT,
  CHUNKS_PROCESSED BIGINT,
  ROWS_WRITTEN     JSON,                          -- {"STG_TRANSFORMED.STG_GONG_CALLS": n, ...} this run
  TABLE_COUNTS     JSON,                          -- row counts per table after the run
  API_REQUESTS     BIGINT,
  API_RETRIES      BIGINT,
  API_RATE_LIMITED BIGINT,                        -- 429 responses
  DEAD_LETTERS     BIGINT,
  ERROR_MESSAGE    VARCHAR,
  OPTIONS          JSON,
  CALLS_DELETED    BIGINT                 -- calls found private/deleted in Gong this run
);

CREATE TABLE IF NOT EXISTS OPS_MONITORING.SYNC_STATE (
  SYNC_NAME        VARCHAR NOT NULL PRIMARY KEY,  -- e.g. 'gong_calls'
  HIGH_WATER_MARK  TIMESTAMP,
  UPDATED_AT       TIMESTAMP,
  JOB_ID           VARCHAR
);
