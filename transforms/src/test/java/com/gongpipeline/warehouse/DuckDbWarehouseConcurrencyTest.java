package com.gongpipeline.warehouse;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Beam runs DoFns on many threads of one JVM: merges from several threads, each with its own
 * {@link Warehouse} on one URL (or sharing one), must all land exactly once.
 */
class DuckDbWarehouseConcurrencyTest {
  private static final int THREADS = 4;

  @Test
  void instancesOnOneUrlShareTheDatabaseUntilTheLastCloses() {
    String url = TestRows.memoryUrl();
    Warehouse a = Warehouse.open(url);
    a.applySchema();
    try (Warehouse b = Warehouse.open(url)) {
      a.merge(WarehouseTable.STG_CALLS, TestRows.stgCalls(0, 3, "t", "j"));
      assertThat(b.count(WarehouseTable.STG_CALLS), is(3L));
      a.close();
      assertThat("b still sees the data after a closed", b.count(WarehouseTable.STG_CALLS), is(3L));
    }
  }

  @Test
  void applySchemaFromManyThreadsAtOnce() throws Exception {
    String url = TestRows.memoryUrl();
    List<Warehouse> whs = new ArrayList<>();
    for (int i = 0; i < THREADS; i++) {
      whs.add(Warehouse.open(url));
    }
    try {
      CyclicBarrier start = new CyclicBarrier(THREADS);
      runAll(i -> {
        start.await();
        whs.get(i).applySchema();
        return MergeResult.EMPTY;
      });
      assertThat(whs.get(0).tableCounts().size(), is(21));
    } finally {
      whs.forEach(Warehouse::close);
    }
  }

  @Test
  void disjointKeysFromFourThreadsWithOwnInstances() throws Exception {
    String url = TestRows.memoryUrl();
    try (Warehouse main = Warehouse.open(url)) {
      main.applySchema();
      List<MergeResult> results = runAll(t -> {
        MergeResult sum = MergeResult.EMPTY;
        try (Warehouse wh = Warehouse.open(url)) {
          for (int batch = 0; batch < 10; batch++) {
            int from = t * 1000 + batch * 100;
            sum = sum.plus(wh.merge(WarehouseTable.STG_CALLS,
                TestRows.stgCalls(from, from + 100, "t", "j" + t)));
          }
        }
        return sum;
      });
      MergeResult total = results.stream().reduce(MergeResult.EMPTY, MergeResult::plus);
      assertThat(total, is(new MergeResult(4000, 0, 0)));
      assertThat(main.count(WarehouseTable.STG_CALLS), is(4000L));
    }
  }

  @Test
  void overlappingKeysFromFourThreadsSharingOneInstance() throws Exception {
    try (DuckDbWarehouse wh = TestRows.openWithSchema()) {
      CyclicBarrier start = new CyclicBarrier(THREADS);
      List<MergeResult> results = runAll(t -> {
        start.await();
        MergeResult sum = MergeResult.EMPTY;
        for (int round = 0; round < 5; round++) {
          // every thread writes the same 300 keys; titles differ per thread and round
          sum = sum.plus(wh.merge(WarehouseTable.STG_CALLS,
              TestRows.stgCalls(0, 300, "t" + t + "r" + round + "-", "j" + t)));
        }
        return sum;
      });
      MergeResult total = results.stream().reduce(MergeResult.EMPTY, MergeResult::plus);
      assertThat("each key is inserted exactly once", total.inserted(), is(300L));
      assertThat("every merged key is accounted for", total.total(), is(THREADS * 5 * 300L));
      assertThat(wh.count(WarehouseTable.STG_CALLS), is(300L));
      assertThat("the per-table write lock prevents conflicts", wh.retries(), is(0L));
      assertThat(TestRows.scalar(wh,
          "SELECT count(DISTINCT CALL_ID) FROM STG_TRANSFORMED.STG_GONG_CALLS"), is(300L));
    }
  }

  /** Runs {@code task(threadIndex)} on {@value #THREADS} threads and returns their results. */
  private static List<MergeResult> runAll(ThreadTask task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<MergeResult>> futures = new ArrayList<>();
      for (int i = 0; i < THREADS; i++) {
        int t = i;
        futures.add(pool.submit((Callable<MergeResult>) () -> task.run(t)));
      }
      List<MergeResult> results = new ArrayList<>();
      for (Future<MergeResult> f : futures) {
        results.add(f.get(60, TimeUnit.SECONDS));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  private interface ThreadTask {
    MergeResult run(int thread) throws Exception;
  }
}
