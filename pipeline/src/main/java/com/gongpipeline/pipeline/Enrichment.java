package com.gongpipeline.pipeline;

import com.gongpipeline.cortex.CortexEmbedConfig;
import com.gongpipeline.cortex.CortexEnrichmentProvider;
import com.gongpipeline.enrich.EnrichmentProvider;
import com.gongpipeline.enrich.LocalEnrichmentProvider;
import com.gongpipeline.enrich.SentimentScorerFactory;
import com.gongpipeline.pipeline.options.EnrichmentOptions;
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

  private Enrichment() {}

  /** With Snowflake credentials from the environment (read on the workers). */
  static EnrichmentProvider fromOptions(EnrichmentOptions o) {
    return fromOptions(o, SnowflakeCredentials.fromEnv());
  }

  static EnrichmentProvider fromOptions(EnrichmentOptions o, SnowflakeCredentials snowflake) {
    String embeddings = o.getEmbeddings();
    String sentiment = o.getSentiment();
    if (!CHOICES.contains(embeddings) || !CHOICES.contains(sentiment)) {
      throw new IllegalArgumentException("--embeddings=" + embeddings + " --sentiment="
          + sentiment + ": each must be 'local' or 'cortex'");
    }
    if ("cortex".equals(sentiment)) {
      // The seam: CortexEnrichmentProvider(config, SentimentScorerFactory) takes a
      // SNOWFLAKE.CORTEX.SENTIMENT scorer once the Snowflake warehouse provides a connection.
      throw new IllegalArgumentException("--sentiment=cortex runs SNOWFLAKE.CORTEX.SENTIMENT over "
          + "a Snowflake connection, which this build does not have yet; use --sentiment=local "
          + "(VADER, same [-1, 1] scale) with --embeddings=" + embeddings);
    }
    if ("local".equals(embeddings)) {
      return new LocalEnrichmentProvider();
    }
    String missing = snowflake.missing();
    if (missing != null) {
      throw new IllegalArgumentException("--embeddings=cortex: " + missing);
    }
    return new CortexEnrichmentProvider(cortexConfig(o, snowflake), SentimentScorerFactory.vader());
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
