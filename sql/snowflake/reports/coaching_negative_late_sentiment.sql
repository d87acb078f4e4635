-- Coaching: calls that end badly. The customer's sentiment in the last 20% of the call is
-- negative and lower than in the rest of the call: calls to review with the rep.
WITH turns AS (
  -- "late" = starts in the last 20% of the call's speech (all speakers count for the call's end)
  SELECT t.CALL_ID, t.AFFILIATION, t.SEGMENT_SENTIMENT, t.END_MS - t.START_MS AS ms,
         t.START_MS >= 0.8 * MAX(t.END_MS) OVER (PARTITION BY t.CALL_ID) AS is_late
  FROM STG_TRANSFORMED.STG_GONG_CALL_TRANSCRIPTS t
), per_call AS (
  SELECT CALL_ID,
         SUM(IFF(is_late, SEGMENT_SENTIMENT * ms, 0)) / NULLIF(SUM(IFF(is_late, ms, 0)), 0) AS late_sentiment,
         SUM(IFF(NOT is_late, SEGMENT_SENTIMENT * ms, 0)) / NULLIF(SUM(IFF(NOT is_late, ms, 0)), 0) AS early_sentiment
  FROM turns
  WHERE AFFILIATION = 'External' AND SEGMENT_SENTIMENT IS NOT NULL
  GROUP BY CALL_ID
)
SELECT c.CALL_ID, c.CALL_TITLE, c.ACCOUNT_NAME, c.PRIMARY_USER_ID AS rep_user_id,
       c.CALL_DATETIME_UTC, ROUND(p.early_sentiment, 2) AS early_sentiment,
       ROUND(p.late_sentiment, 2) AS late_sentiment, c.CALL_URL
FROM per_call p
JOIN STG_TRANSFORMED.STG_GONG_CALLS c ON c.CALL_ID = p.CALL_ID
WHERE p.late_sentiment < -0.2
  AND (p.early_sentiment IS NULL OR p.late_sentiment < p.early_sentiment)
ORDER BY p.late_sentiment ASC
LIMIT 25;
