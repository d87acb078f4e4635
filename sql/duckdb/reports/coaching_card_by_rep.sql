-- Coaching card per rep (the call's primary user), external calls of the last 90 days, from what
-- Gong computed (sql 110): TALK_RATIO is the company side's share of the call's talk time, the
-- longest monologue is the host's, questions are Gong's counts. Calls Gong gave no stats are NULL
-- and left out of the averages.
SELECT COALESCE(c.PRIMARY_USER_NAME, u.FIRST_NAME || ' ' || u.LAST_NAME, c.PRIMARY_USER_ID) AS rep,
       COUNT(*)                                          AS calls,
       ROUND(AVG(c.TALK_RATIO), 2)                       AS avg_talk_ratio,
       COUNT_IF(c.TALK_RATIO > 0.65)                     AS calls_talking_over_65pct,
       ROUND(AVG(c.LONGEST_MONOLOGUE_SECONDS), 0)        AS avg_longest_monologue_s,
       MAX(c.LONGEST_MONOLOGUE_SECONDS)                  AS max_longest_monologue_s,
       ROUND(AVG(c.QUESTIONS_COMPANY), 1)                AS avg_questions_asked,
       ROUND(AVG(c.QUESTIONS_NON_COMPANY), 1)            AS avg_customer_questions
FROM STG_TRANSFORMED.STG_GONG_CALLS c
LEFT JOIN STG_TRANSFORMED.STG_GONG_USERS u ON u.USER_ID = c.PRIMARY_USER_ID
WHERE c.IS_DELETED IS NOT TRUE
  AND c.CALL_SCOPE IS DISTINCT FROM 'Internal'
  AND c.CALL_DATETIME_UTC >= CAST(current_timestamp AS TIMESTAMP) - INTERVAL 90 DAY
GROUP BY 1
ORDER BY avg_talk_ratio DESC NULLS LAST, rep;
