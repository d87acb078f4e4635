package com.gongpipeline.warehouse;

import java.io.Serializable;

/**
 * What one {@link Warehouse#merge} or {@link Warehouse#replaceChildren} did: rows inserted, rows
 * updated (a non-volatile column changed), rows left unchanged, and rows deleted (only {@code
 * replaceChildren} deletes: existing children whose keys are not among the new rows). The first
 * three counts are per distinct key after in-batch de-duplication, so {@code total()} can be
 * smaller than the number of rows passed in.
 */
public record MergeResult(long inserted, long updated, long unchanged, long deleted)
    implements Serializable {

  /** Nothing merged. */
  public static final MergeResult EMPTY = new MergeResult(0, 0, 0, 0);

  /** A result without deletions (what {@link Warehouse#merge} returns). */
  public MergeResult(long inserted, long updated, long unchanged) {
    this(inserted, updated, unchanged, 0);
  }

  /** Distinct keys seen by the merge (deleted rows are not among them). */
  public long total() {
    return inserted + updated + unchanged;
  }

  /** Rows that the merge wrote (inserted or updated). */
  public long written() {
    return inserted + updated;
  }

  /** Rows the operation changed in any way: inserted, updated or deleted. */
  public long changed() {
    return inserted + updated + deleted;
  }

  /** Sum of two results, e.g. over the bundles of one job. */
  public MergeResult plus(MergeResult other) {
    return new MergeResult(inserted + other.inserted, updated + other.updated,
        unchanged + other.unchanged, deleted + other.deleted);
  }
}
