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
 * </ul>
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

  private static final String[] MACROS = {
    "CREATE OR REPLACE MACRO " + EMBED + "(m, x) AS "
        + "CAST(CAST(sf_ai_embed_json(m, x) AS JSON) AS FLOAT[])",
    "CREATE OR REPLACE MACRO " + EMBED + "_768(m, x) AS "
        + "CAST(CAST(sf_ai_embed_json(m, x) AS JSON) AS FLOAT[768])",
    "CREATE OR REPLACE MACRO " + EMBED + "_1024(m, x) AS "
        + "CAST(CAST(sf_ai_embed_json(m, x) AS JSON) AS FLOAT[1024])",
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
