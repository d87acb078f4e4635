package com.gongpipeline.warehouse;

import com.gongpipeline.testing.ChildJvm;
import com.gongpipeline.testing.ChildJvms;
import com.gongpipeline.testing.MutableClock;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two processes on one DuckDB file (DuckDB allows one at a time): a second JVM ({@link
 * WarehouseProcessDriver}) holds, releases, or dies holding the file while this JVM opens it.
 */
class DuckDbMultiProcessTest {
  private static final long STEP_SECONDS = 60;

  @TempDir Path dir;
  @RegisterExtension final ChildJvms children = new ChildJvms();

  /**
   * The other process holds the file: a short wait fails with a message naming the file and the
   * other PID; a long wait succeeds once the other process closes, and sees what it wrote.
   */
  @Test
  void openWaitsForAnotherProcessesLockThenFailsClearlyOrSucceeds() throws Exception {
    Path file = dir.resolve("shared.duckdb");
    String url = "jdbc:duckdb:" + file;
    Child other = start(file);
    assertThat(other.send("open 0"), is("OPENED"));
    assertThat(other.send("write c-child"), is("WROTE"));

    long t0 = System.nanoTime();
    WarehouseException e = assertThrows(WarehouseException.class,
        () -> Warehouse.open(url, OpenOptions.defaults().withLockWait(Duration.ofMillis(300))));
    long waited = (System.nanoTime() - t0) / 1_000_000;
    assertThat(e.getMessage(), allOf(containsString("DuckDB file " + file.toRealPath()),
        containsString("locked by another process"), containsString("(PID " + other.pid),
        containsString("gave up after waiting")));
    assertThat("it retried for the whole wait", waited, greaterThanOrEqualTo(300L));
    assertThat("and not much longer", waited, lessThan(3000L));
    assertThat("nothing stays open after the failure", DuckDbDatabase.isOpen(url), is(false));

    CompletableFuture<Warehouse> opening = CompletableFuture.supplyAsync(
        () -> Warehouse.open(url, OpenOptions.defaults().withLockWait(Duration.ofSeconds(30))));
    Thread.sleep(400);
    assertThat("still waiting while the other process holds the file", opening.isDone(), is(false));
    long closedAt = System.nanoTime();
    assertThat(other.send("close"), is("CLOSED"));
    try (Warehouse wh = opening.get(STEP_SECONDS, TimeUnit.SECONDS)) {
      assertThat("opened within a few backoff steps of the release",
          (System.nanoTime() - closedAt) / 1_000_000, lessThan(5000L));
      assertThat(wh.count(WarehouseTable.STG_CALLS), is(1L));
      assertThat(wh.query("SELECT JOB_ID FROM STG_TRANSFORMED.STG_GONG_CALLS WHERE CALL_ID = ?",
          "c-child").get(0).get("JOB_ID"), is("child"));
    }
  }

  /**
   * The file lock is released exactly when the last warehouse on it in this JVM closes (the
   * default), and kept while one is still open or when opened with keepOpenWhenIdle.
   */
  @Test
  void lastCloseReleasesTheFileUnlessKeptOpen() throws Exception {
    Path file = dir.resolve("idle.duckdb");
    String url = "jdbc:duckdb:" + file;
    Child other = start(file);
    Warehouse a = Warehouse.open(url);
    a.applySchema();
    Warehouse b = Warehouse.open(url);
    a.close();
    assertThat("b still holds the file", other.send("open 0"), startsWith("FAILED"));
    b.close();
    assertThat(DuckDbDatabase.isOpen(url), is(false));
    assertThat("closing the last one released it", other.send("open 0"), is("OPENED"));
    assertThat(other.send("close"), is("CLOSED"));

    Warehouse kept = Warehouse.open(url, OpenOptions.defaults().withKeepOpenWhenIdle(true));
    kept.close();
    assertThat(DuckDbDatabase.isOpen(url), is(true));
    assertThat("kept open after its last close", other.send("open 0"), startsWith("FAILED"));
    try (Warehouse again = Warehouse.open(url)) {
      assertThat("re-opening a kept database reuses it", again.count(WarehouseTable.STG_CALLS),
          is(0L));
    }
    assertThat("keepOpenWhenIdle sticks for the database", DuckDbDatabase.isOpen(url), is(true));
    DuckDbDatabase.closeIfIdle(url);
    assertThat(DuckDbDatabase.isOpen(url), is(false));
    assertThat(other.send("open 0"), is("OPENED"));
  }

