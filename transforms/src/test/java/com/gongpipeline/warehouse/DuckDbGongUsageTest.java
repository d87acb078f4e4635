package com.gongpipeline.warehouse;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import com.gongpipeline.testing.MutableClock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The daily Gong request ledger (OPS_MONITORING.GONG_API_USAGE) on real DuckDB. */
class DuckDbGongUsageTest {
  private static final LocalDate DAY = LocalDate.parse("2026-03-02");
  private static final String LIST = "GET /v2/calls";
  private static final String DETAILS = "POST /v2/calls/extensive";

  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T12:00:00Z"));
  private DuckDbWarehouse wh;

  @BeforeEach
  void open() {
    wh = new DuckDbWarehouse(TestRows.memoryUrl(), OpenOptions.defaults(), clock);
    wh.applySchema();
  }

  @AfterEach
  void close() {
    wh.close();
  }

  @Test
  void addIncrementsTheRowOfDayJobAndEndpoint_andTheTotalSpansJobs() {
    assertThat(wh.gongRequestsOn(DAY), is(0L));
    wh.addGongRequests(DAY, "job-1", LIST, 3);
    wh.addGongRequests(DAY, "job-1", LIST, 2);
    wh.addGongRequests(DAY, "job-1", DETAILS, 4);
    wh.addGongRequests(DAY, "job-2", LIST, 1);
    wh.addGongRequests(DAY.plusDays(1), "job-2", LIST, 100);
    // Giving back what was reserved but not sent.
    wh.addGongRequests(DAY, "job-1", DETAILS, -1);

    assertThat(wh.gongRequestsOn(DAY), is(9L));
    assertThat(wh.gongRequestsOn(DAY.plusDays(1)), is(100L));
    assertThat(wh.query("SELECT JOB_ID, ENDPOINT, REQUESTS FROM OPS_MONITORING.GONG_API_USAGE "
        + "WHERE USAGE_DAY = CAST(? AS DATE) ORDER BY JOB_ID, ENDPOINT", DAY.toString()).toString(),
        is("[{JOB_ID=job-1, ENDPOINT=GET /v2/calls, REQUESTS=5}, "
            + "{JOB_ID=job-1, ENDPOINT=POST /v2/calls/extensive, REQUESTS=3}, "
            + "{JOB_ID=job-2, ENDPOINT=GET /v2/calls, REQUESTS=1}]"));
  }

  @Test
  void reserveGrantsWhatIsLeftOfTheBudgetAndThenNothing() {
    wh.addGongRequests(DAY, "other-job", LIST, 6);
    assertThat(wh.reserveGongRequests(DAY, "job-1", DETAILS, 3, 10), is(3L));
    assertThat("only 1 left", wh.reserveGongRequests(DAY, "job-1", DETAILS, 3, 10), is(1L));
    assertThat(wh.reserveGongRequests(DAY, "job-1", LIST, 1, 10), is(0L));
    assertThat(wh.gongRequestsOn(DAY), is(10L));
    assertThat("another day has its own budget",
        wh.reserveGongRequests(DAY.plusDays(1), "job-1", LIST, 5, 10), is(5L));
  }

  @Test
  void concurrentReservationsNeverExceedTheBudget() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Long>> grants = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        String job = "job-" + (i % 4);
        grants.add(pool.submit(() -> wh.reserveGongRequests(DAY, job, LIST, 3, 50)));
      }
      long granted = 0;
      for (Future<Long> g : grants) {
        granted += g.get();
      }
      assertThat(granted, is(50L));
      assertThat(wh.gongRequestsOn(DAY), is(50L));
    } finally {
      pool.shutdownNow();
    }
  }
}
