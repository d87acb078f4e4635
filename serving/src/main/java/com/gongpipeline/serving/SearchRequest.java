package com.gongpipeline.serving;

import java.time.Instant;
import java.util.Locale;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A search over the index: the query text, how many hits, the mode, and filters applied inside
 * the Lucene queries (never after them, so k hits come back whenever k chunks match).
 *
 * @param account account name, matched case-insensitively; null for any
 * @param since calls that started at or after this instant; null for any
 * @param until calls that started before this instant; null for any
 * @param affiliation {@code Internal} or {@code External} speakers; null for any
 */
public record SearchRequest(String query, int k, SearchMode mode, @Nullable String account,
    @Nullable Instant since, @Nullable Instant until, @Nullable String affiliation) {
  public static final int MAX_K = 100;

  public SearchRequest {
    if (query == null || query.isBlank()) {
      throw new IllegalArgumentException("q (the query) is required");
    }
    if (k < 1 || k > MAX_K) {
      throw new IllegalArgumentException("k must be between 1 and " + MAX_K + ", was " + k);
    }
    if (mode == null) {
      mode = SearchMode.HYBRID;
    }
    account = blankToNull(account);
    affiliation = affiliationOf(affiliation);
    if (since != null && until != null && !since.isBefore(until)) {
      throw new IllegalArgumentException("since must be before until");
    }
  }

  /** A hybrid top-5 with no filters. */
  public static SearchRequest of(String query) {
    return new SearchRequest(query, 5, SearchMode.HYBRID, null, null, null, null);
  }

  public SearchRequest withK(int newK) {
    return new SearchRequest(query, newK, mode, account, since, until, affiliation);
  }

  public SearchRequest withMode(SearchMode newMode) {
    return new SearchRequest(query, k, newMode, account, since, until, affiliation);
  }

  /** {@code internal|external} (any case) as the stored {@code Internal|External}; null for any. */
  static @Nullable String affiliationOf(@Nullable String speaker) {
    String s = blankToNull(speaker);
    if (s == null) {
      return null;
    }
    String lower = s.toLowerCase(Locale.ROOT);
    if (!lower.equals("internal") && !lower.equals("external")) {
      throw new IllegalArgumentException("speaker must be internal or external, not " + speaker);
    }
    return Character.toUpperCase(lower.charAt(0)) + lower.substring(1);
  }

  private static @Nullable String blankToNull(@Nullable String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
