-- AI_MEMORY: speaker-turn chunks with embeddings and sentiment, ready for semantic search.
-- EMBEDDING is a variable-length FLOAT list because its size depends on the model
-- (e5-small-v2: 384, Cortex e5-base-v2: 768); EMBEDDING_MODEL/EMBEDDING_DIM say which, and search
-- compares only vectors of the query's model.
CREATE TABLE IF NOT EXISTS AI_MEMORY.MEMORY_RECORDS (
  MEMORY_ID        VARCHAR NOT NULL PRIMARY KEY,  -- 'gong:' || SOURCE_ID || ':' || CHUNK_INDEX
  SOURCE_TYPE      VARCHAR NOT NULL,              -- 'gong'
  SOURCE_ID        VARCHAR NOT NULL,              -- call id
  CHUNK_INDEX      INTEGER NOT NULL,
  TURN_INDEX       INTEGER,
  SPEAKER_ID       VARCHAR,
  SPEAKER_NAME     VARCHAR,
  AFFILIATION      VARCHAR,
  START_MS         BIGINT,
  END_MS           BIGINT,
  CONTENT          VARCHAR NOT NULL,              -- PII-redacted chunk text
  CONTENT_HASH     VARCHAR NOT NULL,
  TOKEN_COUNT      INTEGER,
  EMBEDDING        FLOAT[],
  EMBEDDING_MODEL  VARCHAR,
  EMBEDDING_DIM    INTEGER,
  SENTIMENT_SCORE  DOUBLE,
  SENTIMENT_MODEL  VARCHAR,
  METADATA         JSON,                          -- {title, started, account, deal ids, language, ...}
                                                  -- search reads $.title, $.started (ISO-8601 UTC
                                                  -- text) and $.account (or $.accountName), falling
                                                  -- back to STG_GONG_CALLS by SOURCE_ID
  JOB_ID           VARCHAR NOT NULL,
  LOADED_AT        TIMESTAMP NOT NULL,
  CALL_VERSION     BIGINT                          -- the call's version (migration 120)
);
