-- Derived call intelligence (migration 140): the call's summary with the method that made it,
-- where the NEXT_STEPS came from, and one vector per call for "similar calls".
--   CALL_SUMMARY_METHOD: 'gong-brief' (Gong's content.brief), 'e5-extractive-v1' (the most
--     central sentences by e5 similarity, in call order, PII-redacted), 'cortex-ai-summarize-agg'
--     (Snowflake AI_SUMMARIZE_AGG over the call's redacted turns) or, for a call not in English,
--     'lexical-extractive-v1:<CALL_LANGUAGE>' (its central sentences by TF-IDF, in its language).
--   CALL_SUMMARY_INPUT_HASH: sha256 of the method, model and inputs; an unchanged hash reuses the
--     stored summary (no model call). A failed model call writes NULL, which the MERGE never
--     writes over a stored summary.
--   NEXT_STEPS_METHOD: 'gong-action-items' (Gong's pointsOfInterest.actionItems) or
--     'rule-next-steps-v1' (commitment sentences of the last part of the call, when Gong sent none).
ALTER TABLE STG_TRANSFORMED.STG_GONG_CALLS ADD COLUMN IF NOT EXISTS CALL_SUMMARY VARCHAR;
ALTER TABLE STG_TRANSFORMED.STG_GONG_CALLS ADD COLUMN IF NOT EXISTS CALL_SUMMARY_METHOD VARCHAR;
ALTER TABLE STG_TRANSFORMED.STG_GONG_CALLS ADD COLUMN IF NOT EXISTS CALL_SUMMARY_INPUT_HASH VARCHAR;
ALTER TABLE STG_TRANSFORMED.STG_GONG_CALLS ADD COLUMN IF NOT EXISTS NEXT_STEPS_METHOD VARCHAR;

-- One vector per call (SOURCE_TYPE 'call'): the L2-normalised mean of its chunks' vectors in
-- AI_MEMORY.MEMORY_RECORDS, written only when every chunk of the call's version was embedded.
-- Versioned like the chunks (an older version never overwrites a newer one), deleted with the
-- call's chunks when the call is deleted or made private, and deleted when the call has no chunks.
CREATE TABLE IF NOT EXISTS AI_MEMORY.CALL_VECTORS (
  CALL_ID          VARCHAR NOT NULL PRIMARY KEY,
  SOURCE_TYPE      VARCHAR NOT NULL,              -- 'call'
  EMBEDDING        FLOAT[],
  EMBEDDING_MODEL  VARCHAR NOT NULL,
  EMBEDDING_DIM    INTEGER NOT NULL,
  CHUNK_COUNT      INTEGER NOT NULL,
  INPUT_HASH       VARCHAR NOT NULL,              -- sha256 over the chunks' MEMORY_ID + CONTENT_HASH
  JOB_ID           VARCHAR NOT NULL,
  LOADED_AT        TIMESTAMP NOT NULL,
  CALL_VERSION     BIGINT
);
