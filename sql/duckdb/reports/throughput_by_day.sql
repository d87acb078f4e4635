-- Throughput by day and job type over the 30 days before the latest run: finished runs only
-- (a RUNNING row has no duration yet; a killed run stays RUNNING).
SELECT CAST(STARTED_AT AS DATE)                                            AS day,
       JOB_TYPE                                                            AS job_type,
       COUNT(*)                                                            AS runs,
       SUM(CALLS_PROCESSED)                                                AS calls,
       SUM(CHUNKS_PROCESSED)                                               AS chunks,
       ROUND(SUM(CALLS_PROCESSED) * 60000.0 / NULLIF(SUM(DURATION_MS), 0), 1)  AS calls_per_minute,
       ROUND(SUM(CHUNKS_PROCESSED) * 60000.0 / NULLIF(SUM(DURATION_MS), 0), 1) AS chunks_per_minute,
       ROUND(1000.0 * SUM(API_REQUESTS) / NULLIF(SUM(CALLS_PROCESSED), 0), 1)  AS api_requests_per_1000_calls
FROM OPS_MONITORING.ETL_JOB_LOGS
WHERE FINISHED_AT IS NOT NULL
  AND STATUS IN ('SUCCEEDED', 'STOPPED')
  AND STARTED_AT >= (SELECT MAX(STARTED_AT) FROM OPS_MONITORING.ETL_JOB_LOGS) - INTERVAL 30 DAY
GROUP BY day, job_type
ORDER BY day DESC, job_type;
