package com.gongpipeline.snowflake.sim;

import com.gongpipeline.enrich.SentimentScorer;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.duckdb.DuckDBFunctions;

/**
 * The Snowflake functions DuckDB lacks, registered on the stand-in's DuckDB database as Java scalar
 * functions and SQL macros. <b>Stand-ins, not Cortex:</b> {@code SNOWFLAKE.CORTEX.SENTIMENT} is
 * scored by the configured {@link SentimentScorer} (our offline VADER by default) and {@code
 * AI_EMBED} by a {@link StandInEmbedder} (a hashing bag-of-words by default), so the values have
 * Cortex's shape and range, not its meaning.
 *
 * <ul>
 *   <li>{@code sf_cortex_sentiment(text) -> DOUBLE} in [-1, 1]; NULL in, NULL out.
 *   <li>{@code sf_ai_embed_768(model, text) -> FLOAT[768]} and {@code sf_ai_embed_1024}, the
 *       Snowflake {@code VECTOR(FLOAT, n)}; {@code sf_ai_embed(model, text) -> FLOAT[]} when the
 *       model is not a literal; all via {@code sf_ai_embed_json(model, text) -> VARCHAR}.
 *   <li>{@code sf_ai_classify(text, categories, options) -> JSON {"labels": [...]}} for {@code
 *       AI_CLASSIFY} with categories given as {@code {'label': ..., 'description': ...}} objects:
 *       <b>a keyword rule, not a model</b> ({@link #CLASSIFY_KEYWORDS}: a label is returned when the
 *       lower-cased text matches its pattern; labels it has no pattern for never are; always
 *       multi-label). It exists so that the Snowflake path's generated SQL ({@code CortexRiskSql})
 *       runs end to end over JDBC; its labels say nothing about AI_CLASSIFY's quality.
 *   <li>{@code sf_ai_sentiment(text, categories) -> JSON {"categories": [{"name", "sentiment"}]}}
 *       for {@code AI_SENTIMENT}: {@code overall} and every category get one label, the offline
 *       score ({@code sf_cortex_sentiment}) above 0.25 positive, below -0.25 negative, else
 *       neutral: <b>not aspect-based</b>, only Cortex's answer shape.
 *   <li>{@code sf_ai_summarize_agg(text)} for the aggregate {@code AI_SUMMARIZE_AGG}: <b>the first
 *       600 characters of the inputs joined by spaces</b>, not a summary; same purpose.
 * </ul>
 *
 * <p>These stand-ins live only in the stand-in's database: the production SQL calls the Cortex
 * functions by their Snowflake names, and only {@link SnowflakeToDuckDb} renames them here.
 *
 * <p>The non-Cortex Snowflake functions and catalog views are in {@link DuckDbCompat}.
 */
public final class CortexStandInFunctions {
  static final String SENTIMENT = "sf_cortex_sentiment";
  static final String EMBED = "sf_ai_embed";

  /** Cortex embedding models and their dimensions (Snowflake docs, AI_EMBED). */
  public static final Map<String, Integer> EMBEDDING_DIMENSIONS = Map.of(
      "e5-base-v2", 768,
      "snowflake-arctic-embed-m", 768,
      "snowflake-arctic-embed-m-v1.5", 768,
      "snowflake-arctic-embed-m-v2.0", 768,
      "snowflake-arctic-embed-l-v2.0", 1024,
      "snowflake-arctic-embed-l-v2.0-8k", 1024,
      "nv-embed-qa-4", 1024,
      "multilingual-e5-large", 1024,
      "voyage-multilingual-2", 1024);

  static final String CLASSIFY = "sf_ai_classify";
  static final String SUMMARIZE_AGG = "sf_ai_summarize_agg";
  static final String AI_SENTIMENT = "sf_ai_sentiment";

  /**
   * The AI_CLASSIFY stand-in's rule: per risk label of {@code CortexRiskSql}'s taxonomy, a regular
   * expression searched in the lower-cased text.
   */
  static final Map<String, String> CLASSIFY_KEYWORDS = Map.of(
      "pricing", "price|pricing|budget|discount|expensive|cost",
      "competitor", "competitor|alternative|other vendor|switch to",
      "security_legal", "security|legal|compliance|privacy|contract|gdpr|sso",
      "timeline", "deadline|delay|timeline|next quarter|not before|slip",
      "stakeholder", "approval|sign-off|sign off|decision maker|committee|board",
      "churn_risk", "cancel|churn|not renew|terminate",
      "product_gap", "missing|lacks|does not support|doesn't support|no integration");

