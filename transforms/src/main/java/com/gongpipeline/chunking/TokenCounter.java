package com.gongpipeline.chunking;

import java.io.Serializable;
import java.util.List;

/**
 * Counts tokens the way an embedding model sees a text, so chunks can be sized to the model's real
 * window instead of a characters-per-token guess.
 *
 * <p>Implementations must be serializable (they travel inside Beam DoFns) and thread-safe. Heavy
 * state such as a native tokenizer belongs in a static per-JVM holder, not in a field.
 */
public interface TokenCounter extends Serializable {

  /** Tokens the model sees for {@code text}, special tokens ([CLS], [SEP]) included. */
  int countTokens(String text);

  /**
   * Tokens of {@code text} without the special tokens. For BERT-style tokenizers that pre-split on
   * whitespace, these counts add up exactly over space-joined pieces. The default derives it from
   * {@link #countTokens} by subtracting the count of the empty string.
   */
  default int countTokensWithoutSpecials(String text) {
    return countTokens(text) - countTokens("");
  }

  /** {@link #countTokensWithoutSpecials(String)} for many texts; implementations may batch. */
  default int[] countTokensWithoutSpecials(List<String> texts) {
    int[] counts = new int[texts.size()];
    for (int i = 0; i < counts.length; i++) {
      counts[i] = countTokensWithoutSpecials(texts.get(i));
    }
    return counts;
  }
}
