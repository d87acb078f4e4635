-- Competitor mentions by month, from Gong's trackers (sql 110): per tracker named like
-- "Competitor", its mentions, the calls and accounts it came up in. (The DuckDB version splits the
-- count per competitor phrase; per phrase here needs LATERAL FLATTEN over PHRASES.)
SELECT DATE_TRUNC('month', c.CALL_DATETIME_UTC)         AS period,
       t.TRACKER_NAME                                   AS tracker,
       SUM(t.MENTION_COUNT)                             AS mentions,
       COUNT(DISTINCT t.CALL_ID)                        AS calls,
       COUNT(DISTINCT c.ACCOUNT_NAME)                   AS accounts
FROM STG_TRANSFORMED.STG_GONG_CALL_TRACKERS t
JOIN STG_TRANSFORMED.STG_GONG_CALLS c ON c.CALL_ID = t.CALL_ID
WHERE t.TRACKER_NAME ILIKE '%competitor%' AND t.MENTION_COUNT > 0 AND c.IS_DELETED IS NOT TRUE
GROUP BY 1, 2
ORDER BY period DESC, mentions DESC, tracker;
