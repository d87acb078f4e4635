package com.gongpipeline.enrich;

import com.gongpipeline.chunking.E5Tokenizer;
import com.gongpipeline.chunking.TokenCounter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * e5-small-v2 (384 dimensions) run in-process on ONNX Runtime: the offline stand-in for Cortex
 * embeddings. {@link LocalE5Model} picks the fp32 weights ({@code e5-small-v2}, the default) or the
 * int8-quantized ones ({@code e5-small-v2-q}); each stores its own model name with its vectors.
 *
 * <p>Inference is batched and length-bucketed ({@link E5OnnxEncoder}): one shared session per
 * model per JVM, texts sorted by token count and padded per batch, e5's masked mean pooling and
 * L2 normalisation; the vectors equal langchain4j's one-text-per-run {@code embedAll} to float
 * rounding ({@link LangChain4jE5}, {@code E5OnnxEncoderTest}).
 *
 * <p>Guards: this class adds the e5 prefixes ({@code passage: }, {@code query: }) and rejects
 * blank or over-long input up front, counting with {@link E5Tokenizer} (the same tokenizer,
 * without truncation), so nothing is ever truncated silently.
 *
 * <p>Instances are cheap; the model (~1.5 s to load, longer on a busy machine) is loaded once per
 * JVM in the background — {@link #preload} starts that as a job starts, so the load overlaps with
 * fetching — and {@link #close()} leaves the shared model alone.
 */
public final class LocalE5Embedder implements TextEmbedder {
  /** The fp32 model's name ({@link LocalE5Model#E5_SMALL_V2}). */
  public static final String MODEL_NAME = LocalE5Model.E5_SMALL_V2.modelName();
  public static final int DIMENSION = 384;
  public static final int MAX_INPUT_TOKENS = 512;
  public static final String PASSAGE_PREFIX = "passage: ";
  public static final String QUERY_PREFIX = "query: ";

  private final LocalE5Model model;
  private final E5Tokenizer tokenizer = new E5Tokenizer();

  /** The default model ({@link LocalE5Model#DEFAULT}). */
  public LocalE5Embedder() {
    this(LocalE5Model.DEFAULT);
  }

  public LocalE5Embedder(LocalE5Model model) {
    this.model = model;
  }

  /**
   * Starts loading {@code model}'s session and the token counter on background threads, so a job
   * that will embed does not wait for them later; returns at once.
   */
  public static void preload(LocalE5Model model) {
    if (TOKENIZER_WARMED.compareAndSet(false, true)) {
      Thread t = new Thread(() -> new E5Tokenizer().countTokens("warm-up"), "e5-tokenizer-load");
      t.setDaemon(true);
      t.start();
    }
    E5OnnxEncoder.loadAsync(model);
  }

  private static final AtomicBoolean TOKENIZER_WARMED = new AtomicBoolean();

  public LocalE5Model model() {
    return model;
  }

  @Override
  public String modelName() {
    return model.modelName();
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
    List<String> prefixed = new ArrayList<>(texts.size());
    for (String t : texts) {
      prefixed.add(prefix + t);
    }
    List<float[]> out = E5OnnxEncoder.get(model).embed(prefixed);
    if (out.size() != texts.size()) {
      throw new IllegalStateException(
          model.modelName() + " returned " + out.size() + " vectors for " + texts.size()
              + " texts");
    }
    for (float[] v : out) {
      if (v.length != DIMENSION) {
        throw new IllegalStateException("Expected " + DIMENSION + " dimensions, got " + v.length);
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return "LocalE5Embedder(" + model.modelName() + ")";
  }
}
