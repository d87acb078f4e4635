package com.gongpipeline.enrich;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Results of a pure function of a short text, remembered by the text, for the models whose output
 * depends on nothing else (VADER's sentence scores, an e5 model's vector of one text). Speech
 * repeats itself ("Yes.", "Sounds good.", "Mm-hmm."), and the same sentences reach a model more
 * than once (in their turn and in their chunk), so a repeat costs a map look-up instead of a model
 * run.
 *
 * <p>Bounded: texts longer than {@code maxChars} are never remembered, and the memo is emptied
 * when it holds {@code maxEntries}, so its memory has a fixed ceiling whatever the corpus size
 * (frequent texts come straight back). Safe for concurrent use; two threads that miss the same
 * text both compute it, and either result is kept (they are equal).
 */
public final class TextMemo<V> {
  private final ConcurrentHashMap<String, V> entries = new ConcurrentHashMap<>();
  private final int maxEntries;
  private final int maxChars;
  private final LongAdder lookups = new LongAdder();
  private final LongAdder hits = new LongAdder();

  /** @param maxEntries 0 remembers nothing */
  public TextMemo(int maxEntries, int maxChars) {
    if (maxEntries < 0 || maxChars < 0) {
      throw new IllegalArgumentException("maxEntries and maxChars must be >= 0");
    }
    this.maxEntries = maxEntries;
    this.maxChars = maxChars;
  }

  /** The remembered result for {@code text}, or null; counted as a look-up (and a hit). */
  public @Nullable V get(String text) {
    lookups.increment();
    V v = entries.get(text);
    if (v != null) {
      hits.increment();
    }
    return v;
  }

  /** Remembers {@code value} for {@code text} unless the text is too long to be kept. */
  public void put(String text, V value) {
    if (maxEntries == 0 || text.length() > maxChars) {
      return;
    }
    if (entries.size() >= maxEntries) {
      entries.clear();
    }
    entries.put(text, value);
  }

  /** Entries held now. */
  public int size() {
    return entries.size();
  }

  public int maxEntries() {
    return maxEntries;
  }

  /** Look-ups so far and how many of them the memo answered. */
  public long[] lookupsAndHits() {
    return new long[] {lookups.sum(), hits.sum()};
  }
}
