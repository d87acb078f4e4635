-- Coaching: talk ratio by rep over the last 90 days. A rep's talk ratio on a call is the share of
-- the call's speaking time that is theirs; reps who talk most of the call listen least.
WITH talk AS (
  SELECT t.CALL_ID, t.SPEAKER_ID, SUM(t.END_MS - t.START_MS) AS speaking_ms
  FROM STG_TRANSFORMED.STG_GONG_CALL_TRANSCRIPTS t
  GROUP BY t.CALL_ID, t.SPEAKER_ID
), per_call AS (
  SELECT talk.CALL_ID, talk.SPEAKER_ID, talk.speaking_ms,
         talk.speaking_ms / NULLIF(SUM(talk.speaking_ms) OVER (PARTITION BY talk.CALL_ID), 0) AS ratio
  FROM talk
)
SELECT COALESCE(u.FIRST_NAME || ' ' || u.LAST_NAME, p.PARTICIPANT_NAME) AS rep,
       COUNT(DISTINCT pc.CALL_ID)                    AS calls,
       ROUND(AVG(pc.ratio), 2)                       AS avg_talk_ratio,
       ROUND(SUM(pc.speaking_ms) / 60000, 1)         AS minutes_spoken
FROM per_call pc
JOIN STG_TRANSFORMED.STG_GONG_CALL_PARTICIPANTS p
  ON p.CALL_ID = pc.CALL_ID AND p.SPEAKER_ID = pc.SPEAKER_ID
JOIN STG_TRANSFORMED.STG_GONG_CALLS c ON c.CALL_ID = pc.CALL_ID
LEFT JOIN STG_TRANSFORMED.STG_GONG_USERS u ON u.USER_ID = p.USER_ID
WHERE p.AFFILIATION = 'Internal'
  AND c.CALL_SCOPE = 'External'
  AND c.CALL_DATETIME_UTC >= DATEADD(day, -90, CURRENT_TIMESTAMP()::TIMESTAMP_NTZ)
GROUP BY 1
ORDER BY avg_talk_ratio DESC;
