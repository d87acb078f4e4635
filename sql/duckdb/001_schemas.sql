-- Logical schema of the Gong AI pipeline, DuckDB dialect (the embedded default warehouse).
-- Every statement is idempotent: the pipeline applies these files in name order at start-up.
CREATE SCHEMA IF NOT EXISTS RAW;
CREATE SCHEMA IF NOT EXISTS STG_TRANSFORMED;
CREATE SCHEMA IF NOT EXISTS AI_MEMORY;
CREATE SCHEMA IF NOT EXISTS OPS_MONITORING;
