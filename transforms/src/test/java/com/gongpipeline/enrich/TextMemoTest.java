package com.gongpipeline.enrich;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TextMemoTest {
  @Test
  void remembersShortTextsAndCountsLookupsAndHits() {
    TextMemo<Integer> memo = new TextMemo<>(10, 5);
    assertNull(memo.get("Yes."));
    memo.put("Yes.", 1);
    memo.put("Too long", 2);
    assertEquals(1, memo.get("Yes."));
    assertNull(memo.get("Too long"));
    assertEquals(1, memo.size());
    assertArrayEquals(new long[] {3, 1}, memo.lookupsAndHits());
  }

  @Test
  void neverHoldsMoreThanItsBound() {
    TextMemo<Integer> memo = new TextMemo<>(100, 20);
    for (int i = 0; i < 1_000; i++) {
      memo.put("text " + i, i);
      assertEquals(true, memo.size() <= 100, "size " + memo.size() + " after " + i);
    }
    // The latest text is always kept.
    assertEquals(999, memo.get("text 999"));
  }

  @Test
  void zeroEntriesRemembersNothing() {
    TextMemo<Integer> memo = new TextMemo<>(0, 20);
    memo.put("Yes.", 1);
    assertNull(memo.get("Yes."));
    assertThrows(IllegalArgumentException.class, () -> new TextMemo<Integer>(-1, 20));
  }
}
