package com.gongpipeline.warehouse;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bulk-speed sanity check (not a timed assertion; machines differ): 20k AI_MEMORY rows with
 * 384-d vectors into a DuckDB file, first as inserts, then the same rows again (all unchanged),
 * then all changed (updates), then in 1k-row batches as a pipeline bundle would send them. Rates
 * go to the test log.
 */
class MergeSpeedTest {
  private static final Logger LOG = LoggerFactory.getLogger(MergeSpeedTest.class);
  private static final int ROWS = 20_000;

  @Test
  void twentyThousandVectorRows(@TempDir Path dir) {
    List<WarehouseRow> rows = new ArrayList<>(ROWS);
    for (int i = 0; i < ROWS; i++) {
      String text = "chunk " + i + " we talked about pricing, the renewal date and next steps.";
      rows.add(TestRows.memory("call" + (i / 20), i % 20, text, TestRows.vector(384, i))
          .set("SPEAKER_NAME", "Speaker " + (i % 3))
          .set("AFFILIATION", i % 2 == 0 ? "Internal" : "External")
          .set("START_MS", i * 1000L).set("END_MS", i * 1000L + 900L)
          .set("METADATA", new WarehouseRow.Json("{\"title\":\"Call " + (i / 20) + "\"}"))
          .build());
    }
    try (Warehouse wh = Warehouse.open("jdbc:duckdb:" + dir.resolve("speed.duckdb"))) {
      wh.applySchema();
      MergeResult first = timed("insert, one batch", rows.size(),
          () -> wh.merge(WarehouseTable.MEMORY_RECORDS, rows));
      assertThat(first, is(new MergeResult(ROWS, 0, 0)));

      MergeResult again = timed("re-merge unchanged, one batch", rows.size(),
          () -> wh.merge(WarehouseTable.MEMORY_RECORDS, rows));
      assertThat(again, is(new MergeResult(0, 0, ROWS)));

      List<WarehouseRow> changed = new ArrayList<>(ROWS);
      for (WarehouseRow r : rows) {
        WarehouseRow.Builder b = WarehouseRow.of(WarehouseTable.MEMORY_RECORDS);
        r.values().forEach(b::set);
        changed.add(b.set("SENTIMENT_SCORE", 0.25).build());
      }
      MergeResult updated = timed("update all, one batch", rows.size(),
          () -> wh.merge(WarehouseTable.MEMORY_RECORDS, changed));
      assertThat(updated, is(new MergeResult(0, ROWS, 0)));

      wh.deleteWhere(WarehouseTable.MEMORY_RECORDS, "SOURCE_ID",
          rows.stream().map(r -> (String) r.get("SOURCE_ID")).distinct().toList());
      MergeResult batched = timed("insert, 1000-row batches", rows.size(), () -> {
        MergeResult sum = MergeResult.EMPTY;
        for (int i = 0; i < ROWS; i += 1000) {
          sum = sum.plus(wh.merge(WarehouseTable.MEMORY_RECORDS, rows.subList(i, i + 1000)));
        }
        return sum;
      });
      assertThat(batched, is(new MergeResult(ROWS, 0, 0)));
      assertThat(wh.count(WarehouseTable.MEMORY_RECORDS), is((long) ROWS));

      float[] q = TestRows.vector(384, 12_345);
      long t0 = System.nanoTime();
      List<SearchHit> hits = wh.search(SearchQuery.builder(q, "e5-small-v2").k(5).build());
      LOG.info("search top-5 over {} x 384: {} ms", ROWS, (System.nanoTime() - t0) / 1_000_000);
      assertThat(hits.get(0).memoryId(), is("gong:call617:5")); // row 12345 is its own best match
    }
  }

  private static MergeResult timed(String what, int n, java.util.function.Supplier<MergeResult> r) {
    long t0 = System.nanoTime();
    MergeResult result = r.get();
    double secs = (System.nanoTime() - t0) / 1e9;
    String line = String.format("merge speed, %s: %d rows x 384-d in %.2f s = %.0f rows/s (%s)",
        what, n, secs, n / secs, result);
    LOG.info(line);
    System.out.println(line);
    return result;
  }
}
