package com.gongpipeline.gong;

import com.google.common.collect.Lists;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Splits call ids into de-duplicated request batches: Gong's {@code callIds} filter is
 * {@code uniqueItems}, 100 ids per request is the validated maximum, and an empty list is a 400.
 */
final class CallIdBatches {
  private CallIdBatches() {}

  /**
   * De-duplicates (keeping first occurrence order) and splits into batches of at most {@code
   * max}; an empty input gives no batches (Gong answers 400 to {@code callIds: []}).
   *
   * @throws IllegalArgumentException for a null or blank id
   */
  static List<List<String>> split(List<String> callIds, int max) {
    Objects.requireNonNull(callIds, "callIds");
    Set<String> unique = new LinkedHashSet<>();
    for (int i = 0; i < callIds.size(); i++) {
      String id = callIds.get(i);
      if (id == null || id.isBlank()) {
        throw new IllegalArgumentException("callIds[" + i + "] is null or blank");
      }
      unique.add(id.trim());
    }
    return Lists.partition(new ArrayList<>(unique), max);
  }
}
