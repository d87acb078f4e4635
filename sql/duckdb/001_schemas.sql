-- Logical schema of the Gong AI pipeline, DuckDB dialect (the embedded default warehouse).
-- Every statement is idempotent: the pipeline applies these files in name order at start-up.
-- New files must also be added to DuckDbDialect.SCHEMA_SCRIPTS (a jar's directory cannot be listed;
-- DuckDbDialectTest fails if the list and this directory disagree).
--
-- PRIMARY KEYs are deliberate and enforced by DuckDB (Snowflake would not enforce them). Checked on
-- DuckDB 2.0: MERGE updates (LIST/JSON columns included), repeated updates of one row and
-- delete + re-insert of the same key all work inside one transaction. The key also turns two
-- threads inserting the same new key at once into a commit conflict that the writer retries,
-- instead of a silent duplicate row. Writers de-duplicate each batch by key before the MERGE.
CREATE SCHEMA IF NOT EXISTS RAW;
CREATE SCHEMA IF NOT EXISTS STG_TRANSFORMED;
CREATE SCHEMA IF NOT EXISTS AI_MEMORY;
CREATE SCHEMA IF NOT EXISTS OPS_MONITORING;
