-- STG_TRANSFORMED: typed, one row per natural key. All timestamps are UTC.
CREATE TABLE IF NOT EXISTS STG_TRANSFORMED.STG_GONG_CALLS (
  CALL_ID                    VARCHAR NOT NULL PRIMARY KEY,
  CALL_TITLE                 VARCHAR,
  CALL_DATETIME_UTC          TIMESTAMP,        -- metaData.started
  CALL_SCHEDULED_UTC         TIMESTAMP,        -- metaData.scheduled
  CALL_DURATION_SECONDS      BIGINT,
  CALL_DIRECTION             VARCHAR,          -- Inbound | Outbound | Conference | Unknown
  CALL_SCOPE                 VARCHAR,          -- Internal | External | Unknown
  CALL_SYSTEM                VARCHAR,
  CALL_MEDIA                 VARCHAR,
  CALL_LANGUAGE              VARCHAR,          -- ISO-639-2B; zxx = not enough speech
  CALL_URL                   VARCHAR,
  WORKSPACE_ID               VARCHAR,
  PRIMARY_USER_ID            VARCHAR,
  IS_PRIVATE                 BOOLEAN,
  ACCOUNT_NAME               VARCHAR,          -- from CRM context (Account Name), else external domain
  ACCOUNT_INDUSTRY           VARCHAR,
  HUBSPOT_DEAL_ID            VARCHAR,
  HUBSPOT_COMPANY_ID         VARCHAR,
  SALESFORCE_ACCOUNT_ID      VARCHAR,
  SALESFORCE_OPPORTUNITY_ID  VARCHAR,
  OPPORTUNITY_STAGE          VARCHAR,
  OPPORTUNITY_AMOUNT         DOUBLE,
  CALL_BRIEF                 VARCHAR,
  KEY_POINTS                 JSON,             -- array of strings
  KEY_TOPICS                 JSON,             -- array of topic names, by duration desc
  PARTICIPANT_COUNT          INTEGER,
  EXTERNAL_PARTICIPANT_COUNT INTEGER,
  TRANSCRIPT_SEGMENT_COUNT   INTEGER,
  TRANSCRIPT_WORD_COUNT      INTEGER,
  SENTIMENT_SCORE            DOUBLE,           -- duration-weighted mean of segment sentiment, [-1, 1]
  SENTIMENT_MODEL            VARCHAR,
  JOB_ID                     VARCHAR NOT NULL,
  LOADED_AT                  TIMESTAMP NOT NULL,
  IS_DELETED                 BOOLEAN,          -- private or deleted in Gong (migration 100)
  DELETED_AT                 TIMESTAMP,
  CALL_VERSION               BIGINT            -- fetch time (epoch micros); older never overwrites
);

CREATE TABLE IF NOT EXISTS STG_TRANSFORMED.STG_GONG_CALL_PARTICIPANTS (
  CALL_ID          VARCHAR NOT NULL,
  PARTICIPANT_ID   VARCHAR NOT NULL,            -- parties[].id
  SPEAKER_ID       VARCHAR,                     -- joins STG_GONG_CALL_TRANSCRIPTS.SPEAKER_ID
  USER_ID          VARCHAR,                     -- Gong user when internal
  PARTICIPANT_NAME VARCHAR,
  TITLE            VARCHAR,
  EMAIL_ADDRESS    VARCHAR,
  EMAIL_DOMAIN     VARCHAR,
  PHONE_NUMBER     VARCHAR,
  AFFILIATION      VARCHAR,                     -- Internal | External | Unknown
  METHODS          JSON,
  CRM_CONTEXT      JSON,                        -- parties[].context verbatim
  JOB_ID           VARCHAR NOT NULL,
  LOADED_AT        TIMESTAMP NOT NULL,
  PRIMARY KEY (CALL_ID, PARTICIPANT_ID)
);

CREATE TABLE IF NOT EXISTS STG_TRANSFORMED.STG_GONG_CALL_TRANSCRIPTS (
  TRANSCRIPT_ID     VARCHAR NOT NULL PRIMARY KEY,   -- CALL_ID || ':' || TURN_INDEX
  CALL_ID           VARCHAR NOT NULL,
  TURN_INDEX        INTEGER NOT NULL,
  SPEAKER_ID        VARCHAR,
  SPEAKER_NAME      VARCHAR,
  AFFILIATION       VARCHAR,
  TOPIC             VARCHAR,
  START_MS          BIGINT,
  END_MS            BIGINT,
  SENTENCE_COUNT    INTEGER,
  TRANSCRIPT_TEXT   VARCHAR,                        -- the turn's sentences, verbatim
  SEGMENT_SENTIMENT DOUBLE,
  JOB_ID            VARCHAR NOT NULL,
  LOADED_AT         TIMESTAMP NOT NULL,
  CALL_VERSION      BIGINT                          -- the call's version (migration 120)
);

CREATE TABLE IF NOT EXISTS STG_TRANSFORMED.STG_GONG_CALL_TOPICS (
  CALL_ID          VARCHAR NOT NULL,
  TOPIC_NAME       VARCHAR NOT NULL,
  DURATION_SECONDS DOUBLE,
  JOB_ID           VARCHAR NOT NULL,
  LOADED_AT        TIMESTAMP NOT NULL,
  PRIMARY KEY (CALL_ID, TOPIC_NAME)
);

CREATE TABLE IF NOT EXISTS STG_TRANSFORMED.STG_GONG_USERS (
  USER_ID          VARCHAR NOT NULL PRIMARY KEY,
  EMAIL_ADDRESS    VARCHAR,
  FIRST_NAME       VARCHAR,
  LAST_NAME        VARCHAR,
  TITLE            VARCHAR,
  PHONE_NUMBER     VARCHAR,
  MANAGER_ID       VARCHAR,
  ACTIVE           BOOLEAN,
  CREATED_AT_UTC   TIMESTAMP,
  SPOKEN_LANGUAGES JSON,
  JOB_ID           VARCHAR NOT NULL,
  LOADED_AT        TIMESTAMP NOT NULL
);

CREATE TABLE IF NOT EXISTS STG_TRANSFORMED.STG_GONG_WORKSPACES (
  WORKSPACE_ID     VARCHAR NOT NULL PRIMARY KEY,
  WORKSPACE_NAME   VARCHAR,
  DESCRIPTION      VARCHAR,
  JOB_ID           VARCHAR NOT NULL,
  LOADED_AT        TIMESTAMP NOT NULL
);
