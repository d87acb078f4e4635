package com.gongpipeline.transforms;

import com.gongpipeline.errors.DeadLetter;
import com.gongpipeline.errors.DeadLetterStage;
import com.gongpipeline.metrics.MetricNames;
import com.gongpipeline.metrics.MirroredDistribution;
import com.gongpipeline.warehouse.MergeResult;
import com.gongpipeline.warehouse.Warehouse;
import com.gongpipeline.warehouse.WarehouseRow;
import com.gongpipeline.warehouse.WarehouseTable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Gauge;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MERGEs one batch of rows into their table. A failing batch is retried; if it still fails, rows
 * are merged one at a time so that only the rows that really cannot be written become dead
 * letters (with the row as payload) and the rest land.
 */
final class MergeBatchFn extends DoFn<KV<String, Iterable<WarehouseRow>>, DeadLetter> {
  private static final Logger LOG = LoggerFactory.getLogger(MergeBatchFn.class);
  static final int BATCH_ATTEMPTS = 3;
  /** Newest call start merged into STG by this worker JVM (gauges report the latest value set). */
  private static final AtomicLong NEWEST_CALL_START = new AtomicLong(Long.MIN_VALUE);

  private final String jdbcUrl;
  private final Counter deadLettered = DeadLetterStage.WRITE.counter();
  private final Counter mergeRetries = Metrics.counter("warehouse", "merge_retries");
  private final MirroredDistribution mergeMillis = MirroredDistribution.of(MetricNames.MERGE_MS);
  private final Gauge newestCallStart = MetricNames.NEWEST_CALL_START.gauge();
  private final Gauge freshnessLag = MetricNames.FRESHNESS_LAG_S.gauge();

  MergeBatchFn(String jdbcUrl) {
    this.jdbcUrl = jdbcUrl;
  }

  @ProcessElement
  public void process(@Element KV<String, Iterable<WarehouseRow>> batch,
      OutputReceiver<DeadLetter> out) throws InterruptedException {
    WarehouseTable table = WarehouseTable.valueOf(batch.getKey());
    List<WarehouseRow> rows = new ArrayList<>();
    batch.getValue().forEach(rows::add);
    RuntimeException last = null;
    for (int attempt = 1; attempt <= BATCH_ATTEMPTS; attempt++) {
      try {
        merge(table, rows);
        return;
      } catch (IllegalArgumentException e) {
        // A row the warehouse can never accept: retrying cannot help, isolate it at once.
        last = e;
        break;
      } catch (RuntimeException e) {
        last = e;
        mergeRetries.inc();
        LOG.warn("MERGE of {} rows into {} failed (attempt {}): {}", rows.size(),
            table.qualifiedName(), attempt, e.toString());
        Thread.sleep(200L * attempt);
      }
    }
    LOG.warn("Isolating failing rows of {} after: {}", table.qualifiedName(), String.valueOf(last));
    for (WarehouseRow row : rows) {
      try {
        merge(table, List.of(row));
      } catch (RuntimeException e) {
        deadLettered.inc();
        out.output(DeadLetter.of(DeadLetterStage.WRITE, table.qualifiedName() + ":" + row.keyString(), e,
            WarehouseRows.payloadJson(row), BATCH_ATTEMPTS + 1));
      }
    }
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
   * Opens the warehouse for this batch only, so a long-running job does not hold an embedded
   * database file between batches (DuckDB lets one process open a file; readers such as
   * {@code search} get in between).
   */
  private void merge(WarehouseTable table, List<WarehouseRow> rows) {
    long start = System.currentTimeMillis();
    MergeResult r;
    try (Warehouse warehouse = Warehouse.open(jdbcUrl)) {
      r = warehouse.merge(table, rows);
    }
    mergeMillis.update(System.currentTimeMillis() - start);
    MetricNames.rowsInserted(table).counter().inc(r.inserted());
    MetricNames.rowsUpdated(table).counter().inc(r.updated());
    MetricNames.rowsMerged(table).counter().inc(rows.size());
    if (table == WarehouseTable.STG_CALLS) {
      recordFreshness(rows);
    }
  }
}
