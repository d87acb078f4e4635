package com.gongpipeline.pipeline;

import com.gongpipeline.cortex.CortexEmbedConfig;
import com.gongpipeline.cortex.CortexEnrichmentProvider;
import com.gongpipeline.enrich.EnrichmentProvider;
import com.gongpipeline.enrich.LocalE5Model;
import com.gongpipeline.enrich.LocalEnrichmentProvider;
import com.gongpipeline.enrich.SentimentScorerFactory;
import com.gongpipeline.enrich.VaderSentimentScorer;
import com.gongpipeline.pipeline.options.EnrichmentOptions;
import com.gongpipeline.pipeline.options.WarehouseOptions;
import com.gongpipeline.snowflake.CortexSqlSentimentScorer;
import com.gongpipeline.snowflake.CortexSqlSummarizer;
import com.gongpipeline.snowflake.SnowflakeConnections;
import com.gongpipeline.snowflake.SnowflakeCredentials;
import java.time.Duration;
import java.util.Set;

/**
 * Chooses the embedding and sentiment models the options name: {@code --embeddings=local|cortex},
 * {@code --sentiment=local|cortex}. Any warehouse works with either embedding source; every
 * vector is stored with its model and dimension.
 */
final class Enrichment {
  private static final Set<String> CHOICES = Set.of("local", "cortex");
  private static final String SNOWFLAKE_URL = "jdbc:snowflake:";

  private Enrichment() {}

  /** With Snowflake credentials from the environment (read on the workers). */
  static EnrichmentProvider fromOptions(EnrichmentOptions o) {
    return fromOptions(o, SnowflakeCredentials.fromEnv());
  }

  static EnrichmentProvider fromOptions(EnrichmentOptions o, SnowflakeCredentials snowflake) {
    EnrichmentProvider models = models(o, snowflake);
    String summaries = o.getSummaries();
    if (!CHOICES.contains(summaries)) {
      throw new IllegalArgumentException("--summaries=" + summaries + ": must be 'local' or"
          + " 'cortex'");
    }
    if ("cortex".equals(summaries)) {
      String url = cortexSqlUrl(o, o.as(WarehouseOptions.class).getWarehouse());
      SnowflakeConnections.fromEnvironment(); // fails fast, naming missing variables only
      return EnrichmentProvider.withSummarizer(models, CortexSqlSummarizer.factory(url));
    }
    return models;
  }

  private static EnrichmentProvider models(EnrichmentOptions o, SnowflakeCredentials snowflake) {
    String embeddings = o.getEmbeddings();
    String sentiment = o.getSentiment();
    if (!CHOICES.contains(embeddings) || !CHOICES.contains(sentiment)) {
      throw new IllegalArgumentException("--embeddings=" + embeddings + " --sentiment="
          + sentiment + ": each must be 'local' or 'cortex'");
    }
    String warehouse = o.as(WarehouseOptions.class).getWarehouse();
    if ("local".equals(embeddings) && warehouse != null && warehouse.startsWith(SNOWFLAKE_URL)) {
      throw new IllegalArgumentException("a Snowflake warehouse stores 768-d vectors "
          + "(AI_MEMORY.MEMORY_RECORDS.EMBEDDING VECTOR(FLOAT, 768)) and the local model makes "
          + "384-d ones: use --embeddings=cortex (e5-base-v2) with --warehouse=jdbc:snowflake:");
    }
    SentimentScorerFactory scorer = SentimentScorerFactory.vader();
    String scorerName = VaderSentimentScorer.MODEL_NAME;
    if ("cortex".equals(sentiment)) {
      String url = cortexSqlUrl(o, warehouse);
      SnowflakeConnections.fromEnvironment(); // fails fast, naming missing variables only
      scorer = CortexSqlSentimentScorer.factory(url);
      scorerName = CortexSqlSentimentScorer.MODEL_NAME;
    }
    if ("local".equals(embeddings)) {
      // Starts loading the model now, so it is ready when the first fetched calls are chunked.
      return new LocalEnrichmentProvider(LocalE5Model.fromName(o.getLocalEmbeddingModel()), scorer,
          scorerName).preload();
    }
    String missing = snowflake.missing();
    if (missing != null) {
      throw new IllegalArgumentException("--embeddings=cortex: " + missing);
    }
    return new CortexEnrichmentProvider(cortexConfig(o, snowflake), scorer);
  }

  /** Where SNOWFLAKE.CORTEX.SENTIMENT runs: --cortexSqlUrl, else a Snowflake --warehouse. */
  static String cortexSqlUrl(EnrichmentOptions o, String warehouse) {
    String url = o.getCortexSqlUrl();
    if (url == null || url.isBlank()) {
      url = warehouse;
    }
    if (url == null || !url.startsWith(SNOWFLAKE_URL)) {
      throw new IllegalArgumentException("--sentiment=cortex / --summaries=cortex run"
          + " SNOWFLAKE.CORTEX.SENTIMENT / AI_SUMMARIZE_AGG over "
          + "a Snowflake connection: use --warehouse=jdbc:snowflake://<account>.snowflakecomputing"
          + ".com/ or --cortexSqlUrl=jdbc:snowflake://..., or --sentiment=local (VADER, same "
          + "[-1, 1] scale)");
    }
    return url;
  }

  static CortexEmbedConfig cortexConfig(EnrichmentOptions o, SnowflakeCredentials snowflake) {
    return CortexEmbedConfig.builder(o.getCortexUrl(), snowflake)
        .model(o.getCortexEmbeddingModel())
        .batchSize(o.getCortexBatchSize())
        .readTimeout(Duration.ofSeconds(o.getCortexTimeoutSeconds()))
        .maxAttempts(o.getCortexMaxAttempts())
        .build();
  }

  /** Chunks per enrichment batch: one Cortex request's worth with Cortex, else the local size. */
  static int batchSize(EnrichmentOptions o) {
    return "cortex".equals(o.getEmbeddings()) ? o.getCortexBatchSize() : o.getEmbedBatchSize();
  }
}
