-- RAW: every object fetched from Gong, verbatim JSON (VARIANT), latest version per natural key.
-- PAYLOAD_HASH is a SHA-256 of the payload without volatile fields (media URLs), so a re-fetch of
-- an unchanged object changes nothing.
CREATE TABLE IF NOT EXISTS RAW.GONG_CALLS_RAW (
  CALL_ID          VARCHAR NOT NULL PRIMARY KEY,  -- Gong ids are up to 20 digits: never a number
  CALL_STARTED_AT  TIMESTAMP_NTZ,                 -- UTC
  PAYLOAD          VARIANT NOT NULL,              -- POST /v2/calls/extensive CallData
  PAYLOAD_HASH     VARCHAR NOT NULL,
  JOB_ID           VARCHAR NOT NULL,
  INGESTED_AT      TIMESTAMP_NTZ NOT NULL         -- UTC
);

CREATE TABLE IF NOT EXISTS RAW.GONG_CALL_TRANSCRIPTS_RAW (
  CALL_ID          VARCHAR NOT NULL PRIMARY KEY,
  PAYLOAD          VARIANT NOT NULL,              -- POST /v2/calls/transcript callTranscripts[] entry
  PAYLOAD_HASH     VARCHAR NOT NULL,
  JOB_ID           VARCHAR NOT NULL,
  INGESTED_AT      TIMESTAMP_NTZ NOT NULL
);

CREATE TABLE IF NOT EXISTS RAW.GONG_USERS_RAW (
  USER_ID          VARCHAR NOT NULL PRIMARY KEY,
  PAYLOAD          VARIANT NOT NULL,              -- GET /v2/users users[] entry
  PAYLOAD_HASH     VARCHAR NOT NULL,
  JOB_ID           VARCHAR NOT NULL,
  INGESTED_AT      TIMESTAMP_NTZ NOT NULL
);

CREATE TABLE IF NOT EXISTS RAW.GONG_WORKSPACES_RAW (
  WORKSPACE_ID     VARCHAR NOT NULL PRIMARY KEY,
  PAYLOAD          VARIANT NOT NULL,              -- GET /v2/workspaces workspaces[] entry
  PAYLOAD_HASH     VARCHAR NOT NULL,
  JOB_ID           VARCHAR NOT NULL,
  INGESTED_AT      TIMESTAMP_NTZ NOT NULL
);
