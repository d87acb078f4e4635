-- Coaching: where customers raise objections and pricing, per account and rep, with an example.
-- Matches the customer's own words (external turns) and Gong's Pricing topic.
WITH mentions AS (
  SELECT t.CALL_ID, t.TRANSCRIPT_ID, t.START_MS, t.TRANSCRIPT_TEXT, t.SEGMENT_SENTIMENT,
         REGEXP_LIKE(t.TRANSCRIPT_TEXT,
           '.*(price|pricing|cost|budget|expensive|discount|quote|license fee).*', 'is') AS is_pricing,
         REGEXP_LIKE(t.TRANSCRIPT_TEXT,
           '.*(concern|worried|not sure|too (much|expensive|slow)|competitor|alternative|security review|legal).*', 'is') AS is_objection
  FROM STG_TRANSFORMED.STG_GONG_CALL_TRANSCRIPTS t
  WHERE t.AFFILIATION = 'External'
)
SELECT c.ACCOUNT_NAME,
       c.PRIMARY_USER_ID                                         AS rep_user_id,
       COUNT(DISTINCT c.CALL_ID)                                 AS calls,
       COUNT_IF(m.is_pricing)                                    AS pricing_mentions,
       COUNT_IF(m.is_objection)                                  AS objection_mentions,
       COUNT(DISTINCT IFF(tp.TOPIC_NAME = 'Pricing', c.CALL_ID, NULL)) AS calls_with_pricing_topic,
       ROUND(AVG(IFF(m.is_objection, m.SEGMENT_SENTIMENT, NULL)), 2) AS objection_sentiment,
       MAX_BY(m.TRANSCRIPT_TEXT, IFF(m.is_objection, -m.SEGMENT_SENTIMENT, NULL)) AS sharpest_objection
FROM STG_TRANSFORMED.STG_GONG_CALLS c
JOIN mentions m ON m.CALL_ID = c.CALL_ID
LEFT JOIN STG_TRANSFORMED.STG_GONG_CALL_TOPICS tp ON tp.CALL_ID = c.CALL_ID AND tp.TOPIC_NAME = 'Pricing'
WHERE m.is_pricing OR m.is_objection
GROUP BY c.ACCOUNT_NAME, c.PRIMARY_USER_ID
ORDER BY objection_mentions DESC, pricing_mentions DESC
LIMIT 50;
