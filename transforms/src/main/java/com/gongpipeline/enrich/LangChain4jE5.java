package com.gongpipeline.enrich;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.e5smallv2.E5SmallV2EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.e5smallv2q.E5SmallV2QuantizedEmbeddingModel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * langchain4j's own in-process e5 models, one text per ONNX session run ({@code embedAll} spreads
 * texts over a pool of one thread per core): the reference that {@link E5OnnxEncoder}'s batched
 * vectors are tested against, and the baseline {@code bench} measures it against. Not used by the
 * pipeline. Texts are passed as they are (add the e5 prefix yourself); langchain4j keeps only the
 * first 510 word pieces of a longer text.
 */
public final class LangChain4jE5 implements AutoCloseable {
  private final ExecutorService pool;
  private final AbstractInProcessEmbeddingModel model;

  public LangChain4jE5(LocalE5Model which) {
    // Fails naming the jar the weights ship in (langchain4j's own error blames a source checkout).
    try (java.io.InputStream weights = which.open(which.onnxResource())) {
      // present
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    AtomicInteger n = new AtomicInteger();
    this.pool = Executors.newFixedThreadPool(
        Math.max(1, Runtime.getRuntime().availableProcessors()),
        r -> {
          Thread t = new Thread(r, "langchain4j-e5-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    this.model = which == LocalE5Model.E5_SMALL_V2_Q
        ? new E5SmallV2QuantizedEmbeddingModel(pool) : new E5SmallV2EmbeddingModel(pool);
  }

  /** langchain4j's {@code embedAll} over {@code texts}, in order. */
  public List<float[]> embedAll(List<String> texts) {
    List<TextSegment> segments = new ArrayList<>(texts.size());
    for (String t : texts) {
      segments.add(TextSegment.from(t));
    }
    List<float[]> out = new ArrayList<>(texts.size());
    for (Embedding e : model.embedAll(segments).content()) {
      out.add(e.vector());
    }
    return out;
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
