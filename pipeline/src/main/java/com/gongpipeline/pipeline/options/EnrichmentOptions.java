package com.gongpipeline.pipeline.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Chunking and the embedding / sentiment models. */
public interface EnrichmentOptions extends PipelineOptions {
  @Description("Embedding model: 'local' (in-process e5-small-v2, 384-d) or 'cortex' (Snowflake "
      + "Cortex REST embed, --cortexEmbeddingModel at --cortexUrl; credentials from SNOWFLAKE_PAT, "
      + "SNOWFLAKE_PAT_FILE, or SNOWFLAKE_ACCOUNT + SNOWFLAKE_USER + SNOWFLAKE_PRIVATE_KEY_FILE).")
  @Default.String("local")
  String getEmbeddings();

  void setEmbeddings(String value);

  @Description("The in-process embedding model of --embeddings=local: 'e5-small-v2-q' (int8-"
      + "quantized weights, in the job jar; several times faster on CPUs) or 'e5-small-v2' (fp32 "
      + "weights, in the companion jar gong-pipeline-e5-small-v2.jar; vectors slightly different, "
      + "search quality within 0.02 precision@5). Both are 384-d; each is stored as its own EMBEDDING_MODEL, so their vectors "
      + "never mix: switching re-embeds chunks on their next sync, and search uses the model the "
      + "warehouse was embedded with.")
  @Default.String(com.gongpipeline.enrich.LocalE5Model.DEFAULT_NAME)
  String getLocalEmbeddingModel();

  void setLocalEmbeddingModel(String value);

  @Description("Sentiment model: 'local' (offline VADER, [-1, 1]) or 'cortex' "
      + "(SNOWFLAKE.CORTEX.SENTIMENT over a Snowflake connection; needs the Snowflake warehouse).")
  @Default.String("local")
  String getSentiment();

  void setSentiment(String value);

  @Description("Summaries of calls Gong sent no brief for: 'local' (e5-extractive-v1: the call's"
      + " most central sentences by embedding similarity, in call order) or 'cortex'"
      + " (AI_SUMMARIZE_AGG over the call's redacted turns, over the Snowflake connection"
      + " --sentiment=cortex uses). Gong's own brief is stored whenever it sent one.")
  @Default.String("local")
  String getSummaries();

  void setSummaries(String value);

  @Description("backfill, incremental: after the write, classify deal risks with Cortex"
      + " AI_CLASSIFY (what the `risks` command runs) for the calls whose customer chunks changed"
      + " since Cortex last classified them (this run's and any an earlier run left), at most"
      + " --cortexRisksMaxCalls; the outcome is a note in ETL_JOB_LOGS and the summary. 'auto':"
      + " when --embeddings=cortex and --warehouse is jdbc:snowflake: (the pipeline's own e5"
      + " classifier does not run then, so RISK_INDICATORS would stay NULL); 'off': never.")
  @Default.String("auto")
  String getCortexRisks();

  void setCortexRisks(String value);

  @Description("backfill, incremental: the most calls --cortexRisks classifies per job (MERGE"
      + " statements of at most 100 calls each); when more are waiting the note says so, and the"
      + " next run (or `risks`) classifies them.")
  @Default.Integer(500)
  Integer getCortexRisksMaxCalls();

  void setCortexRisksMaxCalls(Integer value);

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

  @Description("Chunks per embedding / sentiment batch with the local models.")
  @Default.Integer(32)
  Integer getEmbedBatchSize();

  void setEmbedBatchSize(Integer value);

  @Description("Snowflake account URL for --embeddings=cortex, e.g. "
      + "https://myorg-myaccount.snowflakecomputing.com (http://127.0.0.1:PORT for the local "
      + "stand-in started by simulate --cortexPort).")
  String getCortexUrl();

  void setCortexUrl(String value);

  @Description("Cortex embedding model: e5-base-v2 (768-d), snowflake-arctic-embed-m-v1.5 (768), "
      + "snowflake-arctic-embed-m (768) or snowflake-arctic-embed-l-v2.0 (1024); all 512 tokens.")
  @Default.String("e5-base-v2")
  String getCortexEmbeddingModel();

  void setCortexEmbeddingModel(String value);

  @Description("Texts per Cortex embed request (and chunks per enrichment batch with "
      + "--embeddings=cortex).")
  @Default.Integer(64)
  Integer getCortexBatchSize();

  void setCortexBatchSize(Integer value);

  @Description("Read timeout of one Cortex request, in seconds.")
  @Default.Integer(60)
  Integer getCortexTimeoutSeconds();

  void setCortexTimeoutSeconds(Integer value);

  @Description("Cortex requests per batch, first included, before 429/5xx/timeouts dead-letter "
      + "the batch (waits honour Retry-After, else exponential back-off; at most 2 minutes of "
      + "waiting per batch).")
  @Default.Integer(6)
  Integer getCortexMaxAttempts();

  void setCortexMaxAttempts(Integer value);

  @Description("Snowflake JDBC URL where --sentiment=cortex runs SNOWFLAKE.CORTEX.SENTIMENT (one "
      + "statement per batch). Default: --warehouse when it is a jdbc:snowflake: URL. Credentials "
      + "come from the SNOWFLAKE_* environment, never from options.")
  String getCortexSqlUrl();

  void setCortexSqlUrl(String value);
}
