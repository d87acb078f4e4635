package com.gongpipeline.cortex;

import com.gongpipeline.chunking.TokenCounter;

/**
 * An upper bound on the tokens of a SentencePiece (or WordPiece) tokenizer whose tokens each cover
 * at least one character: one token per non-whitespace code point, plus one per word for a
 * possible lone word-boundary piece ({@code ▁}), plus two special tokens. Counts add up exactly
 * over space-joined pieces, as {@link TokenCounter} asks. For models whose own tokenizer this
 * build does not ship; it overestimates English text about fourfold, so chunks come out small.
 */
public final class CodePointTokenCounter implements TokenCounter {
  private static final long serialVersionUID = 1L;

  /** Start and end special tokens. */
  public static final int SPECIAL_TOKENS = 2;

  @Override
  public int countTokens(String text) {
    return countTokensWithoutSpecials(text) + SPECIAL_TOKENS;
  }

  @Override
  public int countTokensWithoutSpecials(String text) {
    if (text == null) {
      return 0;
    }
    int count = 0;
    boolean inWord = false;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      if (Character.isWhitespace(cp)) {
        inWord = false;
      } else {
        count += inWord ? 1 : 2;
        inWord = true;
      }
    }
    return count;
  }
}
