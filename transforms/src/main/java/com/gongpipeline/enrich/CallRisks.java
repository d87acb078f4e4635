package com.gongpipeline.enrich;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.gongpipeline.parse.JsonSupport;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A call's risk columns (sql 130) from its classified chunks: {@code RISK_INDICATORS} (every
 * label of every classified chunk, in chunk order, as {@code {category, score, memory_id,
 * speaker_id, start_ms}}), {@code RISK_INPUT_HASH} (SHA-256 of the classified chunks' content
 * hashes joined by commas in chunk order, the same as the Snowflake SQL computes) and {@code
 * ASPECT_SENTIMENT} (per category present, the mean sentiment of the chunks classified into it;
 * chunks without a sentiment do not count, and a category none of whose chunks has one is left
 * out).
 */
public final class CallRisks {
  private CallRisks() {}

  /** The columns of one call. */
  public record Columns(String indicatorsJson, String method, String inputHash,
      String aspectSentimentJson) {}

  /**
   * The columns for a call whose chunks are {@code expectedIndexes}, or null when they cannot be
   * computed now: some chunk is missing or failed classification, or none was classified (no
   * customer chunk, another language or embedding model). Null means "leave the stored values".
   */
  public static @Nullable Columns of(Collection<Integer> expectedIndexes,
      Collection<ChunkRisk> chunks) {
    Set<Integer> seen = new TreeSet<>();
    for (ChunkRisk c : chunks) {
      if (c.failed()) {
        return null;
      }
      seen.add(c.chunkIndex());
    }
    if (!seen.containsAll(expectedIndexes)) {
      return null;
    }
    List<ChunkRisk> classified = new ArrayList<>();
    chunks.stream().filter(ChunkRisk::classified)
        .sorted(Comparator.comparingInt(ChunkRisk::chunkIndex)).forEach(c -> {
          if (expectedIndexes.contains(c.chunkIndex())) {
            classified.add(c);
          }
        });
    if (classified.isEmpty()) {
      return null;
    }
    ArrayNode indicators = JsonNodeFactory.instance.arrayNode();
    Map<String, double[]> aspect = new LinkedHashMap<>(); // category -> {sum, count}
    List<String> hashes = new ArrayList<>();
    for (ChunkRisk c : classified) {
      hashes.add(c.contentHash());
      for (RiskClassifier.Label l : c.labels()) {
        ObjectNode o = indicators.addObject();
        o.put("category", l.category());
        o.put("score", Math.round(l.score() * 10_000) / 10_000.0);
        o.put("memory_id", c.memoryId());
        o.put("speaker_id", c.speakerId());
        o.put("start_ms", c.startMs());
        if (!Double.isNaN(c.sentiment())) {
          double[] a = aspect.computeIfAbsent(l.category(), k -> new double[2]);
          a[0] += c.sentiment();
          a[1]++;
        }
      }
    }
    ObjectNode aspects = JsonNodeFactory.instance.objectNode();
    for (String category : RiskClassifier.CATEGORIES) {
      double[] a = aspect.get(category);
      if (a != null) {
        aspects.put(category, Math.round(a[0] / a[1] * 10_000) / 10_000.0);
      }
    }
    return new Columns(JsonSupport.write(indicators), RiskClassifier.METHOD,
        JsonSupport.sha256(String.join(",", hashes)), JsonSupport.write(aspects));
  }
}
