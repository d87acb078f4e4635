package com.gongpipeline.transforms;

import com.gongpipeline.enrich.EnrichmentProvider;
import com.gongpipeline.errors.DeadLetter;
import com.gongpipeline.errors.StageResult;
import com.gongpipeline.model.ContextualChunk;
import com.gongpipeline.model.EnrichedChunk;
import com.gongpipeline.warehouse.WarehouseProvider;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Embeds chunks and scores their sentiment, in batches, with whatever {@link EnrichmentProvider}
 * is configured (in-process e5 + VADER by default, Snowflake Cortex in production). Chunks that
 * cannot be enriched become dead letters carrying the chunk text.
 */
public final class EnrichChunks
    extends PTransform<PCollection<ContextualChunk>, StageResult<EnrichedChunk>> {
  /** Chunks with embedding and sentiment. */
  public static final TupleTag<EnrichedChunk> ENRICHED_OUT = new TupleTag<>() {};
  /** Chunks the models rejected or could not process. */
  public static final TupleTag<DeadLetter> ENRICH_DEADLETTER_OUT = new TupleTag<>() {};

  private final EnrichmentProvider provider;
  private final int batchSize;
  private final @Nullable WarehouseProvider reuseFromWarehouse;
  private final String breakerName;

  /**
   * @param reuseFromWarehouse when set, chunks whose content hash and models match what this
   *     warehouse already stores reuse the stored vector and sentiment instead of calling the
   *     models (lookback re-reads then cost no embeddings); null embeds everything
   */
  public EnrichChunks(EnrichmentProvider provider, int batchSize,
      @Nullable WarehouseProvider reuseFromWarehouse) {
    this(provider, batchSize, reuseFromWarehouse, "enrich-" + java.util.UUID.randomUUID());
  }

  private EnrichChunks(EnrichmentProvider provider, int batchSize,
      @Nullable WarehouseProvider reuseFromWarehouse, String breakerName) {
    this.provider = provider;
    this.batchSize = batchSize;
    this.reuseFromWarehouse = reuseFromWarehouse;
    this.breakerName = breakerName;
  }

  /**
   * Uses the JVM-wide {@link com.gongpipeline.errors.CircuitBreaker} called {@code name}: give
   * {@link ScoreTranscripts#withModelBreaker} the same name, so an outage seen by either stage
   * makes both fail fast.
   */
  public EnrichChunks withModelBreaker(String name) {
    return new EnrichChunks(provider, batchSize, reuseFromWarehouse, name);
  }

  @Override
  public StageResult<EnrichedChunk> expand(PCollection<ContextualChunk> chunks) {
    PCollectionTuple tuple =
        chunks.apply(
            "EmbedAndScoreBatches",
            ParDo.of(new EnrichBatchFn(provider, batchSize,
                StoredEnrichment.from(reuseFromWarehouse), ENRICHED_OUT,
                ENRICH_DEADLETTER_OUT, breakerName))
                .withOutputTags(ENRICHED_OUT, TupleTagList.of(ENRICH_DEADLETTER_OUT)));
    StageResult<EnrichedChunk> result = StageResult.of(tuple, ENRICHED_OUT, ENRICH_DEADLETTER_OUT);
    result.output().setCoder(SerializableCoder.of(EnrichedChunk.class));
    return result;
  }
}
