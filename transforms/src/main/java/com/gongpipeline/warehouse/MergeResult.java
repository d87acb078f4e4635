package com.gongpipeline.warehouse;

import java.io.Serializable;

/**
 * What one {@link Warehouse#merge} did: rows inserted, rows updated (a non-volatile column
 * changed), and rows left unchanged. Counts are per distinct key after in-batch de-duplication,
 * so {@code total()} can be smaller than the number of rows passed in.
 */
public record MergeResult(long inserted, long updated, long unchanged) implements Serializable {

  /** Nothing merged. */
  public static final MergeResult EMPTY = new MergeResult(0, 0, 0);

  /** Distinct keys seen by the merge. */
  public long total() {
    return inserted + updated + unchanged;
  }

  /** Rows that the merge wrote (inserted or updated). */
  public long written() {
    return inserted + updated;
  }

  /** Sum of two results, e.g. over the bundles of one job. */
  public MergeResult plus(MergeResult other) {
    return new MergeResult(
        inserted + other.inserted, updated + other.updated, unchanged + other.unchanged);
  }
}
