-- Failure rate by job type over the 30 days before the latest run. RUNNING counts runs still going
-- and runs killed before they could log an outcome (a SIGKILL leaves the row RUNNING).
SELECT JOB_TYPE                                                                  AS job_type,
       COUNT(*)                                                                  AS runs,
       COUNT(*) FILTER (WHERE STATUS = 'SUCCEEDED')                              AS succeeded,
       COUNT(*) FILTER (WHERE STATUS = 'FAILED')                                 AS failed,
       COUNT(*) FILTER (WHERE STATUS = 'STOPPED')                                AS stopped,
       COUNT(*) FILTER (WHERE STATUS = 'RUNNING')                                AS running_or_killed,
       ROUND(100.0 * COUNT(*) FILTER (WHERE STATUS = 'FAILED') / COUNT(*), 1)    AS failure_rate_pct,
       MAX(STARTED_AT) FILTER (WHERE STATUS = 'SUCCEEDED')                       AS last_success
FROM OPS_MONITORING.ETL_JOB_LOGS
WHERE STARTED_AT >= (SELECT MAX(STARTED_AT) FROM OPS_MONITORING.ETL_JOB_LOGS) - INTERVAL 30 DAY
GROUP BY job_type
ORDER BY job_type;
