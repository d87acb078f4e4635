package com.gongpipeline.transforms;

import com.gongpipeline.model.ContextualChunk;
import com.gongpipeline.model.EnrichedChunk;
import com.gongpipeline.model.SpeakerChunk;
import com.gongpipeline.model.TranscriptTurn;
import com.gongpipeline.parse.JsonSupport;
import com.gongpipeline.warehouse.StoredChunk;
import com.gongpipeline.warehouse.StoredTurn;
import com.gongpipeline.warehouse.Warehouse;
import com.gongpipeline.warehouse.WarehouseProvider;
import java.io.Serializable;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * What the warehouse already holds that spares a model call: the stored vector and sentiment of an
 * unchanged chunk (same content hash, same embedding and sentiment models), the stored score of an
 * unchanged speaker turn (same text, same sentiment model). It sits behind the {@link
 * WarehouseProvider} (opened per look-up, so no database file is held between batches), and keeps
 * the look-up and the matching out of the enrichment DoFns: they ask it which elements to reuse
 * and call the models for the rest. Lookback re-reads then cost no model calls.
 */
public final class StoredEnrichment implements Serializable {
  private static final long serialVersionUID = 1L;

  private final WarehouseProvider warehouse;

  private StoredEnrichment(WarehouseProvider warehouse) {
    this.warehouse = warehouse;
  }

  /** Reuse from this warehouse; null (reuse nothing) when {@code warehouse} is null. */
  public static @Nullable StoredEnrichment from(@Nullable WarehouseProvider warehouse) {
    return warehouse == null ? null : new StoredEnrichment(warehouse);
  }

  /**
   * The chunks of {@code chunks} (by position) whose stored vector and sentiment can be reused
   * with these models, as enriched chunks; one look-up for all their calls.
   */
  public Map<Integer, EnrichedChunk> reusableChunks(List<ContextualChunk> chunks,
      String embeddingModel, String sentimentModel) {
    Map<Integer, EnrichedChunk> reuse = new HashMap<>();
    if (chunks.isEmpty()) {
      return reuse;
    }
    Set<String> callIds = new LinkedHashSet<>();
    for (ContextualChunk c : chunks) {
      callIds.add(c.chunk().callId());
    }
    Map<String, StoredChunk> stored;
    try (Warehouse wh = warehouse.open()) {
      stored = wh.storedChunks(callIds);
    }
    for (int i = 0; i < chunks.size(); i++) {
      SpeakerChunk c = chunks.get(i).chunk();
      StoredChunk s = stored.get(WarehouseRows.memoryId(c));
      // A NULL score stored under the same model means the scorer found nothing to read (NaN).
      if (s != null && s.embedding() != null && s.sentimentModel() != null
          && JsonSupport.sha256(c.text()).equals(s.contentHash())
          && embeddingModel.equals(s.embeddingModel())
          && sentimentModel.equals(s.sentimentModel())) {
        reuse.put(i, new EnrichedChunk(c, chunks.get(i).context(), s.embedding(),
            s.embeddingModel(), s.sentimentScore() == null ? Double.NaN : s.sentimentScore(),
            s.sentimentModel()));
      }
    }
    return reuse;
  }

  /**
   * The stored scores (by position in {@code turns}) of one call's turns whose text and sentiment
   * model are unchanged; NaN for a turn stored with NULL under that model (nothing to score).
   */
  public Map<Integer, Double> reusableTurnScores(String callId, List<TranscriptTurn> turns,
      String sentimentModel) {
    Map<String, StoredTurn> stored;
    try (Warehouse wh = warehouse.open()) {
      stored = wh.storedTurns(List.of(callId));
    }
    Map<Integer, Double> reuse = new HashMap<>();
    for (int i = 0; i < turns.size(); i++) {
      TranscriptTurn t = turns.get(i);
      StoredTurn s = stored.get(t.callId() + ":" + t.turnIndex());
      if (s != null && sentimentModel.equals(s.sentimentModel())
          && t.text().equals(s.text())) {
        reuse.put(i, s.sentiment() == null ? Double.NaN : s.sentiment());
      }
    }
    return reuse;
  }
}
