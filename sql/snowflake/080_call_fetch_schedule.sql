-- OPS_MONITORING.CALL_FETCH_SCHEDULE: when each call's details and transcript were fetched and
-- when they are due again. The polling planner (stream, incremental) fetches a listed call when it
-- is new, when it is not stored yet, or when its next re-fetch is due on the decaying schedule
-- (--refetchSchedule, default 1 h, 6 h, 24 h and 72 h after first seen), so edits and late
-- transcripts arrive without re-fetching every call on every poll. A row is written when the fetch
-- is planned, before its data lands: it is trusted only if JOB_ID is the running job or a job that
-- SUCCEEDED in ETL_JOB_LOGS; otherwise (failed, killed, stopped, paused) the call is fetched again.
CREATE TABLE IF NOT EXISTS OPS_MONITORING.CALL_FETCH_SCHEDULE (
  CALL_ID          VARCHAR NOT NULL,
  FIRST_SEEN       TIMESTAMP_NTZ NOT NULL,         -- UTC, first time a listing showed the call
  LAST_FETCHED     TIMESTAMP_NTZ NOT NULL,         -- UTC, last planned fetch of details + transcript
  NEXT_DUE         TIMESTAMP_NTZ,                  -- UTC, next re-fetch; NULL once the schedule is done
  FETCHES          NUMBER(38,0) NOT NULL,          -- planned fetches so far
  JOB_ID           VARCHAR NOT NULL,               -- the job that planned the last fetch
  UPDATED_AT       TIMESTAMP_NTZ NOT NULL,         -- UTC, last change
  PRIMARY KEY (CALL_ID)
);
