-- OPS_MONITORING.GONG_API_USAGE: the daily Gong request ledger. Every HTTP request this pipeline
-- sends to Gong (retries and 429s included) is counted here per UTC day, job and endpoint, so runs,
-- processes and workers share one count against --gongDailyRequestBudget. Clients reserve requests
-- in small blocks with one conditional MERGE (never past the budget) and give back what they did
-- not send when they close, so after a run the rows equal what was sent.
CREATE TABLE IF NOT EXISTS OPS_MONITORING.GONG_API_USAGE (
  USAGE_DAY        DATE NOT NULL,                 -- UTC day the requests were sent
  JOB_ID           VARCHAR NOT NULL,              -- ETL_JOB_LOGS.JOB_ID
  ENDPOINT         VARCHAR NOT NULL,              -- e.g. 'POST /v2/calls/extensive'
  REQUESTS         NUMBER(38,0) NOT NULL,
  UPDATED_AT       TIMESTAMP_NTZ NOT NULL,        -- UTC, last change
  PRIMARY KEY (USAGE_DAY, JOB_ID, ENDPOINT)
);
