package com.gongpipeline.pipeline;

import com.gongpipeline.enrich.EnrichmentProvider;
import com.gongpipeline.enrich.LocalEnrichmentProvider;
import com.gongpipeline.pipeline.options.EnrichmentOptions;

/** Chooses the embedding and sentiment models the options name. */
final class Enrichment {
  private Enrichment() {}

  static EnrichmentProvider fromOptions(EnrichmentOptions o) {
    if (!"local".equals(o.getEmbeddings()) || !"local".equals(o.getSentiment())) {
      throw new IllegalArgumentException("--embeddings=" + o.getEmbeddings() + " --sentiment="
          + o.getSentiment() + ": only 'local' is available in this build (Snowflake Cortex is "
          + "not wired in yet).");
    }
    return new LocalEnrichmentProvider();
  }
}
