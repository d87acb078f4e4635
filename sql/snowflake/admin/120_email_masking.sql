-- Email masking (Enterprise edition or higher). Run by an administrator AFTER the pipeline has
-- created the tables. Idempotent (IF NOT EXISTS; FORCE re-attaches over an existing policy).
--
-- Who sees what: GONG_INGEST and GONG_PII_READER see the address; everyone else (GONG_READER,
-- analysts) sees '*****@domain'. GONG_INGEST MUST see it: the pipeline's MERGE compares the stored
-- value with the new one, and a masked read would make every re-run rewrite every row.
-- IS_ROLE_IN_SESSION follows the role hierarchy (secondary roles too), unlike CURRENT_ROLE().
USE DATABASE IDENTIFIER($gong_db);
CREATE MASKING POLICY IF NOT EXISTS STG_TRANSFORMED.GONG_EMAIL_MASK AS (val VARCHAR) RETURNS VARCHAR ->
  CASE
    WHEN val IS NULL THEN NULL
    WHEN IS_ROLE_IN_SESSION('GONG_INGEST') OR IS_ROLE_IN_SESSION('GONG_PII_READER') THEN val
    ELSE REGEXP_REPLACE(val, '.+@', '*****@')
  END
  COMMENT = 'Gong participant and user emails: visible to GONG_INGEST and GONG_PII_READER only';

ALTER TABLE STG_TRANSFORMED.STG_GONG_CALL_PARTICIPANTS MODIFY COLUMN EMAIL_ADDRESS
  SET MASKING POLICY STG_TRANSFORMED.GONG_EMAIL_MASK FORCE;
ALTER TABLE STG_TRANSFORMED.STG_GONG_USERS MODIFY COLUMN EMAIL_ADDRESS
  SET MASKING POLICY STG_TRANSFORMED.GONG_EMAIL_MASK FORCE;
