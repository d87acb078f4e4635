package com.gongpipeline.transforms;

import com.gongpipeline.errors.DeadLetter;
import com.gongpipeline.warehouse.MergeResult;
import com.gongpipeline.warehouse.Warehouse;
import com.gongpipeline.warehouse.WarehouseRow;
import com.gongpipeline.warehouse.WarehouseTable;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
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

  private final String jdbcUrl;
  private final Counter deadLettered = Metrics.counter("pipeline", "dead_letters_write");
  private final Counter mergeRetries = Metrics.counter("warehouse", "merge_retries");
  private final Distribution mergeMillis = Metrics.distribution("warehouse", "merge_ms");
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
        out.output(DeadLetter.of("write", table.qualifiedName() + ":" + row.keyString(), e,
            WarehouseRows.payloadJson(row), BATCH_ATTEMPTS + 1));
      }
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
    Metrics.counter("warehouse", "rows_inserted_" + table.name()).inc(r.inserted());
    Metrics.counter("warehouse", "rows_updated_" + table.name()).inc(r.updated());
    Metrics.counter("warehouse", "rows_merged_" + table.name()).inc(rows.size());
  }
}