  private static String classifyMacro() {
    StringBuilder c = new StringBuilder("CASE x.label");
    new java.util.TreeMap<>(CLASSIFY_KEYWORDS).forEach((label, pattern) -> c.append(" WHEN '")
        .append(label).append("' THEN '").append(pattern.replace("'", "''")).append("'"));
    c.append(" ELSE NULL END");
    return "CREATE OR REPLACE MACRO " + CLASSIFY + "(t, categories, options) AS "
        + "json_object('labels', to_json(list_transform(list_filter(categories, "
        + "lambda x: coalesce(regexp_matches(lower(t), " + c + "), false)), lambda x: x.label)))";
  }

  private static final String[] MACROS = {
    "CREATE OR REPLACE MACRO " + EMBED + "(m, x) AS "
        + "CAST(CAST(sf_ai_embed_json(m, x) AS JSON) AS FLOAT[])",
    "CREATE OR REPLACE MACRO " + EMBED + "_768(m, x) AS "
        + "CAST(CAST(sf_ai_embed_json(m, x) AS JSON) AS FLOAT[768])",
    "CREATE OR REPLACE MACRO " + EMBED + "_1024(m, x) AS "
        + "CAST(CAST(sf_ai_embed_json(m, x) AS JSON) AS FLOAT[1024])",
    classifyMacro(),
    "CREATE OR REPLACE MACRO " + SUMMARIZE_AGG + "(x) AS left(string_agg(x, ' '), 600)",
    // AI_SENTIMENT(text, categories): 'overall' and every category get the same label, the
    // offline score thresholded at +/-0.25 (unknown for NULL text).
    "CREATE OR REPLACE MACRO " + AI_SENTIMENT + "(t, categories) AS json_object('categories', "
        + "to_json(list_transform(list_prepend('overall', categories), lambda c: {'name': c, "
        + "'sentiment': CASE WHEN t IS NULL THEN 'unknown' WHEN " + SENTIMENT + "(t) > 0.25 "
        + "THEN 'positive' WHEN " + SENTIMENT + "(t) < -0.25 THEN 'negative' ELSE 'neutral' END})))",
  };

  private CortexStandInFunctions() {}

  /** An {@code AI_EMBED} stand-in: one vector of the model's dimension per text. */
  @FunctionalInterface
  public interface StandInEmbedder {
    float[] embed(String model, String text);
  }

  /** Registers the functions and macros on the database behind {@code connection}. */
  static void register(Connection connection, SentimentScorer scorer, StandInEmbedder embedder)
      throws SQLException {
    DuckDBFunctions.scalarFunction()
        .withName(SENTIMENT)
        .withParameter(String.class)
        .withReturnType(Double.class)
        // Cortex answers a number for any text; the offline scorer says NaN when it cannot read one
        .withFunction((String text) -> {
          double s = scorer.score(List.of(text))[0];
          return Double.isNaN(s) ? 0.0 : s;
        })
        .withNullInNullOut()
        .register(connection);
    DuckDBFunctions.scalarFunction()
        .withName("sf_ai_embed_json")
        .withParameters(String.class, String.class)
        .withReturnType(String.class)
        .withFunction((String model, String text) -> toJson(embedder.embed(model, text)))
        .withNullInNullOut()
        .register(connection);
    try (Statement st = connection.createStatement()) {
      for (String macro : MACROS) {
        st.execute(macro);
      }
    }
  }

  private static String toJson(float[] v) {
    StringBuilder sb = new StringBuilder(v.length * 12).append('[');
    for (int i = 0; i < v.length; i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(v[i]);
    }
    return sb.append(']').toString();
  }

  /**
   * The default {@code AI_EMBED} stand-in: lower-cased words hashed into the model's dimension with
   * a sign bit, L2-normalised. Deterministic; texts sharing words have a positive cosine. Unknown
   * models fail like Cortex does.
   */
  public static float[] hashingEmbedding(String model, String text) {
    Integer dim = EMBEDDING_DIMENSIONS.get(model.toLowerCase(Locale.ROOT));
    if (dim == null) {
      throw new IllegalArgumentException("unknown embedding model '" + model + "'");
    }
    float[] v = new float[dim];
    for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
      if (word.isEmpty()) {
        continue;
      }
      int h = word.hashCode() * 0x9E3779B1;
      v[Math.floorMod(h, dim)] += (h & 0x10000) == 0 ? 1f : -1f;
    }
    double norm = 0;
    for (float x : v) {
      norm += x * x;
    }
    if (norm == 0) {
      v[0] = 1f;
      return v;
    }
    float inv = (float) (1 / Math.sqrt(norm));
    for (int i = 0; i < dim; i++) {
      v[i] *= inv;
    }
    return v;
  }
}
