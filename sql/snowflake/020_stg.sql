-- STG_TRANSFORMED: typed, one row per natural key. All timestamps are UTC (TIMESTAMP_NTZ).
-- EMAIL_ADDRESS columns get the masking policy of admin/120_email_masking.sql.
CREATE TABLE IF NOT EXISTS STG_TRANSFORMED.STG_GONG_CALLS (
  CALL_ID                    VARCHAR NOT NULL PRIMARY KEY,
  CALL_TITLE                 VARCHAR,
  CALL_DATETIME_UTC          TIMESTAMP_NTZ,    -- metaData.started
  CALL_SCHEDULED_UTC         TIMESTAMP_NTZ,    -- metaData.scheduled
  CALL_DURATION_SECONDS      NUMBER(38,0),
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
  OPPORTUNITY_AMOUNT         FLOAT,
  CALL_BRIEF                 VARCHAR,
  KEY_POINTS                 VARIANT,          -- array of strings
  KEY_TOPICS                 VARIANT,          -- array of topic names, by duration desc
  PARTICIPANT_COUNT          NUMBER(38,0),
  EXTERNAL_PARTICIPANT_COUNT NUMBER(38,0),
  TRANSCRIPT_SEGMENT_COUNT   NUMBER(38,0),
  TRANSCRIPT_WORD_COUNT      NUMBER(38,0),
  SENTIMENT_SCORE            FLOAT,            -- duration-weighted mean of segment sentiment, [-1, 1]
  SENTIMENT_MODEL            VARCHAR,
  JOB_ID                     VARCHAR NOT NULL,
  LOADED_AT                  TIMESTAMP_NTZ NOT NULL,
  IS_DELETED                 BOOLEAN,          -- private or deleted in Gong (migration 100)
  DELETED_AT                 TIMESTAMP_NTZ,
  CALL_VERSION               NUMBER(38,0)            -- fetch time (epoch micros); older never overwrites
);

CREATE TABLE IF NOT EXISTS STG_TRANSFORMED.STG_GONG_CALL_PARTICIPANTS (
  CALL_ID          VARCHAR NOT NULL,
  PARTICIPANT_ID   VARCHAR NOT NULL,            -- parties[].id
  SPEAKER_ID       VARCHAR,                     -- joins STG_GONG_CALL_TRANSCRIPTS.SPEAKER_ID
  USER_ID          VARCHAR,                     -- Gong user when internal
  PARTICIPANT_NAME VARCHAR,
  TITLE            VARCHAR,
  EMAIL_ADDRESS    VARCHAR,                     -- masked for readers (admin/120_email_masking.sql)
  EMAIL_DOMAIN     VARCHAR,
  PHONE_NUMBER     VARCHAR,
  AFFILIATION      VARCHAR,                     -- Internal | External | Unknown
  METHODS          VARIANT,
  CRM_CONTEXT      VARIANT,                     -- parties[].context verbatim
  JOB_ID           VARCHAR NOT NULL,
  LOADED_AT        TIMESTAMP_NTZ NOT NULL,
  PRIMARY KEY (CALL_ID, PARTICIPANT_ID)
);

CREATE TABLE IF NOT EXISTS STG_TRANSFORMED.STG_GONG_CALL_TRANSCRIPTS (
  TRANSCRIPT_ID     VARCHAR NOT NULL PRIMARY KEY,   -- CALL_ID || ':' || TURN_INDEX
  CALL_ID           VARCHAR NOT NULL,
  TURN_INDEX        NUMBER(38,0) NOT NULL,
  SPEAKER_ID        VARCHAR,
  SPEAKER_NAME      VARCHAR,
  AFFILIATION       VARCHAR,
  TOPIC             VARCHAR,
  START_MS          NUMBER(38,0),
  END_MS            NUMBER(38,0),
  SENTENCE_COUNT    NUMBER(38,0),
  TRANSCRIPT_TEXT   VARCHAR,                        -- the turn's sentences, verbatim
  SEGMENT_SENTIMENT FLOAT,
  JOB_ID            VARCHAR NOT NULL,
  LOADED_AT         TIMESTAMP_NTZ NOT NULL,
  CALL_VERSION      NUMBER(38,0)                    -- the call's version (migration 120)
);

CREATE TABLE IF NOT EXISTS STG_TRANSFORMED.STG_GONG_CALL_TOPICS (
  CALL_ID          VARCHAR NOT NULL,
  TOPIC_NAME       VARCHAR NOT NULL,
  DURATION_SECONDS FLOAT,
  JOB_ID           VARCHAR NOT NULL,
  LOADED_AT        TIMESTAMP_NTZ NOT NULL,
  PRIMARY KEY (CALL_ID, TOPIC_NAME)
);

CREATE TABLE IF NOT EXISTS STG_TRANSFORMED.STG_GONG_USERS (
  USER_ID          VARCHAR NOT NULL PRIMARY KEY,
  EMAIL_ADDRESS    VARCHAR,                     -- masked for readers (admin/120_email_masking.sql)
  FIRST_NAME       VARCHAR,
  LAST_NAME        VARCHAR,
  TITLE            VARCHAR,
  PHONE_NUMBER     VARCHAR,
  MANAGER_ID       VARCHAR,
  ACTIVE           BOOLEAN,
  CREATED_AT_UTC   TIMESTAMP_NTZ,
  SPOKEN_LANGUAGES VARIANT,
  JOB_ID           VARCHAR NOT NULL,
  LOADED_AT        TIMESTAMP_NTZ NOT NULL
);

CREATE TABLE IF NOT EXISTS STG_TRANSFORMED.STG_GONG_WORKSPACES (
  WORKSPACE_ID     VARCHAR NOT NULL PRIMARY KEY,
  WORKSPACE_NAME   VARCHAR,
  DESCRIPTION      VARCHAR,
  JOB_ID           VARCHAR NOT NULL,
  LOADED_AT        TIMESTAMP_NTZ NOT NULL
);
