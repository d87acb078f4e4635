-- Next steps per account: Gong's action items (STG_GONG_CALLS.NEXT_STEPS, sql 110, a JSON list of
-- {text, speaker_id, speaker_name, start_ms, end_ms}) of each account's three latest calls that
-- have any, one row per call. (The DuckDB version has one row per step; here that needs LATERAL
-- FLATTEN over NEXT_STEPS.)
SELECT c.ACCOUNT_NAME                                   AS account,
       c.CALL_DATETIME_UTC                              AS call_at,
       c.CALL_TITLE                                     AS call_title,
       c.NEXT_STEPS                                     AS next_steps,
       c.CALL_ID                                        AS call_id
FROM STG_TRANSFORMED.STG_GONG_CALLS c
WHERE c.NEXT_STEPS IS NOT NULL AND c.ACCOUNT_NAME IS NOT NULL AND c.IS_DELETED IS NOT TRUE
  AND CAST(c.NEXT_STEPS AS VARCHAR) <> '[]'
QUALIFY DENSE_RANK() OVER (PARTITION BY c.ACCOUNT_NAME
                           ORDER BY c.CALL_DATETIME_UTC DESC, c.CALL_ID) <= 3
ORDER BY account, call_at DESC;
