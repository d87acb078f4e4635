package com.gongpipeline.transforms;

import com.gongpipeline.errors.DeadLetter;
import com.gongpipeline.errors.DeadLetterStage;
import com.gongpipeline.errors.FailureKind;
import com.gongpipeline.errors.PipelineException;
import com.gongpipeline.metrics.MetricNames;
import com.gongpipeline.metrics.MirroredDistribution;
import com.gongpipeline.warehouse.MergeResult;
import com.gongpipeline.warehouse.WarehouseMetrics;
import com.gongpipeline.warehouse.Warehouse;
import com.gongpipeline.warehouse.WarehouseProvider;
import com.gongpipeline.warehouse.WarehouseRow;
import com.gongpipeline.warehouse.WarehouseRowCoder;
import com.gongpipeline.warehouse.WarehouseTable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Gauge;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TupleTag;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MERGEs one batch of rows into their table. The warehouse retries transient failures itself
 * (through its {@link com.gongpipeline.errors.RetryPolicy}), so this DoFn does not retry around
 * it. When the batch fails for good:
 *
 * <ul>
 *   <li>{@link FailureKind#PERMANENT} (a row the warehouse can never accept): rows are merged one at
 *       a time, so only the rows that really cannot be written become dead letters (with the row
 *       as payload and their own failure kind) and the rest land;
 *   <li>any other kind (the database stayed unavailable, credentials refused): every row of the
 *       batch becomes a dead letter with that kind, without asking again row by row.
 * </ul>
 */
final class MergeBatchFn extends DoFn<KV<String, Iterable<byte[]>>, DeadLetter> {
  /** Dead letters: the main output. */
  static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<DeadLetter>() {};
  /** Per batch, the calls whose rows were committed or failed (only with reportCallWrites). */
  static final TupleTag<CallWrites> CALL_WRITES = new TupleTag<CallWrites>() {};

  private static final Logger LOG = LoggerFactory.getLogger(MergeBatchFn.class);
  /** Newest call start merged into STG by this worker JVM (gauges report the latest value set). */
  private static final AtomicLong NEWEST_CALL_START = new AtomicLong(Long.MIN_VALUE);

  private final WarehouseProvider warehouse;
  private final boolean reportCallWrites;
  private final Counter deadLettered = DeadLetterStage.WRITE.counter();
  /** Batches re-merged row by row after a PERMANENT failure (the metric kept its old name). */
  private final Counter olderVersionsSkipped = MetricNames.OLDER_VERSIONS_SKIPPED.counter();
  private final Counter isolatedBatches = Metrics.counter("warehouse", "merge_retries");
  private final MirroredDistribution mergeMillis = MirroredDistribution.of(MetricNames.MERGE_MS);
  private final Gauge newestCallStart = MetricNames.NEWEST_CALL_START.gauge();
  private final Gauge freshnessLag = MetricNames.FRESHNESS_LAG_S.gauge();

  MergeBatchFn(WarehouseProvider warehouse) {
    this(warehouse, false);
  }

  /** With {@code reportCallWrites}, also outputs each batch's {@link CallWrites}. */
  MergeBatchFn(WarehouseProvider warehouse, boolean reportCallWrites) {
    this.warehouse = warehouse;
    this.reportCallWrites = reportCallWrites;
  }

  @ProcessElement
  public void process(@Element KV<String, Iterable<byte[]>> batch,
      MultiOutputReceiver out) throws CoderException {
    WarehouseTable table = WarehouseTable.valueOf(batch.getKey());
    List<WarehouseRow> rows = new ArrayList<>();
    for (byte[] encoded : batch.getValue()) {
      // Encoded by WriteToWarehouse.KeyByTableAsBytesFn with the same coder.
      rows.add(CoderUtils.decodeFromByteArray(WarehouseRowCoder.of(), encoded));
    }
    // What this batch did to its calls: committed rows, failed rows (one failure reported).
    Map<String, Long> committed = new TreeMap<>();
    Map<String, Long> failed = new TreeMap<>();
    try {
      rows = withoutOlderVersions(table, rows);
      if (rows.isEmpty()) {
        return;
      }
      merge(table, rows);
    } catch (RuntimeException e) {
      if (PipelineException.kindOf(e) != FailureKind.PERMANENT) {
        LOG.warn("MERGE of {} rows into {} failed ({}): {}", rows.size(), table.qualifiedName(),
            PipelineException.kindOf(e), e.toString());
        for (WarehouseRow row : rows) {
          deadLetter(table, row, e, attempts(e), out, failed);
        }
        reportCallWrites(table, committed, failed, e, out);
        return;
      }
      LOG.warn("Isolating failing rows of {} after: {}", table.qualifiedName(), e.toString());
      isolate(table, rows, out);
      return;
    }
    rows.forEach(r -> byCall(r, committed));
    reportCallWrites(table, committed, failed, null, out);
  }

  /** Merges the rows one at a time, so only those that cannot be written are dead letters. */
  private void isolate(WarehouseTable table, List<WarehouseRow> rows, MultiOutputReceiver out) {
    Map<String, Long> committed = new TreeMap<>();
    Map<String, Long> failed = new TreeMap<>();
    @Nullable RuntimeException failure = null;
    isolatedBatches.inc();
    for (WarehouseRow row : rows) {
      try {
        merge(table, List.of(row));
        byCall(row, committed);
      } catch (RuntimeException e) {
        deadLetter(table, row, e, 1 + attempts(e), out, failed);
        failure = e;
      }
    }
    // A call with one row failed is not committed, even if its other rows landed.
    committed.keySet().removeAll(failed.keySet());
    reportCallWrites(table, committed, failed, failure, out);
  }

  /** Adds the row's call with its version (the newest per call) to {@code calls}. */
  private static void byCall(WarehouseRow row, Map<String, Long> calls) {
    String call = CallWrites.callIdOf(row);
    if (call != null) {
      long v = row.callVersion() == null ? 0L : row.callVersion();
      calls.merge(call, v, Math::max);
    }
  }

  private void reportCallWrites(WarehouseTable table, Map<String, Long> committed,
      Map<String, Long> failed, @Nullable RuntimeException e, MultiOutputReceiver out) {
    if (reportCallWrites && (!committed.isEmpty() || !failed.isEmpty())) {
      // The failure as its dead letters state it.
      String error = e == null ? null
          : DeadLetter.of(DeadLetterStage.WRITE, table.qualifiedName(), e, null, 1).errorMessage();
      out.get(CALL_WRITES).output(new CallWrites(table, committed, failed, error,
          e == null ? null : PipelineException.kindOf(e).name()));
    }
  }

  private void deadLetter(WarehouseTable table, WarehouseRow row, RuntimeException e,
      int attempts, MultiOutputReceiver out, Map<String, Long> failed) {
    deadLettered.inc();
    byCall(row, failed);
    out.get(DEAD_LETTERS).output(DeadLetter.of(DeadLetterStage.WRITE,
        table.qualifiedName() + ":" + row.keyString(), e, WarehouseRows.payloadJson(row),
        attempts));
  }

  private static int attempts(RuntimeException e) {
    return e instanceof PipelineException p ? p.attempts() : 1;
  }

  /**
   * The rows of a call's child table (turns, parties, topics, chunks) minus those of an older
   * version of their call than the newest one stored in STG_GONG_CALLS, stored in the table itself
   * (turns and chunks carry CALL_VERSION) or present in this batch:
   * the stream can deliver an older fetch after a newer one, and its rows must not come back.
   * STG_GONG_CALLS itself is guarded inside its MERGE ({@link WarehouseTable#versionColumn()}).
   */
  List<WarehouseRow> withoutOlderVersions(WarehouseTable table, List<WarehouseRow> rows) {
    String parent = callColumn(table);
    if (parent == null) {
      return rows;
    }
    Map<String, Long> newest = new HashMap<>();
    for (WarehouseRow row : rows) {
      if (row.callVersion() != null && row.get(parent) instanceof String call) {
        newest.merge(call, row.callVersion(), Math::max);
      }
    }
    if (newest.isEmpty()) {
      return rows;
    }
    try (Warehouse wh = warehouse.open()) {
      wh.storedCallVersions(newest.keySet()).forEach((call, v) -> newest.merge(call, v, Math::max));
      if (table.versionColumn() != null) {
        // Turns and chunks carry their call's version (sql 120): a newer version's rows that
        // landed before its STG_GONG_CALLS row keep an older version's rows out too.
        wh.storedChildVersions(table, parent, newest.keySet())
            .forEach((call, v) -> newest.merge(call, v, Math::max));
      }
    }
    List<WarehouseRow> kept = new ArrayList<>(rows.size());
    for (WarehouseRow row : rows) {
      Long v = row.callVersion();
      if (v != null && row.get(parent) instanceof String call && v < newest.get(call)) {
        olderVersionsSkipped.inc();
      } else {
        kept.add(row);
      }
    }
    return kept;
  }

  /** The column naming the call in a child table of a call, or null for other tables. */
  static String callColumn(WarehouseTable table) {
    return switch (table) {
      case STG_TRANSCRIPTS, STG_PARTICIPANTS, STG_TOPICS, STG_TRACKERS, STG_TRACKER_OCCURRENCES ->
          "CALL_ID";
      case MEMORY_RECORDS -> "SOURCE_ID";
      default -> null;
    };
  }

  /** Freshness: the newest call start now in STG, and how far behind the clock it is. */
  private void recordFreshness(List<WarehouseRow> rows) {
    Instant newest = null;
    for (WarehouseRow row : rows) {
      if (row.get("CALL_DATETIME_UTC") instanceof Instant started
          && (newest == null || started.isAfter(newest))) {
        newest = started;
      }
    }
    if (newest != null) {
      long newestSeen = NEWEST_CALL_START.accumulateAndGet(newest.getEpochSecond(), Math::max);
      newestCallStart.set(newestSeen);
      freshnessLag.set(Math.max(0, Instant.now().getEpochSecond() - newestSeen));
    }
  }

  /**
   * Opens the warehouse for this batch only ({@link WarehouseProvider}), so a long-running job does
   * not hold an embedded database file between batches (DuckDB lets one process open a file;
   * readers such as {@code search} get in between).
   */
  private void merge(WarehouseTable table, List<WarehouseRow> rows) {
    long start = System.currentTimeMillis();
    MergeResult r;
    try (Warehouse wh = warehouse.open()) {
      r = wh.merge(table, rows);
    }
    mergeMillis.update(System.currentTimeMillis() - start);
    WarehouseMetrics.rowsInserted(table).counter().inc(r.inserted());
    WarehouseMetrics.rowsUpdated(table).counter().inc(r.updated());
    WarehouseMetrics.rowsMerged(table).counter().inc(rows.size());
    if (table == WarehouseTable.STG_CALLS) {
      recordFreshness(rows);
    }
  }
}
