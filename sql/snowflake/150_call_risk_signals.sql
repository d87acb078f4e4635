-- Deal-risk signals per call (migration 150), the one definition the account reports
-- (reports/account_insights, stalled_deals, pre_meeting_brief) read. One row per signal: a call,
-- a risk category and its evidence, with where it came from:
--   SOURCE 'risk_indicators'  an indicator of STG_GONG_CALLS.RISK_INDICATORS (sql 130), METHOD its
--                             RISK_METHOD ('e5-logreg-v1', 'cortex-ai-classify'), SCORE its
--                             score (NULL from Cortex), MEMORY_ID the chunk it cites. A call whose
--                             RISK_INDICATORS is [] was classified and voiced no risk: no rows.
--   SOURCE 'trackers'         only for a call never classified (RISK_INDICATORS NULL: missing is
--                             not empty): Gong's tracker occurrences on the customer's side
--                             (External turns), Competitor* -> competitor, Pric* -> pricing,
--                             Security* / Legal* -> security_legal; METHOD 'gong-trackers'.
--   SOURCE 'sentiment'        every call: a customer turn scoring <= -0.3, CATEGORY 'objection',
--                             METHOD 'segment-sentiment', SCORE the turn's SEGMENT_SENTIMENT.
-- SIGNAL_MS is the chunk's / occurrence's / turn's start; TURN_START_MS, SPEAKER_NAME and
-- TURN_TEXT are the transcript turn of that speaker containing it (NULL when STG has no such
-- turn). Calls deleted or made private in Gong have no rows. COPY GRANTS keeps the grants on the
-- view when the schema is applied again.
CREATE OR REPLACE VIEW STG_TRANSFORMED.CALL_RISK_SIGNALS COPY GRANTS AS
WITH live AS (
  SELECT CALL_ID, RISK_INDICATORS, RISK_METHOD
  FROM STG_TRANSFORMED.STG_GONG_CALLS
  WHERE COALESCE(IS_DELETED, FALSE) = FALSE AND COALESCE(IS_PRIVATE, FALSE) = FALSE
), signals AS (
  SELECT c.CALL_ID, f.value:category::STRING AS CATEGORY,
         'risk_indicators' AS SOURCE, COALESCE(c.RISK_METHOD, 'unknown') AS METHOD,
         f.value:score::FLOAT AS SCORE, f.value:memory_id::STRING AS MEMORY_ID,
         CAST(NULL AS VARCHAR) AS TRACKER_NAME, f.value:speaker_id::STRING AS SPEAKER_ID,
         f.value:start_ms::NUMBER AS SIGNAL_MS
  FROM live c, LATERAL FLATTEN(input => c.RISK_INDICATORS) f
  UNION ALL
  SELECT o.CALL_ID,
         CASE WHEN o.TRACKER_NAME ILIKE '%competitor%' THEN 'competitor'
              WHEN o.TRACKER_NAME ILIKE '%pric%' THEN 'pricing'
              WHEN o.TRACKER_NAME ILIKE '%security%' OR o.TRACKER_NAME ILIKE '%legal%'
                THEN 'security_legal' END,
         'trackers', 'gong-trackers', CAST(NULL AS FLOAT), CAST(NULL AS VARCHAR), o.TRACKER_NAME,
         o.SPEAKER_ID, o.START_MS
  FROM STG_TRANSFORMED.STG_GONG_CALL_TRACKER_OCCURRENCES o
  JOIN live c ON c.CALL_ID = o.CALL_ID
  WHERE c.RISK_INDICATORS IS NULL
  UNION ALL
  SELECT t.CALL_ID, 'objection', 'sentiment', 'segment-sentiment', t.SEGMENT_SENTIMENT,
         CAST(NULL AS VARCHAR), CAST(NULL AS VARCHAR), t.SPEAKER_ID, t.START_MS
  FROM STG_TRANSFORMED.STG_GONG_CALL_TRANSCRIPTS t
  JOIN live c ON c.CALL_ID = t.CALL_ID
  WHERE t.AFFILIATION = 'External' AND t.SEGMENT_SENTIMENT <= -0.3
)
SELECT s.CALL_ID, s.CATEGORY, s.SOURCE, s.METHOD, s.SCORE, s.MEMORY_ID, s.TRACKER_NAME,
       s.SPEAKER_ID, s.SIGNAL_MS, t.START_MS AS TURN_START_MS, t.SPEAKER_NAME,
       t.AFFILIATION, t.TRANSCRIPT_TEXT AS TURN_TEXT
FROM signals s
LEFT JOIN STG_TRANSFORMED.STG_GONG_CALL_TRANSCRIPTS t
  ON t.CALL_ID = s.CALL_ID AND t.SPEAKER_ID = s.SPEAKER_ID
 AND s.SIGNAL_MS >= t.START_MS AND s.SIGNAL_MS < t.END_MS
WHERE s.CATEGORY IS NOT NULL
  AND (s.SOURCE <> 'trackers' OR t.AFFILIATION = 'External');
