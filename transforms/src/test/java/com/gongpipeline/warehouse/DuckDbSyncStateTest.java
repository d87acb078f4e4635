package com.gongpipeline.warehouse;

import com.gongpipeline.testing.MutableClock;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** High-water marks (OPS_MONITORING.SYNC_STATE) and writer leases (SYNC_LEASE) on real DuckDB. */
class DuckDbSyncStateTest {
  private static final Instant NOW = Instant.parse("2024-06-01T12:00:00.000001Z");
  private static final Duration TTL = Duration.ofMinutes(10);
  private static final int THREADS = 8;

  private final MutableClock clock = new MutableClock(NOW);
  private String url;
  private DuckDbWarehouse wh;

  @BeforeEach
  void open() {
    url = TestRows.memoryUrl();
    wh = new DuckDbWarehouse(url, OpenOptions.defaults(), clock);
    wh.applySchema();
  }

  @AfterEach
  void close() {
    wh.close();
  }

  @Test
  void highWaterMarkOnlyMovesForward() {
    Instant t1 = Instant.parse("2024-05-01T00:00:00Z");
    assertThat(wh.highWaterMark("gong_calls"), is(Optional.empty()));

    assertThat("first mark is stored", wh.advanceHighWaterMark("gong_calls", t1, "job-1"), is(true));
    assertThat(wh.highWaterMark("gong_calls"), is(Optional.of(t1)));
    assertThat(state("gong_calls"), is(List.of(Map.of("HIGH_WATER_MARK", t1, "UPDATED_AT", NOW,
        "JOB_ID", "job-1"))));

    clock.advance(Duration.ofMinutes(1));
    assertThat("an earlier mark is a no-op",
        wh.advanceHighWaterMark("gong_calls", t1.minusSeconds(1), "job-2"), is(false));
    assertThat("the same mark is a no-op", wh.advanceHighWaterMark("gong_calls", t1, "job-2"),
        is(false));
    assertThat("no-ops leave job and time alone", state("gong_calls"), is(List.of(Map.of(
        "HIGH_WATER_MARK", t1, "UPDATED_AT", NOW, "JOB_ID", "job-1"))));

    Instant t2 = t1.plusNanos(1_000); // one microsecond later
    assertThat(wh.advanceHighWaterMark("gong_calls", t2, "job-3"), is(true));
    assertThat(state("gong_calls"), is(List.of(Map.of("HIGH_WATER_MARK", t2,
        "UPDATED_AT", NOW.plus(Duration.ofMinutes(1)), "JOB_ID", "job-3"))));
    assertThat("sub-microsecond digits are cut, so this is not later",
        wh.advanceHighWaterMark("gong_calls", t2.plusNanos(999), "job-4"), is(false));

    assertThat("syncs are independent", wh.highWaterMark("gong_users"), is(Optional.empty()));
    assertThat(wh.advanceHighWaterMark("gong_users", t1.minusSeconds(3600), "job-5"), is(true));
    assertThat(wh.highWaterMark("gong_calls"), is(Optional.of(t2)));
    assertThat(wh.count(WarehouseTable.STG_CALLS), is(0L));
  }

  /** A cleared mark is gone for that sync only, and the next advance may start from anywhere. */
  @Test
  void clearingAMarkLetsItStartOver() {
    Instant t1 = Instant.parse("2024-05-01T00:00:00Z");
    wh.advanceHighWaterMark("backfill a/b", t1, "job-1");
    wh.advanceHighWaterMark("gong_calls", t1, "job-1");
    assertThat(wh.clearHighWaterMark("backfill a/b"), is(true));
    assertThat(wh.clearHighWaterMark("backfill a/b"), is(false));
    assertThat(wh.highWaterMark("backfill a/b"), is(Optional.empty()));
    assertThat("other syncs keep their marks", wh.highWaterMark("gong_calls"),
        is(Optional.of(t1)));
    assertThat(wh.advanceHighWaterMark("backfill a/b", t1.minusSeconds(60), "job-2"), is(true));
    assertThat(wh.highWaterMark("backfill a/b"), is(Optional.of(t1.minusSeconds(60))));
  }

