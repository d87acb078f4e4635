-- Call lifecycle (migration 100): calls that became private or were deleted in Gong are flagged,
-- as Gong's own data share does, and a per-call version keeps an older fetch from overwriting a
-- newer one. CREATE TABLE IF NOT EXISTS leaves an existing table as it was, so the columns are
-- added here too, at the end of their tables, like 060_migrations (idempotent).
ALTER TABLE STG_TRANSFORMED.STG_GONG_CALLS ADD COLUMN IF NOT EXISTS IS_DELETED BOOLEAN;
ALTER TABLE STG_TRANSFORMED.STG_GONG_CALLS ADD COLUMN IF NOT EXISTS DELETED_AT TIMESTAMP;
ALTER TABLE STG_TRANSFORMED.STG_GONG_CALLS ADD COLUMN IF NOT EXISTS CALL_VERSION BIGINT;
ALTER TABLE OPS_MONITORING.ETL_JOB_LOGS ADD COLUMN IF NOT EXISTS CALLS_DELETED BIGINT;
