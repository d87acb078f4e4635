package com.gongpipeline.pipeline.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Chunking and the embedding / sentiment models. */
public interface EnrichmentOptions extends PipelineOptions {
  @Description("Embedding model: 'local' (in-process e5-small-v2, 384-d). 'cortex' comes with the "
      + "Snowflake Cortex issue.")
  @Default.String("local")
  String getEmbeddings();

  void setEmbeddings(String value);

  @Description("Sentiment model: 'local' (offline VADER, [-1, 1]). 'cortex' comes with the "
      + "Snowflake Cortex issue.")
  @Default.String("local")
  String getSentiment();

  void setSentiment(String value);

  @Description("Largest chunk in tokens of the embedding model's tokenizer, prefix and special "
      + "tokens included (capped at the model's limit, 512 for e5).")
  @Default.Integer(256)
  Integer getChunkMaxTokens();

  void setChunkMaxTokens(Integer value);

  @Description("Tokens of trailing sentences repeated at the start of the next chunk of a long "
      + "monologue.")
  @Default.Integer(32)
  Integer getChunkOverlapTokens();

  void setChunkOverlapTokens(Integer value);

  @Description("Chunks per embedding / sentiment request.")
  @Default.Integer(32)
  Integer getEmbedBatchSize();

  void setEmbedBatchSize(Integer value);
}
