-- Stalled deals ("which deals are stalled and why"): each open deal (HubSpot deal, else Salesforce
-- opportunity; an account's calls without either form one row with deal_id NULL) whose latest call
-- before `as_of` (default now) is `stalled_days` (default 30) or more days old, longest silent
-- first, with that last call: date, title, outcome, sentiment, Gong's next steps (JSON, sql 110)
-- and the risks the customer raised in it (tracker mentions on the customer's side per category,
-- strong negative customer turns as objections, the sharpest one cited speaker @ mm:ss "text").
-- A deal whose last call saw a closed stage (Closed Won/Lost, closedwon/closedlost) is not stalled.
-- Once STG_GONG_CALLS.RISK_INDICATORS (sql 130) exists, its categories are a third branch of
-- `risk_hits`.
--   SET VARIABLE as_of = TIMESTAMP '2026-01-12'; SET VARIABLE stalled_days = 21;
WITH params AS (
  SELECT COALESCE(CAST(getvariable('as_of') AS TIMESTAMP),
                  CAST(current_timestamp AS TIMESTAMP))                         AS as_of,
         COALESCE(CAST(getvariable('stalled_days') AS INTEGER), 30)             AS stalled_days
), deal_calls AS (
  SELECT c.*, COALESCE(c.HUBSPOT_DEAL_ID, c.SALESFORCE_OPPORTUNITY_ID) AS deal_id,
         ROW_NUMBER() OVER (PARTITION BY c.ACCOUNT_NAME,
                                         COALESCE(c.HUBSPOT_DEAL_ID, c.SALESFORCE_OPPORTUNITY_ID)
                            ORDER BY c.CALL_DATETIME_UTC DESC, c.CALL_ID DESC)  AS recency,
         COUNT(*) OVER (PARTITION BY c.ACCOUNT_NAME,
                                     COALESCE(c.HUBSPOT_DEAL_ID, c.SALESFORCE_OPPORTUNITY_ID)) AS calls
  FROM STG_TRANSFORMED.STG_GONG_CALLS c, params p
  WHERE c.ACCOUNT_NAME IS NOT NULL AND c.CALL_DATETIME_UTC < p.as_of
    AND c.IS_DELETED IS NOT TRUE AND c.IS_PRIVATE IS NOT TRUE  -- calls gone from Gong never count
), stalled AS (
  SELECT d.*, CAST(p.as_of AS DATE) - CAST(d.CALL_DATETIME_UTC AS DATE) AS days_silent
  FROM deal_calls d, params p
  WHERE d.recency = 1
    AND CAST(p.as_of AS DATE) - CAST(d.CALL_DATETIME_UTC AS DATE) >= p.stalled_days
    AND (d.OPPORTUNITY_STAGE IS NULL OR d.OPPORTUNITY_STAGE NOT ILIKE 'closed%')
), risk_hits AS (
  SELECT o.CALL_ID,
         CASE WHEN o.TRACKER_NAME ILIKE '%competitor%' THEN 'competitor'
              WHEN o.TRACKER_NAME ILIKE '%pric%' THEN 'pricing'
              WHEN o.TRACKER_NAME ILIKE '%security%' OR o.TRACKER_NAME ILIKE '%legal%'
                THEN 'security_legal' END                                        AS category
  FROM STG_TRANSFORMED.STG_GONG_CALL_TRACKER_OCCURRENCES o
  JOIN stalled s ON s.CALL_ID = o.CALL_ID
  JOIN STG_TRANSFORMED.STG_GONG_CALL_TRANSCRIPTS t
    ON t.CALL_ID = o.CALL_ID AND t.SPEAKER_ID = o.SPEAKER_ID
   AND o.START_MS >= t.START_MS AND o.START_MS < t.END_MS
  WHERE t.AFFILIATION = 'External'
  UNION ALL
  SELECT t.CALL_ID, 'objection'
  FROM STG_TRANSFORMED.STG_GONG_CALL_TRANSCRIPTS t
  JOIN stalled s ON s.CALL_ID = t.CALL_ID
  WHERE t.AFFILIATION = 'External' AND t.SEGMENT_SENTIMENT <= -0.3
), risk_counts AS (
  SELECT CALL_ID,
         SUM(CASE WHEN category = 'pricing' THEN 1 ELSE 0 END)                  AS pricing,
         SUM(CASE WHEN category = 'competitor' THEN 1 ELSE 0 END)               AS competitor,
         SUM(CASE WHEN category = 'security_legal' THEN 1 ELSE 0 END)           AS security_legal,
         SUM(CASE WHEN category = 'objection' THEN 1 ELSE 0 END)                AS objections
  FROM risk_hits
  GROUP BY CALL_ID
), sharpest AS (
  SELECT t.CALL_ID,
         COALESCE(t.SPEAKER_NAME, 'Unknown speaker') || ' @ '
           || CASE WHEN t.START_MS < 600000 THEN '0' ELSE '' END
           || CAST(CAST(FLOOR(t.START_MS / 60000) AS BIGINT) AS VARCHAR) || ':'
           || CASE WHEN MOD(CAST(FLOOR(t.START_MS / 1000) AS BIGINT), 60) < 10 THEN '0' ELSE '' END
           || CAST(MOD(CAST(FLOOR(t.START_MS / 1000) AS BIGINT), 60) AS VARCHAR)
           || ' "' || LEFT(t.TRANSCRIPT_TEXT, 160)
           || CASE WHEN LENGTH(t.TRANSCRIPT_TEXT) > 160 THEN '…' ELSE '' END || '"' AS citation,
         ROW_NUMBER() OVER (PARTITION BY t.CALL_ID
                            ORDER BY t.SEGMENT_SENTIMENT ASC, t.START_MS ASC)   AS n
  FROM STG_TRANSFORMED.STG_GONG_CALL_TRANSCRIPTS t
  JOIN stalled s ON s.CALL_ID = t.CALL_ID
  WHERE t.AFFILIATION = 'External' AND t.SEGMENT_SENTIMENT <= -0.3
)
SELECT s.ACCOUNT_NAME                                   AS account,
       s.deal_id,
       s.OPPORTUNITY_STAGE                              AS stage,
       s.OPPORTUNITY_AMOUNT                             AS amount,
       s.days_silent,
       s.calls,
       s.CALL_ID                                        AS last_call_id,
       s.CALL_DATETIME_UTC                              AS last_call_at,
       s.CALL_TITLE                                     AS last_call_title,
       s.CALL_OUTCOME                                   AS last_call_outcome,
       ROUND(s.SENTIMENT_SCORE, 3)                      AS last_call_sentiment,
       COALESCE(r.pricing, 0)                           AS pricing_mentions,
       COALESCE(r.competitor, 0)                        AS competitor_mentions,
       COALESCE(r.security_legal, 0)                    AS security_legal_mentions,
       COALESCE(r.objections, 0)                        AS objections,
       x.citation                                       AS sharpest_objection,
       COALESCE(json_array_length(s.NEXT_STEPS), 0)     AS next_step_count,
       CAST(s.NEXT_STEPS AS VARCHAR)                    AS next_steps
FROM stalled s
LEFT JOIN risk_counts r ON r.CALL_ID = s.CALL_ID
LEFT JOIN sharpest x ON x.CALL_ID = s.CALL_ID AND x.n = 1
ORDER BY s.days_silent DESC, account, s.deal_id NULLS LAST;
