-- Negative calls in a period ("show me calls with negative sentiment from last week"): calls whose
-- SENTIMENT_SCORE is below 0, most negative first, each with its three most negative customer
-- moments as citations (moment_1 the worst): speaker @ mm:ss (turn score) "what they said".
-- The period is [period_from, period_to); the defaults below are the last 7 days.
-- SENTIMENT_SCORE weighs the customer side and strong turns (see README, "Sentiment"), so 0 is a
-- businesslike call and below 0 is a call where the customer was unhappy.
SET period_from = DATEADD(day, -7, CURRENT_TIMESTAMP()::TIMESTAMP_NTZ);
SET period_to = CURRENT_TIMESTAMP()::TIMESTAMP_NTZ;
WITH calls AS (
  SELECT c.CALL_ID, c.CALL_TITLE, c.ACCOUNT_NAME, c.PRIMARY_USER_ID, c.CALL_DATETIME_UTC,
         c.SENTIMENT_SCORE, c.SENTIMENT_MODEL, c.CALL_URL
  FROM STG_TRANSFORMED.STG_GONG_CALLS c
  WHERE c.CALL_DATETIME_UTC >= $period_from AND c.CALL_DATETIME_UTC < $period_to
    AND c.SENTIMENT_SCORE < 0
    AND c.IS_DELETED IS NOT TRUE  -- calls gone from Gong never count
), moments AS (
  SELECT t.CALL_ID, t.SEGMENT_SENTIMENT, t.START_MS,
         COALESCE(t.SPEAKER_NAME, 'Unknown speaker') || ' @ '
           || CASE WHEN t.START_MS < 600000 THEN '0' ELSE '' END
           || CAST(CAST(FLOOR(t.START_MS / 60000) AS BIGINT) AS VARCHAR) || ':'
           || CASE WHEN MOD(CAST(FLOOR(t.START_MS / 1000) AS BIGINT), 60) < 10 THEN '0' ELSE '' END
           || CAST(MOD(CAST(FLOOR(t.START_MS / 1000) AS BIGINT), 60) AS VARCHAR)
           || ' (' || CAST(ROUND(t.SEGMENT_SENTIMENT, 2) AS VARCHAR) || ') "'
           || LEFT(t.TRANSCRIPT_TEXT, 160) || CASE WHEN LENGTH(t.TRANSCRIPT_TEXT) > 160 THEN '…' ELSE '' END
           || '"' AS citation,
         ROW_NUMBER() OVER (PARTITION BY t.CALL_ID
                            ORDER BY t.SEGMENT_SENTIMENT ASC, t.START_MS ASC) AS moment_rank
  FROM STG_TRANSFORMED.STG_GONG_CALL_TRANSCRIPTS t
  JOIN calls c ON c.CALL_ID = t.CALL_ID
  WHERE t.AFFILIATION = 'External' AND t.SEGMENT_SENTIMENT < 0
)
SELECT c.CALL_ID, c.CALL_DATETIME_UTC, c.ACCOUNT_NAME, c.CALL_TITLE,
       c.PRIMARY_USER_ID                                AS rep_user_id,
       ROUND(c.SENTIMENT_SCORE, 3)                      AS sentiment_score,
       MAX(CASE WHEN m.moment_rank = 1 THEN m.citation END) AS moment_1,
       MAX(CASE WHEN m.moment_rank = 2 THEN m.citation END) AS moment_2,
       MAX(CASE WHEN m.moment_rank = 3 THEN m.citation END) AS moment_3,
       c.SENTIMENT_MODEL, c.CALL_URL
FROM calls c
LEFT JOIN moments m ON m.CALL_ID = c.CALL_ID AND m.moment_rank <= 3
GROUP BY c.CALL_ID, c.CALL_DATETIME_UTC, c.ACCOUNT_NAME, c.CALL_TITLE, c.PRIMARY_USER_ID,
         c.SENTIMENT_SCORE, c.SENTIMENT_MODEL, c.CALL_URL
ORDER BY c.SENTIMENT_SCORE ASC, c.CALL_ID
LIMIT 50;
