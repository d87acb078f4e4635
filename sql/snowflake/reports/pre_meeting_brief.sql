-- Pre-meeting brief for one account ("brief me before my meeting with Olympus"): what the calls
-- of the last `days` days (default 90) before `as_of` (default now) say, one row per item, in
-- sections (the `brief` command prints them; no language model involved):
--   call       the latest 5 calls: title, date, summary (Gong’s brief), key points (JSON), call
--              sentiment in `value`
--   next_step  the action items (STG_GONG_CALLS.NEXT_STEPS, sql 110) of the latest 3 calls that
--              have any: one row per call, the list in `detail` (JSON text [{text, speaker_name,
--              start_ms, ...}]), how many in `value`
--   risk       risks and objections said by the customer side, up to 3 citations per category
--              (newest first): `item` is the category, `value` its mentions in the window,
--              `speaker` @ `at` (mm:ss) and `text` the turn that says it
--   person     the people met: name, title (`detail`), affiliation (`item`), calls (`value`),
--              last met (`call_at`); never an email or phone number
--   sentiment  the trend: average call SENTIMENT_SCORE per week (`period`), calls in `detail`
-- Risks are the view STG_TRANSFORMED.CALL_RISK_SIGNALS (sql 150): a call’s classified
-- RISK_INDICATORS (sql 130), Gong’s tracker occurrences on the customer’s side for a call not yet
-- classified, and customer turns scoring <= -0.3 (objection); a risk row’s `detail` says which
-- (the signal’s METHOD: 'e5-logreg-v1', 'cortex-ai-classify', 'gong-trackers',
-- 'segment-sentiment'). A citation is the customer turn holding the signal (the chunk’s start when
-- STG has no such turn). A call’s text is
-- CALL_SUMMARY (sql 140: Gong’s brief, else the extractive or Cortex summary), else CALL_BRIEF.
-- Parameters (the account is matched case-insensitively; `brief` sets its own values):
SET account = 'Acme';
SET days = 90;
SET as_of = CURRENT_TIMESTAMP()::TIMESTAMP_NTZ;
WITH params AS (
  SELECT LOWER($account) AS account, $as_of AS as_of, $days AS days
), calls AS (
  SELECT c.*
  FROM STG_TRANSFORMED.STG_GONG_CALLS c, params p
  WHERE LOWER(c.ACCOUNT_NAME) = p.account
    AND c.CALL_DATETIME_UTC < p.as_of
    AND c.CALL_DATETIME_UTC >= DATEADD(day, -p.days, p.as_of)
    AND c.IS_DELETED IS NOT TRUE AND c.IS_PRIVATE IS NOT TRUE  -- calls gone from Gong never count
), risks AS (  -- one citation per call, category, turn and method
  SELECT r.CALL_ID, r.CATEGORY AS category, COALESCE(r.TURN_START_MS, r.SIGNAL_MS) AS START_MS,
         r.SPEAKER_NAME, r.TURN_TEXT AS TRANSCRIPT_TEXT, r.METHOD, COUNT(*) AS mentions
  FROM STG_TRANSFORMED.CALL_RISK_SIGNALS r
  JOIN calls c ON c.CALL_ID = r.CALL_ID
  GROUP BY r.CALL_ID, r.CATEGORY, COALESCE(r.TURN_START_MS, r.SIGNAL_MS), r.SPEAKER_NAME,
           r.TURN_TEXT, r.METHOD
), risk_ranked AS (
  SELECT r.*, c.CALL_TITLE, c.CALL_DATETIME_UTC,
         SUM(r.mentions) OVER (PARTITION BY r.category)                       AS category_mentions,
         ROW_NUMBER() OVER (PARTITION BY r.category
                            ORDER BY c.CALL_DATETIME_UTC DESC, r.START_MS, r.CALL_ID) AS n
  FROM risks r JOIN calls c ON c.CALL_ID = r.CALL_ID
), items AS (
  SELECT 1 AS section_order, 'call' AS section, CALL_ID, CALL_TITLE, CALL_DATETIME_UTC AS call_at,
         CAST(NULL AS VARCHAR) AS speaker, CAST(NULL AS BIGINT) AS start_ms,
         CAST(NULL AS VARCHAR) AS item, ROUND(SENTIMENT_SCORE, 3) AS value,
         COALESCE(CALL_SUMMARY, CALL_BRIEF) AS text, CAST(TO_JSON(KEY_POINTS) AS VARCHAR) AS detail, CAST(NULL AS DATE) AS period,
         ROW_NUMBER() OVER (ORDER BY CALL_DATETIME_UTC DESC, CALL_ID) AS n
  FROM calls
  UNION ALL
  SELECT 2, 'next_step', CALL_ID, CALL_TITLE, CALL_DATETIME_UTC, NULL, NULL, NULL,
         ARRAY_SIZE(NEXT_STEPS), NULL, CAST(TO_JSON(NEXT_STEPS) AS VARCHAR), NULL,
         ROW_NUMBER() OVER (ORDER BY CALL_DATETIME_UTC DESC, CALL_ID)
  FROM calls
  WHERE NEXT_STEPS IS NOT NULL AND ARRAY_SIZE(NEXT_STEPS) > 0
  UNION ALL
  SELECT 3, 'risk', CALL_ID, CALL_TITLE, CALL_DATETIME_UTC, COALESCE(SPEAKER_NAME, 'Unknown speaker'),
         START_MS, category, category_mentions,
         LEFT(TRANSCRIPT_TEXT, 240) || CASE WHEN LENGTH(TRANSCRIPT_TEXT) > 240 THEN '…' ELSE '' END,
         METHOD, NULL, n
  FROM risk_ranked
  UNION ALL
  SELECT 4, 'person', NULL, NULL, MAX(c.CALL_DATETIME_UTC), p.PARTICIPANT_NAME, NULL,
         COALESCE(p.AFFILIATION, 'Unknown'), COUNT(DISTINCT c.CALL_ID), NULL, MAX(p.TITLE), NULL,
         ROW_NUMBER() OVER (ORDER BY COALESCE(p.AFFILIATION, 'Unknown'), COUNT(DISTINCT c.CALL_ID) DESC,
                                     p.PARTICIPANT_NAME)
  FROM calls c
  JOIN STG_TRANSFORMED.STG_GONG_CALL_PARTICIPANTS p ON p.CALL_ID = c.CALL_ID
  WHERE p.PARTICIPANT_NAME IS NOT NULL
  GROUP BY p.PARTICIPANT_NAME, COALESCE(p.AFFILIATION, 'Unknown')
  UNION ALL
  SELECT 5, 'sentiment', NULL, NULL, MAX(CALL_DATETIME_UTC), NULL, NULL, NULL,
         ROUND(AVG(SENTIMENT_SCORE), 3), NULL, CAST(COUNT(*) AS VARCHAR),
         CAST(DATE_TRUNC('week', CALL_DATETIME_UTC) AS DATE),
         ROW_NUMBER() OVER (ORDER BY CAST(DATE_TRUNC('week', CALL_DATETIME_UTC) AS DATE))
  FROM calls
  GROUP BY CAST(DATE_TRUNC('week', CALL_DATETIME_UTC) AS DATE)
)
SELECT i.section, c0.ACCOUNT_NAME AS account, i.CALL_ID AS call_id, i.CALL_TITLE AS call_title,
       i.call_at, i.speaker,
       CASE WHEN i.start_ms IS NULL THEN NULL ELSE
         CASE WHEN i.start_ms < 600000 THEN '0' ELSE '' END
         || CAST(CAST(FLOOR(i.start_ms / 60000) AS BIGINT) AS VARCHAR) || ':'
         || CASE WHEN MOD(CAST(FLOOR(i.start_ms / 1000) AS BIGINT), 60) < 10 THEN '0' ELSE '' END
         || CAST(MOD(CAST(FLOOR(i.start_ms / 1000) AS BIGINT), 60) AS VARCHAR) END AS at,
       i.start_ms, i.item, i.value, i.text, i.detail, i.period
FROM items i
CROSS JOIN (SELECT MIN(ACCOUNT_NAME) AS ACCOUNT_NAME FROM calls) c0
WHERE (i.section = 'call' AND i.n <= 5) OR (i.section = 'next_step' AND i.n <= 3)
   OR (i.section = 'risk' AND i.n <= 3) OR i.section IN ('person', 'sentiment')
ORDER BY i.section_order, CASE WHEN i.section = 'risk' THEN i.item END NULLS FIRST, i.n;
