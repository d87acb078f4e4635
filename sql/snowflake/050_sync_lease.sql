-- OPS_MONITORING.SYNC_LEASE: at most one live writer per sync. A run takes the lease before it
-- writes, renews it (heartbeat) while running and releases it at the end; a killed run's lease
-- simply expires. Acquire/renew/release are single conditional statements (see
-- SnowflakeDialect.acquireLease): Snowflake runs DML on one table one statement at a time, so the
-- check and the write are one atomic step.
CREATE TABLE IF NOT EXISTS OPS_MONITORING.SYNC_LEASE (
  LEASE_NAME       VARCHAR NOT NULL PRIMARY KEY,  -- e.g. 'gong_calls'
  OWNER_JOB_ID     VARCHAR NOT NULL,              -- ETL_JOB_LOGS.JOB_ID of the holder
  ACQUIRED_AT      TIMESTAMP_NTZ NOT NULL,        -- UTC, when the owner first took it
  EXPIRES_AT       TIMESTAMP_NTZ NOT NULL,        -- UTC; free for anyone from this instant on
  HEARTBEAT_AT     TIMESTAMP_NTZ NOT NULL         -- UTC, last acquire or renew by the owner
);
