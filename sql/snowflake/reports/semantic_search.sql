-- Semantic search in SQL: the question is embedded by Cortex with the model that embedded
-- AI_MEMORY ('query: ' prefix for e5), compared only with rows of that model.
-- (The CLI `search` does the same with a locally embedded query vector bound as text.)
SET question = 'customer worried about security review and SOC 2';
SELECT m.SOURCE_ID AS call_id,
       c.CALL_TITLE,
       c.ACCOUNT_NAME,
       m.SPEAKER_NAME,
       m.AFFILIATION,
       m.START_MS,
       VECTOR_COSINE_SIMILARITY(m.EMBEDDING, AI_EMBED('e5-base-v2', 'query: ' || $question)) AS score,
       m.CONTENT
FROM AI_MEMORY.MEMORY_RECORDS m
LEFT JOIN STG_TRANSFORMED.STG_GONG_CALLS c ON c.CALL_ID = m.SOURCE_ID
WHERE m.EMBEDDING_MODEL = 'e5-base-v2' AND m.EMBEDDING_DIM = 768
  AND c.IS_DELETED IS NOT TRUE  -- calls private or deleted in Gong are never returned
ORDER BY score DESC
LIMIT 10;
