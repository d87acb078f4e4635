-- Roles for the pipeline (GONG_INGEST) and for people and tools that read (GONG_READER).
-- Run by an administrator (SECURITYADMIN for roles and grants, or ACCOUNTADMIN), BEFORE the first
-- pipeline run. Idempotent. Set the database and warehouse names first, e.g.:
--   SET gong_db = 'GONG';  SET gong_wh = 'GONG_WH';  SET gong_user = 'GONG_PIPELINE';
-- The pipeline connects as GONG_INGEST and creates the schemas and tables itself
-- (Warehouse.applySchema runs sql/snowflake/0*.sql), so GONG_INGEST owns them.
CREATE ROLE IF NOT EXISTS GONG_INGEST COMMENT = 'Gong pipeline: writes RAW, STG_TRANSFORMED, AI_MEMORY, OPS_MONITORING';
CREATE ROLE IF NOT EXISTS GONG_READER COMMENT = 'Reads the READER secure views: no verbatim transcript text; names, emails, phones masked';
CREATE ROLE IF NOT EXISTS GONG_PII_READER COMMENT = 'GONG_READER plus every table verbatim: transcript text, names, emails, phones';
GRANT ROLE GONG_READER TO ROLE GONG_PII_READER;
GRANT ROLE GONG_INGEST TO ROLE SYSADMIN;
GRANT ROLE GONG_PII_READER TO ROLE SYSADMIN;

GRANT USAGE ON WAREHOUSE IDENTIFIER($gong_wh) TO ROLE GONG_INGEST;
GRANT USAGE ON WAREHOUSE IDENTIFIER($gong_wh) TO ROLE GONG_READER;
GRANT USAGE ON DATABASE IDENTIFIER($gong_db) TO ROLE GONG_INGEST;
GRANT USAGE ON DATABASE IDENTIFIER($gong_db) TO ROLE GONG_READER;
-- applySchema creates RAW, STG_TRANSFORMED, AI_MEMORY and OPS_MONITORING.
GRANT CREATE SCHEMA ON DATABASE IDENTIFIER($gong_db) TO ROLE GONG_INGEST;

-- Cortex: SNOWFLAKE.CORTEX.SENTIMENT (--sentiment=cortex) and AI_EMBED (semantic search in SQL).
GRANT DATABASE ROLE SNOWFLAKE.CORTEX_USER TO ROLE GONG_INGEST;
GRANT DATABASE ROLE SNOWFLAKE.CORTEX_USER TO ROLE GONG_READER;

-- The pipeline's service user (key-pair or programmatic access token; never a person).
GRANT ROLE GONG_INGEST TO USER IDENTIFIER($gong_user);
ALTER USER IDENTIFIER($gong_user) SET DEFAULT_ROLE = GONG_INGEST;
