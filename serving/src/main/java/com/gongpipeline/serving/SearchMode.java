package com.gongpipeline.serving;

import java.util.Locale;

/** How a query ranks chunks: both rankings fused (the default), vectors only, or BM25 only. */
public enum SearchMode {
  HYBRID,
  SEMANTIC,
  KEYWORD;

  /** {@code hybrid|semantic|keyword}, case-insensitive; null or blank is {@link #HYBRID}. */
  public static SearchMode parse(String s) {
    if (s == null || s.isBlank()) {
      return HYBRID;
    }
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("mode must be hybrid, semantic or keyword, not " + s);
    }
  }

  public boolean usesVectors() {
    return this != KEYWORD;
  }

  public boolean usesKeywords() {
    return this != SEMANTIC;
  }
}
