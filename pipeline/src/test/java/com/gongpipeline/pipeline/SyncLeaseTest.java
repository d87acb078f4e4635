package com.gongpipeline.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.gongpipeline.testing.MutableClock;
import com.gongpipeline.warehouse.DuckDbWarehouse;
import com.gongpipeline.warehouse.JobLog;
import com.gongpipeline.warehouse.OpenOptions;
import com.gongpipeline.warehouse.Warehouse;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The heartbeat lease (issue 11 item 7) on an in-memory DuckDB warehouse whose lease expiry runs
 * on the same {@link MutableClock} as the lease: renewal, a killed run's lease freeing after one
 * TTL, its RUNNING job row marked ABANDONED by the next run, and a run that loses its lease (taken
 * over, or not renewable for a whole TTL) being told to stop.
 */
class SyncLeaseTest {
  private static final String SYNC = "gong_calls";
  private static final Duration TTL = SyncLease.DEFAULT_TTL;
  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

  private final MutableClock clock = new MutableClock(T0);
  private final String url = "jdbc:duckdb::memory:lease-" + System.nanoTime();
  private final AtomicBoolean unreachable = new AtomicBoolean();
  private Warehouse keepOpen;

  @BeforeEach
  void open() {
    keepOpen = new DuckDbWarehouse(url, OpenOptions.defaults(), clock);
    keepOpen.applySchema();
  }

  @AfterEach
  void close() {
    keepOpen.close();
  }

  private Supplier<Warehouse> warehouse() {
    return () -> {
      if (unreachable.get()) {
        throw new IllegalStateException("warehouse unreachable");
      }
      return new DuckDbWarehouse(url, OpenOptions.defaults(), clock);
    };
  }

  private SyncLease acquire(String jobId) {
    return SyncLease.acquire(warehouse(), SYNC, jobId, TTL, clock, false);
  }

  private void running(String jobId) {
    keepOpen.recordJob(JobLog.builder(jobId, "incremental", clock.instant()).build());
  }

  @Test
  void renewsEveryThirdOfTheTtl_sixtySecondsByDefault() {
    assertThat(SyncLease.renewEvery(TTL), equalTo(Duration.ofSeconds(20)));
    assertThat(SyncLease.renewEvery(Duration.ofSeconds(2)), equalTo(Duration.ofSeconds(1)));
  }

  @Test
  void aKilledRunBlocksTheNextForOneTtlThenIsMarkedAbandoned() {
    running("killed");
    SyncLease killed = acquire("killed");
    clock.advance(Duration.ofSeconds(20));
    assertThat(killed.heartbeat(), is(true)); // valid until T0 + 80 s; then the JVM dies
    running("live-check");

    clock.advance(Duration.ofSeconds(59)); // T0 + 79 s
    LeaseHeldException refused =
        assertThrows(LeaseHeldException.class, () -> acquire("too-early"));
    assertThat(refused.getMessage(), containsString("killed"));
    assertThat("a live holder's row is left alone",
        keepOpen.findJob("killed").orElseThrow().status(), is(JobLog.Status.RUNNING));

    clock.advance(Duration.ofSeconds(1)); // T0 + 80 s: expired
    running("next");
    try (SyncLease next = acquire("next")) {
      assertThat(next.isHeld(), is(true));
      JobLog abandoned = keepOpen.findJob("killed").orElseThrow();
      assertThat(abandoned.status(), is(JobLog.Status.ABANDONED));
      assertThat(abandoned.finishedAt(), equalTo(T0.plus(Duration.ofSeconds(80))));
      assertThat(abandoned.errorMessage(), containsString("abandoned by next"));
      assertThat(keepOpen.findJob("next").orElseThrow().status(), is(JobLog.Status.RUNNING));
    }
  }

  @Test
  void aRunWhoseLeaseWasTakenOverLosesItStopsAndDoesNotReleaseTheNewOwners() {
    SyncLease stalled = acquire("stalled");
    AtomicInteger stopped = new AtomicInteger();
    stalled.onLost(stopped::incrementAndGet);
    clock.advance(TTL); // stalled past its TTL (a long GC pause, a suspended VM)
    SyncLease other = acquire("other");

    assertThat(stalled.heartbeat(), is(false));
    assertThat(stalled.isHeld(), is(false));
    assertThat("the job is stopped once", stopped.get(), is(1));
    assertThat(stalled.heartbeat(), is(false));
    AtomicInteger late = new AtomicInteger();
    stalled.onLost(late::incrementAndGet);
    assertThat("a callback registered after the loss runs at once", late.get(), is(1));
    assertThat(stopped.get(), is(1));

    stalled.close();
    assertThat(keepOpen.query("SELECT OWNER_JOB_ID FROM OPS_MONITORING.SYNC_LEASE").toString(),
        equalTo("[{OWNER_JOB_ID=other}]"));
    other.close();
    assertThat(keepOpen.query("SELECT * FROM OPS_MONITORING.SYNC_LEASE").size(), is(0));
  }

  @Test
  void aRunThatCannotRenewForAWholeTtlLosesTheLease() {
    SyncLease lease = acquire("cut-off");
    AtomicInteger stopped = new AtomicInteger();
    lease.onLost(stopped::incrementAndGet);
    unreachable.set(true);
    clock.advance(Duration.ofSeconds(20));
    assertThat(lease.heartbeat(), is(false));
    assertThat("one failed renewal is not a loss", lease.isHeld(), is(true));
    clock.advance(Duration.ofSeconds(20));
    lease.heartbeat();
    assertThat(lease.isHeld(), is(true));
    unreachable.set(false);
    clock.advance(Duration.ofSeconds(10)); // 50 s after the last renewal: still ours
    assertThat(lease.heartbeat(), is(true));
    unreachable.set(true);
    clock.advance(TTL);
    assertThat(lease.heartbeat(), is(false));
    assertThat(lease.isHeld(), is(false));
    assertThat(stopped.get(), is(1));
  }
}
