-- Deal risks per call (migration 130). RISK_INDICATORS: the customer side's chunks classified
-- into the fixed taxonomy pricing, competitor, security_legal, timeline, stakeholder, churn_risk,
-- product_gap, as a JSON array of {category, score, memory_id, speaker_id, start_ms} in chunk
-- order ([] when no chunk voices a risk; NULL when never classified). RISK_METHOD: what produced
-- them ('e5-logreg-v1' in the pipeline, 'cortex-ai-classify' from the Snowflake SQL).
-- RISK_INPUT_HASH: SHA-256 of the classified chunks' CONTENT_HASHes in chunk order (comma
-- separated), so a call whose customer chunks are unchanged is never classified again.
-- ASPECT_SENTIMENT: per category present, the mean SENTIMENT_SCORE of the chunks classified into
-- it, as a JSON object {category: score}. A failed classification writes nothing: the pipeline
-- leaves these columns NULL in its row, and a MERGE keeps the stored values then.
ALTER TABLE STG_TRANSFORMED.STG_GONG_CALLS ADD COLUMN IF NOT EXISTS RISK_INDICATORS JSON;
ALTER TABLE STG_TRANSFORMED.STG_GONG_CALLS ADD COLUMN IF NOT EXISTS RISK_METHOD VARCHAR;
ALTER TABLE STG_TRANSFORMED.STG_GONG_CALLS ADD COLUMN IF NOT EXISTS RISK_INPUT_HASH VARCHAR;
ALTER TABLE STG_TRANSFORMED.STG_GONG_CALLS ADD COLUMN IF NOT EXISTS ASPECT_SENTIMENT JSON;
