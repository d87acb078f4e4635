-- Sentiment by account: calls, average call sentiment, share of negative external chunks.
SELECT c.ACCOUNT_NAME                                   AS account,
       COUNT(DISTINCT c.CALL_ID)                        AS calls,
       ROUND(AVG(c.SENTIMENT_SCORE), 3)                 AS avg_call_sentiment,
       ROUND(AVG(m.SENTIMENT_SCORE) FILTER (WHERE m.AFFILIATION = 'External'), 3)
                                                        AS avg_external_chunk_sentiment,
       COUNT(m.MEMORY_ID) FILTER (WHERE m.AFFILIATION = 'External' AND m.SENTIMENT_SCORE < -0.3)
                                                        AS negative_external_chunks
FROM STG_TRANSFORMED.STG_GONG_CALLS c
LEFT JOIN AI_MEMORY.MEMORY_RECORDS m ON m.SOURCE_ID = c.CALL_ID
WHERE c.ACCOUNT_NAME IS NOT NULL AND c.IS_DELETED IS NOT TRUE  -- calls gone from Gong never count
GROUP BY c.ACCOUNT_NAME
ORDER BY avg_call_sentiment ASC NULLS LAST
LIMIT 10;
