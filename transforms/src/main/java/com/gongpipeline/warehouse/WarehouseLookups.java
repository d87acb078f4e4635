package com.gongpipeline.warehouse;

import java.util.Collection;
import java.util.Map;

/**
 * What is already stored for some calls, so unchanged chunks, turns and payloads are not embedded,
 * scored or re-processed again.
 *
 * <p>One role of the {@link Warehouse} facade; a caller that needs only this role declares this
 * type. Failures are {@link WarehouseException}s with a {@link
 * com.gongpipeline.errors.FailureKind} (see {@link Warehouse}).
 */
public interface WarehouseLookups {
  /**
   * What AI_MEMORY.MEMORY_RECORDS holds for these calls (by SOURCE_ID), keyed by MEMORY_ID, so
   * that unchanged chunks (same content hash and embedding model) reuse their stored embedding
   * and sentiment instead of being embedded again. Ids are bound in batches; any number works.
   */
  Map<String, StoredChunk> storedChunks(Collection<String> callIds);

  /**
   * The stored speaker turns of these calls, keyed by {@code TRANSCRIPT_ID}, with their call's
   * sentiment model (ids bound in batches).
   */
  Map<String, StoredTurn> storedTurns(Collection<String> callIds);

  /**
   * The stored summaries of these calls ({@code STG_GONG_CALLS.CALL_SUMMARY}, its method and
   * input hash), keyed by CALL_ID, so an unchanged call is not summarised again.
   */
  Map<String, StoredSummary> storedSummaries(Collection<String> callIds);

  /**
   * CALL_ID (the table's key) → PAYLOAD_HASH of those ids present in a RAW table (e.g. {@link
   * WarehouseTable#RAW_CALLS}, {@link WarehouseTable#RAW_TRANSCRIPTS}), to skip re-processing
   * objects whose payload did not change. Ids are bound in batches; any number works.
   *
   * @throws IllegalArgumentException if {@code rawTable} is not a RAW table with PAYLOAD_HASH
   */
  Map<String, String> payloadHashes(WarehouseTable rawTable, Collection<String> callIds);
}
