-- Dead letters by stage over the 7 days before the latest one, with the latest error of each.
SELECT STAGE                                  AS stage,
       COUNT(*)                               AS dead_letters,
       COUNT(DISTINCT JOB_ID)                 AS jobs,
       MIN(FAILED_AT)                         AS first_failed_at,
       MAX(FAILED_AT)                         AS last_failed_at,
       arg_max(ERROR_MESSAGE, FAILED_AT)      AS latest_error
FROM OPS_MONITORING.DEAD_LETTER
WHERE LOADED_AT >= (SELECT MAX(LOADED_AT) FROM OPS_MONITORING.DEAD_LETTER) - INTERVAL 7 DAY
GROUP BY stage
ORDER BY dead_letters DESC, stage;
