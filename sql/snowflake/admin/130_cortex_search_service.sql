-- OPTIONAL: a Cortex Search Service (hybrid vector + keyword search, managed embeddings) over
-- AI_MEMORY. AI_MEMORY.MEMORY_RECORDS stays the system of record (our own embeddings, sentiment,
-- metadata); the service is an extra index on top. It costs serving credits plus the warehouse
-- for its refreshes. Run by an administrator or GONG_INGEST after the pipeline has written
-- AI_MEMORY. Replace GONG_WH with your warehouse (this clause takes no session variable).
USE DATABASE IDENTIFIER($gong_db);
-- Incremental refresh reads the tables' change tracking.
ALTER TABLE AI_MEMORY.MEMORY_RECORDS SET CHANGE_TRACKING = TRUE;
ALTER TABLE STG_TRANSFORMED.STG_GONG_CALLS SET CHANGE_TRACKING = TRUE;
-- GONG_READER may query it: it indexes the PII-redacted CONTENT and no names (a service serves
-- what its owner reads, so masking policies would not mask SPEAKER_NAME here). A service made by
-- an earlier version of this script still carries SPEAKER_NAME: drop it and re-run.
CREATE CORTEX SEARCH SERVICE IF NOT EXISTS AI_MEMORY.GONG_CALL_SEARCH
  ON CONTENT
  ATTRIBUTES SOURCE_ID, AFFILIATION, ACCOUNT_NAME, CALL_DATETIME_UTC
  WAREHOUSE = GONG_WH
  TARGET_LAG = '1 hour'
  EMBEDDING_MODEL = 'snowflake-arctic-embed-m-v1.5'
AS
  SELECT m.MEMORY_ID, m.CONTENT, m.SOURCE_ID, m.AFFILIATION,
         c.ACCOUNT_NAME, c.CALL_DATETIME_UTC
  FROM AI_MEMORY.MEMORY_RECORDS m
  LEFT JOIN STG_TRANSFORMED.STG_GONG_CALLS c ON c.CALL_ID = m.SOURCE_ID
  WHERE c.IS_DELETED IS NOT TRUE;  -- calls private or deleted in Gong are never indexed

GRANT USAGE ON CORTEX SEARCH SERVICE AI_MEMORY.GONG_CALL_SEARCH TO ROLE GONG_READER;
-- Query (SQL preview):
-- SELECT SNOWFLAKE.CORTEX.SEARCH_PREVIEW('GONG.AI_MEMORY.GONG_CALL_SEARCH',
--   '{"query": "pricing objection", "columns": ["CONTENT", "SOURCE_ID"], "limit": 5}');
