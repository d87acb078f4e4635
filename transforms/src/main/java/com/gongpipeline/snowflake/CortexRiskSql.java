package com.gongpipeline.snowflake;

import com.gongpipeline.enrich.RiskClassifier;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The Snowflake path of the risk columns of {@code STG_GONG_CALLS} (sql 130): one MERGE that
 * classifies the customer side's chunks of English calls in {@code AI_MEMORY.MEMORY_RECORDS} with
 * {@code AI_CLASSIFY(content, categories, {'output_mode': 'multi'})} (method {@value #METHOD}) and
 * writes the same columns as the embedded path ({@code com.gongpipeline.enrich.CallRisks}):
 * indicators citing memory id, speaker and ms (Cortex returns labels without a score, so {@code
 * score} is null), the input hash, and per category the aspect sentiment: {@code
 * AI_SENTIMENT(content, categories)} on each chunk that voices a risk (one call per such chunk,
 * not per label), its label for each category the chunk was classified in mapped to a number
 * (positive 1, negative -1, neutral and mixed 0, unknown left out) and averaged per call, in
 * [-1, 1] like the embedded path's mean chunk sentiment.
 *
 * <p>Only calls whose customer chunks changed since they were classified by this method ({@code
 * RISK_INPUT_HASH}, the SHA-256 of their content hashes in chunk order, or {@code RISK_METHOD})
 * are sent to {@code AI_CLASSIFY}, at most {@code maxCalls} per statement: a re-run costs nothing
 * and each statement's cost is bounded. A failing statement changes nothing (the MERGE is atomic),
 * so stored values are never replaced by NULL.
 */
public final class CortexRiskSql {
  /** Recorded in {@code RISK_METHOD}. */
  public static final String METHOD = "cortex-ai-classify";

  /** What each label means, given to AI_CLASSIFY with the label. */
  static final Map<String, String> DESCRIPTIONS = descriptions();

  private CortexRiskSql() {}

  private static Map<String, String> descriptions() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("pricing", "the customer objects to price, budget, discount or payment terms");
    d.put("competitor", "the customer names or weighs a competing vendor or offer");
    d.put("security_legal", "security review, compliance, privacy or contract/legal terms block or delay");
    d.put("timeline", "deadlines, delays, slipping dates or implementation time put the deal at risk");
    d.put("stakeholder", "approvals, decision makers, champions or committees are missing or unconvinced");
    d.put("churn_risk", "an existing customer is unhappy and may cancel, not renew or reduce usage");
    d.put("product_gap", "a feature, integration or capability the customer needs is missing");
    return Map.copyOf(d);
  }

  /** The MERGE; binds one parameter, the most calls it classifies. */
  public static String sql() {
    StringJoiner categories = new StringJoiner(",\n       ", "[", "]");
    StringJoiner aspects = new StringJoiner(", ", "[", "]");
    for (String c : RiskClassifier.CATEGORIES) {
      categories.add("{'label': '" + c + "', 'description': '" + DESCRIPTIONS.get(c) + "'}");
      aspects.add("'" + c + "'");
    }
    return String.join("\n",
        "MERGE INTO STG_TRANSFORMED.STG_GONG_CALLS AS t",
        "USING (",
        "  WITH customer AS (",
        "    SELECT m.SOURCE_ID AS CALL_ID, m.MEMORY_ID, m.CHUNK_INDEX, m.SPEAKER_ID, m.START_MS,",
        "           m.CONTENT, m.CONTENT_HASH, m.SENTIMENT_SCORE",
        "    FROM AI_MEMORY.MEMORY_RECORDS m",
        "    JOIN STG_TRANSFORMED.STG_GONG_CALLS c ON c.CALL_ID = m.SOURCE_ID",
        "    WHERE m.SOURCE_TYPE = 'gong' AND m.AFFILIATION = 'External' AND c.CALL_LANGUAGE = 'eng'",
        "  ), inputs AS (",
        "    SELECT CALL_ID,",
        "           SHA2(LISTAGG(CONTENT_HASH, ',') WITHIN GROUP (ORDER BY CHUNK_INDEX), 256) AS INPUT_HASH",
        "    FROM customer GROUP BY CALL_ID",
        "  ), todo AS (",
        "    SELECT i.CALL_ID, i.INPUT_HASH",
        "    FROM inputs i JOIN STG_TRANSFORMED.STG_GONG_CALLS c ON c.CALL_ID = i.CALL_ID",
        "    WHERE c.RISK_INPUT_HASH IS DISTINCT FROM i.INPUT_HASH",
        "       OR c.RISK_METHOD IS DISTINCT FROM '" + METHOD + "'",
        "    ORDER BY i.CALL_ID",
        "    LIMIT ?",
        "  ), classified AS (",
        "    SELECT u.CALL_ID, u.MEMORY_ID, u.CHUNK_INDEX, u.SPEAKER_ID, u.START_MS, u.SENTIMENT_SCORE,",
        "           AI_CLASSIFY(u.CONTENT,",
        "             " + categories + ",",
        "             {'task_description': 'Which deal risks does this customer statement from a B2B sales call voice?',",
        "              'output_mode': 'multi'}) AS RESULT",
        "    FROM customer u JOIN todo d ON d.CALL_ID = u.CALL_ID",
        "  ), labels AS (",
        "    SELECT c.CALL_ID, c.MEMORY_ID, c.CHUNK_INDEX, c.SPEAKER_ID, c.START_MS, c.SENTIMENT_SCORE,",
        "           f.value::STRING AS CATEGORY",
        "    FROM classified c, LATERAL FLATTEN(input => c.RESULT:labels) f",
        "  ), indicators AS (",
        "    SELECT CALL_ID,",
        "           ARRAY_AGG(OBJECT_CONSTRUCT_KEEP_NULL('category', CATEGORY, 'score', NULL,",
        "             'memory_id', MEMORY_ID, 'speaker_id', SPEAKER_ID, 'start_ms', START_MS))",
        "             WITHIN GROUP (ORDER BY CHUNK_INDEX, CATEGORY) AS RISK_INDICATORS",
        "    FROM labels GROUP BY CALL_ID",
        "  ), risky AS (",
        "    SELECT DISTINCT u.MEMORY_ID, u.CONTENT",
        "    FROM customer u JOIN labels l ON l.MEMORY_ID = u.MEMORY_ID",
        "  ), aspect_scored AS (",
        "    SELECT MEMORY_ID, AI_SENTIMENT(CONTENT, " + aspects + ") AS ASPECTS",
        "    FROM risky",
        "  ), aspect_labels AS (",
        "    SELECT s.MEMORY_ID, a.value:name::STRING AS CATEGORY, a.value:sentiment::STRING AS LABEL",
        "    FROM aspect_scored s, LATERAL FLATTEN(input => s.ASPECTS:categories) a",
        "  ), aspect_rows AS (",
        "    SELECT l.CALL_ID, l.CATEGORY,",
        "           ROUND(AVG(CASE x.LABEL WHEN 'positive' THEN 1 WHEN 'negative' THEN -1",
        "             WHEN 'neutral' THEN 0 WHEN 'mixed' THEN 0 END), 4) AS MEAN_SENTIMENT",
        "    FROM labels l",
        "    JOIN aspect_labels x ON x.MEMORY_ID = l.MEMORY_ID AND x.CATEGORY = l.CATEGORY",
        "    GROUP BY l.CALL_ID, l.CATEGORY",
        "  ), aspects AS (",
        "    SELECT CALL_ID, OBJECT_AGG(CATEGORY, MEAN_SENTIMENT::VARIANT) AS ASPECT_SENTIMENT",
        "    FROM aspect_rows WHERE MEAN_SENTIMENT IS NOT NULL GROUP BY CALL_ID",
        "  )",
        "  SELECT d.CALL_ID, d.INPUT_HASH,",
        "         COALESCE(i.RISK_INDICATORS, ARRAY_CONSTRUCT()) AS RISK_INDICATORS,",
        "         COALESCE(a.ASPECT_SENTIMENT, OBJECT_CONSTRUCT()) AS ASPECT_SENTIMENT",
        "  FROM todo d",
        "  LEFT JOIN indicators i ON i.CALL_ID = d.CALL_ID",
        "  LEFT JOIN aspects a ON a.CALL_ID = d.CALL_ID",
        ") AS s",
        "ON t.CALL_ID = s.CALL_ID",
        "WHEN MATCHED THEN UPDATE SET RISK_INDICATORS = s.RISK_INDICATORS, RISK_METHOD = '"
            + METHOD + "',",
        "  RISK_INPUT_HASH = s.INPUT_HASH, ASPECT_SENTIMENT = s.ASPECT_SENTIMENT");
  }

  /** Runs {@link #sql()} once; returns how many calls it classified (0: nothing left to do). */
  public static int classify(Connection connection, int maxCalls) throws SQLException {
    return classify(connection, maxCalls, 0);
  }

  /** As {@link #classify(Connection, int)}, the statement cancelled after {@code timeoutSeconds}
   * (0: no limit). */
  public static int classify(Connection connection, int maxCalls, int timeoutSeconds)
      throws SQLException {
    if (maxCalls < 1) {
      throw new IllegalArgumentException("maxCalls must be at least 1: " + maxCalls);
    }
    try (PreparedStatement ps = connection.prepareStatement(sql())) {
      ps.setInt(1, maxCalls);
      if (timeoutSeconds > 0) {
        ps.setQueryTimeout(timeoutSeconds);
      }
      return ps.executeUpdate();
    }
  }
}
