MERGE INTO STG_TRANSFORMED.STG_GONG_CALLS AS t
USING (
  WITH customer AS (
    SELECT m.SOURCE_ID AS CALL_ID, m.MEMORY_ID, m.CHUNK_INDEX, m.SPEAKER_ID, m.START_MS,
           m.CONTENT, m.CONTENT_HASH, m.SENTIMENT_SCORE
    FROM AI_MEMORY.MEMORY_RECORDS m
    JOIN STG_TRANSFORMED.STG_GONG_CALLS c ON c.CALL_ID = m.SOURCE_ID
    WHERE m.SOURCE_TYPE = 'gong' AND m.AFFILIATION = 'External' AND c.CALL_LANGUAGE = 'eng'
  ), inputs AS (
    SELECT CALL_ID,
           SHA2(LISTAGG(CONTENT_HASH, ',') WITHIN GROUP (ORDER BY CHUNK_INDEX), 256) AS INPUT_HASH
    FROM customer GROUP BY CALL_ID
  ), todo AS (
    SELECT i.CALL_ID, i.INPUT_HASH
    FROM inputs i JOIN STG_TRANSFORMED.STG_GONG_CALLS c ON c.CALL_ID = i.CALL_ID
    WHERE c.RISK_INPUT_HASH IS DISTINCT FROM i.INPUT_HASH
       OR c.RISK_METHOD IS DISTINCT FROM 'cortex-ai-classify'
    ORDER BY i.CALL_ID
    LIMIT ?
  ), classified AS (
    SELECT u.CALL_ID, u.MEMORY_ID, u.CHUNK_INDEX, u.SPEAKER_ID, u.START_MS, u.SENTIMENT_SCORE,
           AI_CLASSIFY(u.CONTENT,
             [{'label': 'pricing', 'description': 'the customer objects to price, budget, discount or payment terms'},
       {'label': 'competitor', 'description': 'the customer names or weighs a competing vendor or offer'},
       {'label': 'security_legal', 'description': 'security review, compliance, privacy or contract/legal terms block or delay'},
       {'label': 'timeline', 'description': 'deadlines, delays, slipping dates or implementation time put the deal at risk'},
       {'label': 'stakeholder', 'description': 'approvals, decision makers, champions or committees are missing or unconvinced'},
       {'label': 'churn_risk', 'description': 'an existing customer is unhappy and may cancel, not renew or reduce usage'},
       {'label': 'product_gap', 'description': 'a feature, integration or capability the customer needs is missing'}],
             {'task_description': 'Which deal risks does this customer statement from a B2B sales call voice?',
              'output_mode': 'multi'}) AS RESULT
    FROM customer u JOIN todo d ON d.CALL_ID = u.CALL_ID
  ), labels AS (
    SELECT c.CALL_ID, c.MEMORY_ID, c.CHUNK_INDEX, c.SPEAKER_ID, c.START_MS, c.SENTIMENT_SCORE,
           f.value::STRING AS CATEGORY
    FROM classified c, LATERAL FLATTEN(input => c.RESULT:labels) f
  ), indicators AS (
    SELECT CALL_ID,
           ARRAY_AGG(OBJECT_CONSTRUCT_KEEP_NULL('category', CATEGORY, 'score', NULL,
             'memory_id', MEMORY_ID, 'speaker_id', SPEAKER_ID, 'start_ms', START_MS))
             WITHIN GROUP (ORDER BY CHUNK_INDEX, CATEGORY) AS RISK_INDICATORS
    FROM labels GROUP BY CALL_ID
  ), risky AS (
    SELECT DISTINCT u.MEMORY_ID, u.CONTENT
    FROM customer u JOIN labels l ON l.MEMORY_ID = u.MEMORY_ID
  ), aspect_scored AS (
    SELECT MEMORY_ID, AI_SENTIMENT(CONTENT, ['pricing', 'competitor', 'security_legal', 'timeline', 'stakeholder', 'churn_risk', 'product_gap']) AS ASPECTS
    FROM risky
  ), aspect_labels AS (
    SELECT s.MEMORY_ID, a.value:name::STRING AS CATEGORY, a.value:sentiment::STRING AS LABEL
    FROM aspect_scored s, LATERAL FLATTEN(input => s.ASPECTS:categories) a
  ), aspect_rows AS (
    SELECT l.CALL_ID, l.CATEGORY,
           ROUND(AVG(CASE x.LABEL WHEN 'positive' THEN 1 WHEN 'negative' THEN -1
             WHEN 'neutral' THEN 0 WHEN 'mixed' THEN 0 END), 4) AS MEAN_SENTIMENT
    FROM labels l
    JOIN aspect_labels x ON x.MEMORY_ID = l.MEMORY_ID AND x.CATEGORY = l.CATEGORY
    GROUP BY l.CALL_ID, l.CATEGORY
  ), aspects AS (
    SELECT CALL_ID, OBJECT_AGG(CATEGORY, MEAN_SENTIMENT::VARIANT) AS ASPECT_SENTIMENT
    FROM aspect_rows WHERE MEAN_SENTIMENT IS NOT NULL GROUP BY CALL_ID
  )
  SELECT d.CALL_ID, d.INPUT_HASH,
         COALESCE(i.RISK_INDICATORS, ARRAY_CONSTRUCT()) AS RISK_INDICATORS,
         COALESCE(a.ASPECT_SENTIMENT, OBJECT_CONSTRUCT()) AS ASPECT_SENTIMENT
  FROM todo d
  LEFT JOIN indicators i ON i.CALL_ID = d.CALL_ID
  LEFT JOIN aspects a ON a.CALL_ID = d.CALL_ID
) AS s
ON t.CALL_ID = s.CALL_ID
WHEN MATCHED THEN UPDATE SET RISK_INDICATORS = s.RISK_INDICATORS, RISK_METHOD = 'cortex-ai-classify',
  RISK_INPUT_HASH = s.INPUT_HASH, ASPECT_SENTIMENT = s.ASPECT_SENTIMENT
