package com.gongpipeline.warehouse;

import java.util.List;
import java.util.Set;

/**
 * Semantic search over {@code AI_MEMORY.MEMORY_RECORDS}.
 *
 * <p>One role of the {@link Warehouse} facade; a caller that needs only this role declares this
 * type. Failures are {@link WarehouseException}s with a {@link
 * com.gongpipeline.errors.FailureKind} (see {@link Warehouse}).
 */
public interface WarehouseSearch {
  /**
   * Top-k memory records by cosine similarity to the query vector, comparing only rows embedded
   * with the query's model and dimension, after the optional account/since/affiliation filters.
   */
  List<SearchHit> search(SearchQuery query);

  /** The distinct embedding models present in AI_MEMORY (e.g. to tell the user what to query with). */
  Set<String> embeddingModels();

  /**
   * Every call vector of {@code AI_MEMORY.CALL_VECTORS} whose call is neither deleted nor private
   * in {@code STG_GONG_CALLS}, with the call's title, start, account and deal ids.
   */
  java.util.List<StoredCallVector> callVectors();
}
