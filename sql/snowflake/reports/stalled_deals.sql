-- Stalled deals ("which deals are stalled and why"): each open deal (HubSpot deal, else Salesforce
-- opportunity; an account’s calls without either form one row with deal_id NULL) whose latest call
-- before `as_of` (default now) is `stalled_days` (default 30) or more days old, longest silent
-- first, with that last call: date, title, outcome, sentiment, Gong’s next steps (JSON, sql 110)
-- and the risks the customer raised in it: mentions per category of the view
-- STG_TRANSFORMED.CALL_RISK_SIGNALS (sql 150), i.e. its classified RISK_INDICATORS (sql 130) or,
-- for a call not yet classified, Gong’s trackers on the customer’s side, with `risk_source` saying
-- which (the RISK_METHOD, e.g. 'e5-logreg-v1', or 'gong-trackers'), and strong negative
-- customer turns as objections, the sharpest one cited speaker @ mm:ss "text".
-- A deal whose last call saw a closed stage (Closed Won/Lost, closedwon/closedlost) is not stalled.
SET as_of = CURRENT_TIMESTAMP()::TIMESTAMP_NTZ;
SET stalled_days = 30;
WITH params AS (
  SELECT $as_of AS as_of, $stalled_days AS stalled_days
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
), risk_counts AS (  -- the shared signals (sql 150) of each stalled deal's last call
  SELECT r.CALL_ID,
         SUM(CASE WHEN r.CATEGORY = 'pricing' THEN 1 ELSE 0 END)                AS pricing,
         SUM(CASE WHEN r.CATEGORY = 'competitor' THEN 1 ELSE 0 END)             AS competitor,
         SUM(CASE WHEN r.CATEGORY = 'security_legal' THEN 1 ELSE 0 END)         AS security_legal,
         SUM(CASE WHEN r.CATEGORY = 'timeline' THEN 1 ELSE 0 END)               AS timeline,
         SUM(CASE WHEN r.CATEGORY = 'stakeholder' THEN 1 ELSE 0 END)            AS stakeholder,
         SUM(CASE WHEN r.CATEGORY = 'churn_risk' THEN 1 ELSE 0 END)             AS churn_risk,
         SUM(CASE WHEN r.CATEGORY = 'product_gap' THEN 1 ELSE 0 END)            AS product_gap,
         SUM(CASE WHEN r.CATEGORY = 'objection' THEN 1 ELSE 0 END)              AS objections
  FROM STG_TRANSFORMED.CALL_RISK_SIGNALS r
  JOIN stalled s ON s.CALL_ID = r.CALL_ID
  GROUP BY r.CALL_ID
), sharpest AS (
  SELECT r.CALL_ID,
         COALESCE(r.SPEAKER_NAME, 'Unknown speaker') || ' @ '
           || CASE WHEN COALESCE(r.TURN_START_MS, r.SIGNAL_MS) < 600000 THEN '0' ELSE '' END
           || CAST(CAST(FLOOR(COALESCE(r.TURN_START_MS, r.SIGNAL_MS) / 60000) AS BIGINT) AS VARCHAR) || ':'
           || CASE WHEN MOD(CAST(FLOOR(COALESCE(r.TURN_START_MS, r.SIGNAL_MS) / 1000) AS BIGINT), 60) < 10 THEN '0' ELSE '' END
           || CAST(MOD(CAST(FLOOR(COALESCE(r.TURN_START_MS, r.SIGNAL_MS) / 1000) AS BIGINT), 60) AS VARCHAR)
           || ' "' || LEFT(r.TURN_TEXT, 160)
           || CASE WHEN LENGTH(r.TURN_TEXT) > 160 THEN '…' ELSE '' END || '"' AS citation,
         ROW_NUMBER() OVER (PARTITION BY r.CALL_ID
                            ORDER BY r.SCORE ASC, r.SIGNAL_MS ASC)              AS n
  FROM STG_TRANSFORMED.CALL_RISK_SIGNALS r
  JOIN stalled s ON s.CALL_ID = r.CALL_ID
  WHERE r.CATEGORY = 'objection'
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
       COALESCE(r.timeline, 0)                          AS timeline_mentions,
       COALESCE(r.stakeholder, 0)                       AS stakeholder_mentions,
       COALESCE(r.churn_risk, 0)                        AS churn_risk_mentions,
       COALESCE(r.product_gap, 0)                       AS product_gap_mentions,
       CASE WHEN s.RISK_INDICATORS IS NULL THEN 'gong-trackers'
            ELSE COALESCE(s.RISK_METHOD, 'unknown') END AS risk_source,
       COALESCE(r.objections, 0)                        AS objections,
       x.citation                                       AS sharpest_objection,
       COALESCE(ARRAY_SIZE(s.NEXT_STEPS), 0)     AS next_step_count,
       CAST(TO_JSON(s.NEXT_STEPS) AS VARCHAR)                    AS next_steps
FROM stalled s
LEFT JOIN risk_counts r ON r.CALL_ID = s.CALL_ID
LEFT JOIN sharpest x ON x.CALL_ID = s.CALL_ID AND x.n = 1
ORDER BY s.days_silent DESC, account, s.deal_id NULLS LAST;
