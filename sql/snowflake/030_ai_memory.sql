-- AI_MEMORY: speaker-turn chunks with embeddings and sentiment, ready for semantic search.
-- EMBEDDING is VECTOR(FLOAT, 768): the Cortex models (e5-base-v2, snowflake-arctic-embed-m*) give
-- 768 dimensions. A row embedded by another model (the local e5-small-v2 gives 384) cannot be
-- written here (the writer rejects it as a dead letter); EMBEDDING_MODEL/EMBEDDING_DIM say which
-- model embedded a row, and search compares only vectors of the query's model.
-- The JDBC driver cannot bind or fetch VECTOR: the writer binds JSON array text and casts it
-- (PARSE_JSON(...)::ARRAY::VECTOR(FLOAT, 768)), readers fetch EMBEDDING::ARRAY.
CREATE TABLE IF NOT EXISTS AI_MEMORY.MEMORY_RECORDS (
  MEMORY_ID        VARCHAR NOT NULL PRIMARY KEY,  -- 'gong:' || SOURCE_ID || ':' || CHUNK_INDEX
  SOURCE_TYPE      VARCHAR NOT NULL,              -- 'gong'
  SOURCE_ID        VARCHAR NOT NULL,              -- call id
  CHUNK_INDEX      NUMBER(38,0) NOT NULL,
  TURN_INDEX       NUMBER(38,0),
  SPEAKER_ID       VARCHAR,
  SPEAKER_NAME     VARCHAR,
  AFFILIATION      VARCHAR,
  START_MS         NUMBER(38,0),
  END_MS           NUMBER(38,0),
  CONTENT          VARCHAR NOT NULL,              -- PII-redacted chunk text
  CONTENT_HASH     VARCHAR NOT NULL,
  TOKEN_COUNT      NUMBER(38,0),
  EMBEDDING        VECTOR(FLOAT, 768),
  EMBEDDING_MODEL  VARCHAR,
  EMBEDDING_DIM    NUMBER(38,0),
  SENTIMENT_SCORE  FLOAT,
  SENTIMENT_MODEL  VARCHAR,
  METADATA         VARIANT,                       -- {title, started, account, deal ids, language, ...}
                                                  -- search reads title, started (ISO-8601 UTC text)
                                                  -- and account (or accountName), falling back to
                                                  -- STG_GONG_CALLS by SOURCE_ID
  JOB_ID           VARCHAR NOT NULL,
  LOADED_AT        TIMESTAMP_NTZ NOT NULL,
  CALL_VERSION     NUMBER(38,0)                    -- the call's version (migration 120)
);
