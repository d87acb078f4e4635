-- Next steps per account: Gong's action items (STG_GONG_CALLS.NEXT_STEPS, sql 110) of each
-- account's three latest calls that have any, one row per step with its speaker and mm:ss.
WITH steps AS (
  SELECT c.ACCOUNT_NAME, c.CALL_ID, c.CALL_DATETIME_UTC, c.CALL_TITLE,
         UNNEST(from_json(c.NEXT_STEPS,
             '[{"text":"VARCHAR","speaker_name":"VARCHAR","start_ms":"BIGINT"}]')) AS s
  FROM STG_TRANSFORMED.STG_GONG_CALLS c
  WHERE c.NEXT_STEPS IS NOT NULL AND c.ACCOUNT_NAME IS NOT NULL AND c.IS_DELETED IS NOT TRUE
), ranked AS (
  SELECT *, DENSE_RANK() OVER (PARTITION BY ACCOUNT_NAME
                               ORDER BY CALL_DATETIME_UTC DESC, CALL_ID) AS call_rank
  FROM steps
)
SELECT ACCOUNT_NAME                                     AS account,
       CALL_DATETIME_UTC                                AS call_at,
       CALL_TITLE                                       AS call_title,
       s.speaker_name                                   AS speaker,
       printf('%02d:%02d', s.start_ms // 60000, (s.start_ms // 1000) % 60) AS at,
       s.text                                           AS next_step,
       CALL_ID                                          AS call_id
FROM ranked
WHERE call_rank <= 3
ORDER BY account, call_at DESC, s.start_ms;
