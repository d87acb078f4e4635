-- OPS_MONITORING.RETRY_QUEUE: calls that could not be fetched (a failing details/transcript
-- request isolated to the call, a transcript Gong did not send). Every `incremental` run fetches
-- the due ones first (plus --retryCallIds); a call that then succeeds leaves the queue. A call
-- holds the incremental high-water mark until it has failed --maxCallAttempts times; after that it
-- stays here (still retried, at most daily) but no longer stops the mark.
CREATE TABLE IF NOT EXISTS OPS_MONITORING.RETRY_QUEUE (
  CALL_ID          VARCHAR NOT NULL PRIMARY KEY,
  STAGE            VARCHAR NOT NULL,              -- DEAD_LETTER.STAGE of the last failure (fetch_calls)
  ATTEMPTS         NUMBER(38,0) NOT NULL,         -- runs in which the call failed
  LAST_ERROR       VARCHAR,
  FAILURE_KIND     VARCHAR,                       -- RETRYABLE | RATE_LIMITED | PERMANENT | FATAL_CONFIG
  FIRST_FAILED_AT  TIMESTAMP_NTZ NOT NULL,        -- UTC
  NEXT_ATTEMPT_AT  TIMESTAMP_NTZ NOT NULL,        -- UTC; runs before this leave the call alone
  JOB_ID           VARCHAR NOT NULL,              -- the job of the last failure
  LOADED_AT        TIMESTAMP_NTZ NOT NULL
);
