-- Logical schema of the Gong AI pipeline, Snowflake dialect. Same tables and columns as
-- sql/duckdb/ (SnowflakeDdlTest checks it, column for column); only the types are Snowflake's:
--   DuckDB VARCHAR -> VARCHAR, JSON -> VARIANT, TIMESTAMP (UTC) -> TIMESTAMP_NTZ (UTC),
--   BIGINT/INTEGER -> NUMBER(38,0), DOUBLE -> FLOAT, FLOAT[] -> VECTOR(FLOAT, 768), DATE -> DATE.
-- Every statement is idempotent: the pipeline (Warehouse.applySchema, as role GONG_INGEST) applies
-- these files in name order at start-up. New files must also be added to
-- SnowflakeDialect.SCHEMA_SCRIPTS. Admin scripts (roles, grants, masking, search service) live in
-- admin/ and are NOT applied by the pipeline (see sql/README.md).
--
-- PRIMARY KEYs document the natural keys; Snowflake does not enforce them. Writers de-duplicate
-- each batch by key (QUALIFY ROW_NUMBER() = 1) and MERGE on the key, which is what keeps one row
-- per key.
CREATE SCHEMA IF NOT EXISTS RAW;
CREATE SCHEMA IF NOT EXISTS STG_TRANSFORMED;
CREATE SCHEMA IF NOT EXISTS AI_MEMORY;
CREATE SCHEMA IF NOT EXISTS OPS_MONITORING;
