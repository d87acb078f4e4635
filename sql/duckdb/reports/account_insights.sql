-- Account insights ("what is going on with Acme"): per account, over the calls of the last
-- `days` days (default 180) before `as_of` (default now), optionally one `account` (matched
-- case-insensitively), one row per item in sections:
--   overview         calls, last call (`call_at`), average call sentiment (`value`)
--   topic            Gong's topics (STG_GONG_CALL_TOPICS), top 5 by minutes (`value`), with calls
--   risk             per category: mentions (`value`), calls, the latest call with one, and in
--                    `detail` where they came from: the signals' METHOD (when several, the first
--                    and last by name, comma separated): 'e5-logreg-v1' / 'cortex-ai-classify'
--                    (STG_GONG_CALLS.RISK_INDICATORS), 'gong-trackers' (calls not yet classified),
--                    'segment-sentiment' (objections); from view STG_TRANSFORMED.CALL_RISK_SIGNALS
--                    (sql 150)
--   next_step        Gong's action items (NEXT_STEPS, sql 110) of the latest 3 calls with any: one
--                    row per call, the JSON list in `detail`, how many in `value`
--   sentiment_month  average call SENTIMENT_SCORE per month (`period`), calls
--   sentiment_week   the same per (ISO, Monday) week
--   (no account, * or empty = every account)
--   SET VARIABLE account = 'Acme'; SET VARIABLE days = 365; SET VARIABLE as_of = TIMESTAMP '2026-01-12';
WITH params AS (
  SELECT LOWER(CAST(getvariable('account') AS VARCHAR))                        AS account,
         COALESCE(CAST(getvariable('as_of') AS TIMESTAMP),
                  CAST(current_timestamp AS TIMESTAMP))                         AS as_of,
         COALESCE(CAST(getvariable('days') AS INTEGER), 180)                    AS days
), calls AS (
  SELECT c.*
  FROM STG_TRANSFORMED.STG_GONG_CALLS c, params p
  WHERE c.ACCOUNT_NAME IS NOT NULL
    AND (p.account IS NULL OR p.account IN ('', '*') OR LOWER(c.ACCOUNT_NAME) = p.account)
    AND c.CALL_DATETIME_UTC < p.as_of
    AND c.CALL_DATETIME_UTC >= p.as_of - to_days(p.days)
    AND c.IS_DELETED IS NOT TRUE AND c.IS_PRIVATE IS NOT TRUE  -- calls gone from Gong never count
), risk_calls AS (  -- the shared signals (sql 150): classifier, else trackers; objections
  SELECT c.ACCOUNT_NAME, r.CATEGORY AS category, r.CALL_ID, c.CALL_DATETIME_UTC,
         MIN(r.METHOD) AS first_method, MAX(r.METHOD) AS last_method, COUNT(*) AS mentions
  FROM STG_TRANSFORMED.CALL_RISK_SIGNALS r JOIN calls c ON c.CALL_ID = r.CALL_ID
  GROUP BY c.ACCOUNT_NAME, r.CATEGORY, r.CALL_ID, c.CALL_DATETIME_UTC
), topics AS (
  SELECT c.ACCOUNT_NAME, t.TOPIC_NAME, SUM(t.DURATION_SECONDS) AS seconds,
         COUNT(DISTINCT c.CALL_ID) AS calls, MAX(c.CALL_DATETIME_UTC) AS last_at
  FROM calls c JOIN STG_TRANSFORMED.STG_GONG_CALL_TOPICS t ON t.CALL_ID = c.CALL_ID
  GROUP BY c.ACCOUNT_NAME, t.TOPIC_NAME
), items AS (
  SELECT 1 AS section_order, 'overview' AS section, ACCOUNT_NAME, CAST(NULL AS VARCHAR) AS item,
         CAST(NULL AS DATE) AS period, ROUND(AVG(SENTIMENT_SCORE), 3) AS value,
         COUNT(*) AS calls, CAST(NULL AS VARCHAR) AS call_id, MAX(CALL_DATETIME_UTC) AS call_at,
         CAST(NULL AS VARCHAR) AS detail, 1 AS n
  FROM calls GROUP BY ACCOUNT_NAME
  UNION ALL
  SELECT 2, 'topic', ACCOUNT_NAME, TOPIC_NAME, NULL, ROUND(seconds / 60.0, 1), calls, NULL, last_at,
         NULL, ROW_NUMBER() OVER (PARTITION BY ACCOUNT_NAME ORDER BY seconds DESC, TOPIC_NAME)
  FROM topics
  UNION ALL
  SELECT 3, 'risk', ACCOUNT_NAME, category, NULL, SUM(mentions), COUNT(*),
         MAX(CASE WHEN latest = 1 THEN CALL_ID END), MAX(CALL_DATETIME_UTC),
         MIN(first_method) || CASE WHEN MAX(last_method) = MIN(first_method) THEN ''
                                   ELSE ',' || MAX(last_method) END,
         ROW_NUMBER() OVER (PARTITION BY ACCOUNT_NAME ORDER BY SUM(mentions) DESC, category)
  FROM (SELECT r.*, ROW_NUMBER() OVER (PARTITION BY ACCOUNT_NAME, category
                                       ORDER BY CALL_DATETIME_UTC DESC, CALL_ID DESC) AS latest
        FROM risk_calls r) rc
  GROUP BY ACCOUNT_NAME, category
  UNION ALL
  SELECT 4, 'next_step', ACCOUNT_NAME, CALL_TITLE, NULL, json_array_length(NEXT_STEPS), 1, CALL_ID,
         CALL_DATETIME_UTC, CAST(NEXT_STEPS AS VARCHAR),
         ROW_NUMBER() OVER (PARTITION BY ACCOUNT_NAME ORDER BY CALL_DATETIME_UTC DESC, CALL_ID DESC)
  FROM calls
  WHERE NEXT_STEPS IS NOT NULL AND json_array_length(NEXT_STEPS) > 0
  UNION ALL
  SELECT 5, 'sentiment_month', ACCOUNT_NAME, NULL, CAST(DATE_TRUNC('month', CALL_DATETIME_UTC) AS DATE),
         ROUND(AVG(SENTIMENT_SCORE), 3), COUNT(*), NULL, MAX(CALL_DATETIME_UTC), NULL, 1
  FROM calls GROUP BY ACCOUNT_NAME, CAST(DATE_TRUNC('month', CALL_DATETIME_UTC) AS DATE)
  UNION ALL
  SELECT 6, 'sentiment_week', ACCOUNT_NAME, NULL, CAST(DATE_TRUNC('week', CALL_DATETIME_UTC) AS DATE),
         ROUND(AVG(SENTIMENT_SCORE), 3), COUNT(*), NULL, MAX(CALL_DATETIME_UTC), NULL, 1
  FROM calls GROUP BY ACCOUNT_NAME, CAST(DATE_TRUNC('week', CALL_DATETIME_UTC) AS DATE)
)
SELECT ACCOUNT_NAME AS account, section, item, period, value, calls, call_id, call_at, detail
FROM items
WHERE (section = 'topic' AND n <= 5) OR (section = 'next_step' AND n <= 3)
   OR section NOT IN ('topic', 'next_step')
ORDER BY account, section_order, period, n;
