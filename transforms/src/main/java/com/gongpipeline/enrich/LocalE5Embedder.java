package com.gongpipeline.enrich;

import com.gongpipeline.chunking.E5Tokenizer;
import com.gongpipeline.chunking.TokenCounter;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.e5smallv2.E5SmallV2EmbeddingModel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * e5-small-v2 (384 dimensions) run in-process through langchain4j's ONNX runtime: the offline
 * stand-in for Cortex embeddings.
 *
 * <p>Why the guards: langchain4j silently drops everything past 510 word pieces, adds no e5
 * prefixes and throws on blank text. This class adds the prefixes and rejects blank or over-long
 * input up front, counting with {@link E5Tokenizer} (the same tokenizer, but without truncation).
 *
 * <p>The model (~130 MB, ~1.5 s to load) lives in a static holder, loaded on first use and shared by
 * every instance in the JVM; instances are cheap and {@link #close()} leaves the shared model alone.
 * {@code embedAll} runs on one shared pool of daemon threads sized to the CPU count, so many DoFn
 * threads do not oversubscribe the cores.
 */
public final class LocalE5Embedder implements TextEmbedder {
  public static final String MODEL_NAME = "e5-small-v2";
  public static final int DIMENSION = 384;
  public static final int MAX_INPUT_TOKENS = 512;
  public static final String PASSAGE_PREFIX = "passage: ";
  public static final String QUERY_PREFIX = "query: ";

  private static final class Holder {
    static final ExecutorService POOL = newPool();
    static final E5SmallV2EmbeddingModel MODEL = new E5SmallV2EmbeddingModel(POOL);

    private static ExecutorService newPool() {
      AtomicInteger n = new AtomicInteger();
      return Executors.newFixedThreadPool(
          Math.max(1, Runtime.getRuntime().availableProcessors()),
          r -> {
            Thread t = new Thread(r, "e5-embed-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
          });
    }
  }

  private final E5Tokenizer tokenizer = new E5Tokenizer();

  @Override
  public String modelName() {
    return MODEL_NAME;
  }

  @Override
  public int dimension() {
    return DIMENSION;
  }

  @Override
  public int maxInputTokens() {
    return MAX_INPUT_TOKENS;
  }

  @Override
  public String passagePrefix() {
    return PASSAGE_PREFIX;
  }

  @Override
  public String queryPrefix() {
    return QUERY_PREFIX;
  }

  @Override
  public TokenCounter tokenCounter() {
    return tokenizer;
  }

  @Override
  public List<float[]> embedPassages(List<String> texts) {
    return embed(texts, PASSAGE_PREFIX, false);
  }

  @Override
  public float[] embedQuery(String text) {
    return embed(List.of(text == null ? "" : text), QUERY_PREFIX, true).get(0);
  }

  private List<float[]> embed(List<String> texts, String prefix, boolean query) {
    if (texts.isEmpty()) {
      return List.of();
    }
    EmbedderChecks.requireValid(this, texts, prefix, query);
    List<TextSegment> segments = new ArrayList<>(texts.size());
    for (String t : texts) {
      segments.add(TextSegment.from(prefix + t));
    }
    List<Embedding> embeddings = Holder.MODEL.embedAll(segments).content();
    if (embeddings.size() != texts.size()) {
      throw new IllegalStateException(
          "e5-small-v2 returned " + embeddings.size() + " vectors for " + texts.size() + " texts");
    }
    List<float[]> out = new ArrayList<>(embeddings.size());
    for (Embedding e : embeddings) {
      float[] v = e.vector();
      if (v.length != DIMENSION) {
        throw new IllegalStateException("Expected " + DIMENSION + " dimensions, got " + v.length);
      }
      out.add(v);
    }
    return out;
  }

  @Override
  public String toString() {
    return "LocalE5Embedder(" + MODEL_NAME + ")";
  }
}
