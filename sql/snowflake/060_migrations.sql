-- Columns added after a table first shipped: CREATE TABLE IF NOT EXISTS leaves an existing table
-- as it was, so each later column is also added here (idempotent), at the end of its table.
ALTER TABLE OPS_MONITORING.DEAD_LETTER ADD COLUMN IF NOT EXISTS FAILURE_KIND VARCHAR;
