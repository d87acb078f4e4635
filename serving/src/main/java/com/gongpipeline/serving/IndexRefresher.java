package com.gongpipeline.serving;

import com.gongpipeline.warehouse.Warehouse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a {@link HybridIndex} equal to the visible AI_MEMORY rows of one embedding model,
 * incrementally: each {@link #refresh()} opens the warehouse, re-indexes only the calls with a
 * chunk loaded after the index's high-water mark (max LOADED_AT seen, less {@link #OVERLAP} for
 * writers whose LOADED_AT is older than their commit) or whose STG_GONG_CALLS row changed after the
 * calls' mark (deleted or made private in Gong, re-fetched with fewer chunks), and closes the
 * warehouse again (a DuckDB file is shared with a running stream by taking turns). When the
 * visible row count then differs from the index's size, the ids are reconciled in full.
 */
public final class IndexRefresher {
  private static final Logger LOG = LoggerFactory.getLogger(IndexRefresher.class);
  /** Rows loaded this long before the mark are read again (idempotent). */
  static final Duration OVERLAP = Duration.ofMinutes(2);

  private final Supplier<Warehouse> warehouse;
  private final HybridIndex index;
  private final MemoryRows rows;
  private final Clock clock;
  private @Nullable Instant memoryMark;
  private @Nullable Instant callsMark;
  private volatile @Nullable Instant lastRefresh;
  private volatile long refreshes;
  private volatile long lastChangedCalls;

  /** What one refresh did. */
  public record Result(int callsReindexed, int chunksRemoved, boolean reconciled, long tookMs) {}

  public IndexRefresher(Supplier<Warehouse> warehouse, HybridIndex index, String model,
      Clock clock) {
    this.warehouse = warehouse;
    this.index = index;
    this.rows = new MemoryRows(model, index.dimension());
    this.clock = clock;
  }

  /** Brings the index up to date with the warehouse; the first call builds it. */
  public synchronized Result refresh() {
    long t0 = System.nanoTime();
    try (Warehouse wh = warehouse.get()) {
      MemoryRows.Marks marks = rows.marks(wh);
      Set<String> changed = rows.changedCalls(wh, minus(memoryMark), minus(callsMark));
      if (memoryMark == null && callsMark == null) {
        changed.addAll(index.callIds()); // first build: nothing stale survives
      }
      List<String> ids = new ArrayList<>(changed);
      for (int i = 0; i < ids.size(); i += MemoryRows.ID_BATCH) {
        List<String> batch = ids.subList(i, Math.min(ids.size(), i + MemoryRows.ID_BATCH));
        index.replaceCalls(batch, rows.chunksOf(wh, batch));
      }
      int removed = 0;
      boolean reconciled = false;
      if (rows.visibleCount(wh) != index.size()) {
        reconciled = true;
        Map<String, String> visible = rows.visibleIds(wh);
        Set<String> stale = new HashSet<>(index.memoryIds());
        stale.removeAll(visible.keySet());
        index.deleteMemoryIds(stale);
        removed = stale.size();
        Set<String> missingCalls = new LinkedHashSet<>();
        Set<String> have = index.memoryIds();
        visible.forEach((m, c) -> {
          if (!have.contains(m)) {
            missingCalls.add(c);
          }
        });
        List<String> missing = new ArrayList<>(missingCalls);
        for (int i = 0; i < missing.size(); i += MemoryRows.ID_BATCH) {
          List<String> batch = missing.subList(i, Math.min(missing.size(), i + MemoryRows.ID_BATCH));
          index.replaceCalls(batch, rows.chunksOf(wh, batch));
        }
      }
      memoryMark = later(memoryMark, marks.memory());
      callsMark = later(callsMark, marks.calls());
      lastRefresh = clock.instant();
      refreshes++;
      lastChangedCalls = changed.size();
      Result r = new Result(changed.size(), removed, reconciled,
          (System.nanoTime() - t0) / 1_000_000);
      if (r.callsReindexed() > 0 || r.reconciled()) {
        LOG.info("index refreshed: {} call(s) re-indexed, {} chunk(s) removed{}, {} chunks, {} ms",
            r.callsReindexed(), r.chunksRemoved(), r.reconciled() ? " (reconciled)" : "",
            index.size(), r.tookMs());
      }
      return r;
    }
  }

  /** The newest AI_MEMORY LOADED_AT indexed, or null before the first refresh / when empty. */
  public @Nullable Instant memoryMark() {
    return memoryMark;
  }

  public @Nullable Instant lastRefresh() {
    return lastRefresh;
  }

  public long refreshes() {
    return refreshes;
  }

  public long lastChangedCalls() {
    return lastChangedCalls;
  }

  private static @Nullable Instant minus(@Nullable Instant mark) {
    return mark == null ? null : mark.minus(OVERLAP);
  }

  private static @Nullable Instant later(@Nullable Instant a, @Nullable Instant b) {
    if (a == null) {
      return b;
    }
    return b == null || a.isAfter(b) ? a : b;
  }
}
