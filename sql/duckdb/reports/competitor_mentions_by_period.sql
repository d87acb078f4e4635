-- Competitor mentions by month, from Gong's trackers (sql 110): each competitor phrase of a
-- tracker named like "Competitor", with its mentions, the calls and accounts it came up in.
-- (The Snowflake version counts per tracker: it avoids LATERAL FLATTEN, which the stand-in lacks.)
WITH phrases AS (
  SELECT t.CALL_ID, t.TRACKER_NAME,
         UNNEST(from_json(t.PHRASES, '[{"phrase":"VARCHAR","count":"BIGINT"}]')) AS p
  FROM STG_TRANSFORMED.STG_GONG_CALL_TRACKERS t
  WHERE t.TRACKER_NAME ILIKE '%competitor%' AND t.PHRASES IS NOT NULL
)
SELECT DATE_TRUNC('month', c.CALL_DATETIME_UTC)         AS period,
       ph.p.phrase                                      AS competitor,
       SUM(ph.p.count)                                  AS mentions,
       COUNT(DISTINCT ph.CALL_ID)                       AS calls,
       COUNT(DISTINCT c.ACCOUNT_NAME)                   AS accounts
FROM phrases ph
JOIN STG_TRANSFORMED.STG_GONG_CALLS c ON c.CALL_ID = ph.CALL_ID
WHERE c.IS_DELETED IS NOT TRUE AND ph.p.count > 0
GROUP BY 1, 2
ORDER BY period DESC, mentions DESC, competitor;