  /** Threads advance to shuffled marks; a reader never sees the mark go back; the max wins. */
  @Test
  void concurrentAdvancesEndAtTheMaximumAndNeverGoBack() throws Exception {
    Instant base = Instant.parse("2024-01-01T00:00:00Z");
    List<Instant> seen = new CopyOnWriteArrayList<>();
    AtomicBoolean done = new AtomicBoolean();
    Thread reader = new Thread(() -> {
      while (!done.get()) {
        wh.highWaterMark("s").ifPresent(seen::add);
      }
    });
    reader.start();
    List<Integer> wins = runAll(t -> {
      List<Integer> marks = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        marks.add(i * THREADS + t);
      }
      Collections.shuffle(marks, new java.util.Random(t));
      int won = 0;
      try (Warehouse w = new DuckDbWarehouse(url, OpenOptions.defaults(), clock)) {
        for (int m : marks) {
          won += w.advanceHighWaterMark("s", base.plusSeconds(m), "job-" + t) ? 1 : 0;
        }
      }
      return won;
    });
    done.set(true);
    reader.join();
    assertThat(wh.highWaterMark("s"), is(Optional.of(base.plusSeconds(40 * THREADS - 1))));
    assertThat("at least the maximum was an advance", wins.stream().mapToInt(i -> i).sum() >= 1,
        is(true));
    for (int i = 1; i < seen.size(); i++) {
      if (seen.get(i).isBefore(seen.get(i - 1))) {
        throw new AssertionError("mark went back from " + seen.get(i - 1) + " to " + seen.get(i));
      }
    }
  }

  @Test
  void leaseLifecycle() {
    Optional<Lease> l = wh.tryAcquireLease("gong_calls", "job-1", TTL);
    assertThat(l, is(Optional.of(new Lease("gong_calls", "job-1", NOW.plus(TTL)))));
    assertThat(lease("gong_calls"), is(Map.of("OWNER_JOB_ID", "job-1", "ACQUIRED_AT", NOW,
        "EXPIRES_AT", NOW.plus(TTL), "HEARTBEAT_AT", NOW)));

    clock.advance(Duration.ofMinutes(1));
    assertThat("another job cannot take a live lease",
        wh.tryAcquireLease("gong_calls", "job-2", TTL), is(Optional.empty()));
    assertThat("another job cannot renew it", wh.renewLease("gong_calls", "job-2", TTL), is(false));
    wh.releaseLease("gong_calls", "job-2");
    assertThat("nor release it; the row is as before", lease("gong_calls").get("OWNER_JOB_ID"),
        is("job-1"));
    assertThat(lease("gong_calls").get("EXPIRES_AT"), is(NOW.plus(TTL)));

    Instant t1 = clock.instant();
    assertThat("the owner may re-acquire (extends it)",
        wh.tryAcquireLease("gong_calls", "job-1", TTL).map(Lease::expiresAt),
        is(Optional.of(t1.plus(TTL))));
    assertThat("...keeping when it first took it", lease("gong_calls").get("ACQUIRED_AT"), is(NOW));
    clock.advance(Duration.ofMinutes(2));
    Instant t2 = clock.instant();
    assertThat(wh.renewLease("gong_calls", "job-1", TTL), is(true));
    assertThat(lease("gong_calls"), is(Map.of("OWNER_JOB_ID", "job-1", "ACQUIRED_AT", NOW,
        "EXPIRES_AT", t2.plus(TTL), "HEARTBEAT_AT", t2)));

    assertThat("other leases are independent", wh.tryAcquireLease("gong_users", "job-2", TTL)
        .isPresent(), is(true));

    clock.advance(TTL.minusNanos(1_000));
    assertThat("one microsecond before expiry it is still held",
        wh.tryAcquireLease("gong_calls", "job-2", TTL), is(Optional.empty()));
    clock.advance(Duration.ofNanos(1_000));
    Instant expiry = clock.instant();
    assertThat("the owner cannot renew an expired lease",
        wh.renewLease("gong_calls", "job-1", TTL), is(false));
    assertThat("at its expiry instant anyone may take it over",
        wh.tryAcquireLease("gong_calls", "job-2", TTL),
        is(Optional.of(new Lease("gong_calls", "job-2", expiry.plus(TTL)))));
    assertThat(lease("gong_calls"), is(Map.of("OWNER_JOB_ID", "job-2", "ACQUIRED_AT", expiry,
        "EXPIRES_AT", expiry.plus(TTL), "HEARTBEAT_AT", expiry)));
    assertThat("the old owner has lost it", wh.renewLease("gong_calls", "job-1", TTL), is(false));
    wh.releaseLease("gong_calls", "job-1");
    assertThat(lease("gong_calls").get("OWNER_JOB_ID"), is("job-2"));

    wh.releaseLease("gong_calls", "job-2");
    assertThat(wh.query("SELECT * FROM OPS_MONITORING.SYNC_LEASE WHERE LEASE_NAME = ?",
        "gong_calls"), is(empty()));
    assertThat("a released lease is free at once", wh.tryAcquireLease("gong_calls", "job-3", TTL)
        .isPresent(), is(true));

    assertThrows(IllegalArgumentException.class,
        () -> wh.tryAcquireLease("gong_calls", "job-3", Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> wh.tryAcquireLease("x", " ", TTL));
  }

  /** Many acquirers at once, each with its own warehouse: exactly one wins, for a free lease and for an expired one. */
  @Test
  void exactlyOneOfManyConcurrentAcquirersWins() throws Exception {
    AtomicLong retries = new AtomicLong();
    for (int round = 0; round < 6; round++) {
      String name = "lease-" + round;
      boolean expiredTakeover = round % 2 == 1;
      if (expiredTakeover) {
        assertThat(wh.tryAcquireLease(name, "job-dead", Duration.ofSeconds(1)).isPresent(),
            is(true));
        clock.advance(Duration.ofSeconds(2));
      }
      CyclicBarrier start = new CyclicBarrier(THREADS);
      List<Integer> won = runAll(t -> {
        try (DuckDbWarehouse w = new DuckDbWarehouse(url, OpenOptions.defaults(), clock)) {
          start.await();
          int got = w.tryAcquireLease(name, "job-" + t, TTL).isPresent() ? 1 : 0;
          retries.addAndGet(w.retries());
          return got;
        }
      });
      assertThat("round " + round + ": exactly one winner", won.stream().mapToInt(i -> i).sum(),
          is(1));
      String owner = "job-" + won.indexOf(1);
      assertThat(wh.query("SELECT OWNER_JOB_ID FROM OPS_MONITORING.SYNC_LEASE WHERE LEASE_NAME = ?",
          name), contains(Map.of("OWNER_JOB_ID", owner)));
    }
    assertThat("the per-table lock kept DuckDB from ever conflicting", retries.get(), is(0L));
  }

  private List<Map<String, Object>> state(String sync) {
    return wh.query("SELECT HIGH_WATER_MARK, UPDATED_AT, JOB_ID FROM OPS_MONITORING.SYNC_STATE"
        + " WHERE SYNC_NAME = ?", sync);
  }

  private Map<String, Object> lease(String name) {
    List<Map<String, Object>> rows = wh.query("SELECT OWNER_JOB_ID, ACQUIRED_AT, EXPIRES_AT,"
        + " HEARTBEAT_AT FROM OPS_MONITORING.SYNC_LEASE WHERE LEASE_NAME = ?", name);
    assertThat(rows.size(), is(1));
    return rows.get(0);
  }

  private static List<Integer> runAll(ThreadTask task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<Integer>> futures = new ArrayList<>();
      for (int i = 0; i < THREADS; i++) {
        int t = i;
        futures.add(pool.submit((Callable<Integer>) () -> task.run(t)));
      }
      List<Integer> results = new ArrayList<>();
      for (Future<Integer> f : futures) {
        results.add(f.get(60, TimeUnit.SECONDS));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  private interface ThreadTask {
    Integer run(int thread) throws Exception;
  }
}
