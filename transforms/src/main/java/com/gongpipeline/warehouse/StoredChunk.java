package com.gongpipeline.warehouse;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * What AI_MEMORY already holds for one chunk (see {@link Warehouse#storedChunks}): enough to
 * decide that a re-chunked call's chunk is unchanged (same {@code contentHash} and {@code
 * embeddingModel}) and to reuse its embedding and sentiment instead of computing them again.
 * Equality compares the embedding element-wise.
 */
public record StoredChunk(
    String memoryId,
    String sourceId,
    String contentHash,
    @Nullable String embeddingModel,
    float @Nullable [] embedding,
    @Nullable Double sentimentScore,
    @Nullable String sentimentModel)
    implements Serializable {

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof StoredChunk c
        && memoryId.equals(c.memoryId)
        && sourceId.equals(c.sourceId)
        && contentHash.equals(c.contentHash)
        && Objects.equals(embeddingModel, c.embeddingModel)
        && Arrays.equals(embedding, c.embedding)
        && Objects.equals(sentimentScore, c.sentimentScore)
        && Objects.equals(sentimentModel, c.sentimentModel);
  }

  @Override
  public int hashCode() {
    return Objects.hash(memoryId, sourceId, contentHash, embeddingModel, Arrays.hashCode(embedding),
        sentimentScore, sentimentModel);
  }

  @Override
  public String toString() {
    return "StoredChunk[" + memoryId + ", source=" + sourceId + ", hash=" + contentHash + ", model="
        + embeddingModel + ", dim=" + (embedding == null ? "null" : embedding.length)
        + ", sentiment=" + sentimentScore + " (" + sentimentModel + ")]";
  }
}