  /**
   * A job's linger: batches that open and close a warehouse one after another join one open
   * database (one file open, not one per batch); meanwhile another process that waits for the
   * file asks for a turn and gets it within a few seconds, far inside the linger, while a writer
   * here keeps writing; the writer resumes after it, and every row of both is there.
   */
  @Test
  void lingeringWriterKeepsTheFileOpenYetAnotherProcessGetsATurn() throws Exception {
    Path file = dir.resolve("linger.duckdb");
    String url = "jdbc:duckdb:" + file;
    Child other = start(file);
    try (Warehouse.Scope linger = Warehouse.lingerBetweenBatches(url, Duration.ofSeconds(60))) {
      long opensBefore = DuckDbDatabase.opens();
      for (int i = 0; i < 5; i++) {
        try (Warehouse wh = Warehouse.open(url)) {
          wh.applySchema();
          wh.merge(WarehouseTable.STG_CALLS, List.of(TestRows.stgCall("c-" + i, "batch", "job")));
        }
      }
      assertThat("five batches, one open", DuckDbDatabase.opens() - opensBefore, is(1L));
      assertThat("still open between batches", DuckDbDatabase.isOpen(url), is(true));
      // Also loads DuckDB in the child, which under load takes seconds of its own.
      assertThat("a lingering database holds the file", other.send("open 0"),
          startsWith("FAILED"));

      AtomicBoolean stop = new AtomicBoolean();
      AtomicInteger written = new AtomicInteger(5);
      CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
        while (!stop.get()) {
          try (Warehouse wh = Warehouse.open(url,
              OpenOptions.defaults().withLockWait(Duration.ofSeconds(30)))) {
            wh.merge(WarehouseTable.STG_CALLS, List.of(
                TestRows.stgCall("c-" + written.get(), "batch", "job")));
            written.incrementAndGet();
          }
        }
      });
      while (written.get() < 10) {
        Thread.sleep(10);
      }
      long asked = System.nanoTime();
      assertThat("the other process gets its turn inside its 30 s wait (the linger is 60 s)",
          other.send("open 30000"), is("OPENED"));
      assertThat("within seconds", (System.nanoTime() - asked) / 1_000_000, lessThan(20_000L));
      assertThat(other.send("write c-child"), is("WROTE"));
      int whileChildHeld = written.get();
      assertThat(other.send("close"), is("CLOSED"));
      while (written.get() < whileChildHeld + 5) {
        Thread.sleep(10);
      }
      stop.set(true);
      writer.get(STEP_SECONDS, TimeUnit.SECONDS);
      try (Warehouse wh = Warehouse.open(url)) {
        assertThat("every batch of both processes landed", wh.count(WarehouseTable.STG_CALLS),
            is((long) written.get() + 1));
        assertThat(wh.query("SELECT JOB_ID FROM STG_TRANSFORMED.STG_GONG_CALLS WHERE CALL_ID = ?",
            "c-child").get(0).get("JOB_ID"), is("child"));
      }
    }
    assertThat("the scope's end released the file", DuckDbDatabase.isOpen(url), is(false));
    assertThat(other.send("open 0"), is("OPENED"));
  }

  /** Once the job goes idle for the linger, the file is released with no scope end needed. */
  @Test
  void idleLingerReleasesTheFileShortlyAfterTheLastBatch() throws Exception {
    Path file = dir.resolve("idle-linger.duckdb");
    String url = "jdbc:duckdb:" + file;
    Child other = start(file);
    try (Warehouse.Scope linger = Warehouse.lingerBetweenBatches(url, Duration.ofMillis(300))) {
      try (Warehouse wh = Warehouse.open(url)) {
        wh.applySchema();
        wh.merge(WarehouseTable.STG_CALLS, List.of(TestRows.stgCall("c-1", "batch", "job")));
      }
      assertThat("lingering right after the batch", DuckDbDatabase.isOpen(url), is(true));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STEP_SECONDS);
      while (DuckDbDatabase.isOpen(url) && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat("closed after the linger, scope still open", DuckDbDatabase.isOpen(url),
          is(false));
      assertThat("another process opens it without waiting", other.send("open 0"),
          is("OPENED"));
      assertThat(other.send("close"), is("CLOSED"));
    }
    try (Warehouse wh = Warehouse.open(url)) {
      assertThat(wh.count(WarehouseTable.STG_CALLS), is(1L));
    }
  }

  /**
   * A run killed while holding the lease leaves it behind in the file: another process cannot take
   * it while it is live, and takes it over once it has expired.
   */
  @Test
  void killedRunsLeaseBlocksUntilItExpires() throws Exception {
    Path file = dir.resolve("lease.duckdb");
    String url = "jdbc:duckdb:" + file;
    Child killed = start(file);
    assertThat(killed.send("open 0"), is("OPENED"));
    String answer = killed.send("lease gong_calls job-killed 600000");
    assertThat(answer, startsWith("LEASED "));
    Instant expires = Instant.parse(answer.substring("LEASED ".length()));
    killed.sendNoAnswer("halt");
    assertThat(killed.jvm.process().waitFor(STEP_SECONDS, TimeUnit.SECONDS), is(true));

    MutableClock clock = new MutableClock(Instant.now());
    try (DuckDbWarehouse wh = new DuckDbWarehouse(url,
        OpenOptions.defaults().withLockWait(Duration.ofSeconds(30)), clock)) {
      wh.applySchema();
      assertThat("the killed run's live lease blocks us",
          wh.tryAcquireLease("gong_calls", "job-next", Duration.ofMinutes(5)), is(Optional.empty()));
      assertThat(wh.query("SELECT OWNER_JOB_ID, EXPIRES_AT FROM OPS_MONITORING.SYNC_LEASE").get(0)
          .get("EXPIRES_AT"), is(expires));
      clock.advance(Duration.between(clock.instant(), expires));
      Optional<Lease> taken = wh.tryAcquireLease("gong_calls", "job-next", Duration.ofMinutes(5));
      assertThat("expired at its expiry instant: taken over", taken.isPresent(), is(true));
      assertThat(wh.query("SELECT OWNER_JOB_ID FROM OPS_MONITORING.SYNC_LEASE").get(0)
          .get("OWNER_JOB_ID"), is("job-next"));
    }
  }

  private Child start(Path file) throws Exception {
    Child c = new Child(children.start(
        ChildJvm.main(WarehouseProcessDriver.class.getName(), file.toString())
            .jvmArgs("-Xmx128m", "-XX:TieredStopAtLevel=1")
            .log(Files.createTempFile(dir, "child", ".log"))
            .follow()));
    String ready = c.next();
    assertThat(ready, startsWith("READY "));
    assertThat(ready, is("READY " + c.pid));
    return c;
  }

  /** The driver's line protocol: a command on stdin, its answer on stdout. */
  private static final class Child {
    final ChildJvm jvm;
    final long pid;

    Child(ChildJvm jvm) {
      this.jvm = jvm;
      this.pid = jvm.pid();
    }

    String send(String command) throws Exception {
      sendNoAnswer(command);
      return next();
    }

    void sendNoAnswer(String command) throws IOException {
      jvm.writeLine(command);
    }

    /** The next stdout line (stderr goes to the log only). */
    String next() throws Exception {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STEP_SECONDS);
      while (true) {
        ChildJvm.Line l = jvm.lines().poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        if (l == null) {
          throw new AssertionError("no answer from the child process; its output:\n"
              + jvm.output());
        }
        if (l.stream() == ChildJvm.Stream.OUT) {
          return l.text();
        }
      }
    }
  }
}
