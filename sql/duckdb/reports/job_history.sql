-- Job history: the latest runs with outcome, duration, work done, Gong API usage and dead letters.
SELECT JOB_ID                                   AS job_id,
       JOB_TYPE                                 AS job_type,
       STATUS                                   AS status,
       STARTED_AT                               AS started_at,
       ROUND(DURATION_MS / 1000.0, 1)           AS duration_s,
       CALLS_PROCESSED                          AS calls,
       CHUNKS_PROCESSED                         AS chunks,
       API_REQUESTS                             AS api_requests,
       API_RATE_LIMITED                         AS http_429,
       DEAD_LETTERS                             AS dead_letters,
       ERROR_MESSAGE                            AS error
FROM OPS_MONITORING.ETL_JOB_LOGS
ORDER BY STARTED_AT DESC
LIMIT 20;
