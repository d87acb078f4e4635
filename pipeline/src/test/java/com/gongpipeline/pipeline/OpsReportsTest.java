package com.gongpipeline.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import com.gongpipeline.warehouse.JobLog;
import com.gongpipeline.warehouse.Warehouse;
import com.gongpipeline.testing.TableQuery;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The warehouse-side ops reports ({@code sql/duckdb/reports/}) on a known job history. */
class OpsReportsTest {
  static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");

  @TempDir Path dir;
  String url;

  static JobLog job(String id, String type, JobLog.Status status, Instant started, long ms,
      long calls, long chunks, long requests, long deadLetters) {
    return new JobLog(id, type, "DirectRunner", status, null, null, started,
        status == JobLog.Status.RUNNING ? null : started.plusMillis(ms),
        status == JobLog.Status.RUNNING ? null : ms, calls, chunks, Map.of(), Map.of(), requests,
        0, 1, deadLetters, status == JobLog.Status.FAILED ? "boom" : null, Map.of());
  }

  @BeforeEach
  void history() throws Exception {
    url = "jdbc:duckdb:" + dir.resolve("ops.duckdb");
    try (Warehouse wh = Warehouse.open(url)) {
      wh.applySchema();
      wh.recordJob(job("b1", "backfill", JobLog.Status.SUCCEEDED, T0, 120_000, 600, 3000, 60, 0));
      wh.recordJob(job("b2", "backfill", JobLog.Status.FAILED, T0.plusSeconds(3600), 60_000, 0, 0,
          5, 0));
      wh.recordJob(job("i1", "incremental", JobLog.Status.SUCCEEDED, T0.plusSeconds(7200), 60_000,
          30, 90, 6, 3));
      wh.recordJob(job("i2", "incremental", JobLog.Status.RUNNING, T0.plusSeconds(9000), 0, 0, 0,
          0, 0));
      // Outside the 30-day window: must not count.
      wh.recordJob(job("old", "backfill", JobLog.Status.FAILED, T0.minus(Duration.ofDays(40)),
          1000, 0, 0, 0, 0));
    }
    try (Connection c = DriverManager.getConnection(url);
        PreparedStatement ps = c.prepareStatement("INSERT INTO OPS_MONITORING.DEAD_LETTER "
            + "(DEAD_LETTER_ID, JOB_ID, STAGE, RECORD_KEY, ERROR_MESSAGE, FAILED_AT, LOADED_AT) "
            + "VALUES (?, 'i1', ?, ?, ?, ?, ?)")) {
      Object[][] rows = {
          {"d1", "embed", "c1:0", "model down", 100},
          {"d2", "embed", "c1:1", "model down again", 200},
          {"d3", "parse_call", "c2", "bad json", 150}};
      for (Object[] r : rows) {
        Timestamp at = Timestamp.from(T0.plusSeconds((Integer) r[4]));
        ps.setString(1, (String) r[0]);
        ps.setString(2, (String) r[1]);
        ps.setString(3, (String) r[2]);
        ps.setString(4, (String) r[3]);
        ps.setTimestamp(5, at);
        ps.setTimestamp(6, at);
        ps.executeUpdate();
      }
    }
  }

  List<String> rows(String report) throws Exception {
    return TableQuery.on(url).joined("|", Reports.sql(report));
  }

  @Test
  void failureRateCountsOutcomesPerJobTypeInTheWindow() throws Exception {
    // job_type|runs|succeeded|failed|stopped|running_or_killed|failure_rate_pct|last_success
    assertThat(rows("failure_rate"), contains(
        "backfill|2|1|1|0|0|50.0|2026-11-20 10:00:00.0",
        "incremental|2|1|0|0|1|0.0|2026-11-20 12:00:00.0"));
  }

  @Test
  void throughputIsCallsPerMinuteOfFinishedRuns() throws Exception {
    // day|job_type|runs|calls|chunks|calls_per_minute|chunks_per_minute|requests_per_1000_calls
    assertThat(rows("throughput_by_day"), contains(
        "2026-11-20|backfill|1|600|3000|300.0|1500.0|100.0",
        "2026-11-20|incremental|1|30|90|30.0|90.0|200.0"));
  }

  @Test
  void deadLettersByStageWithTheLatestError() throws Exception {
    List<String> rows = rows("dead_letters_by_stage");
    assertThat(rows.size(), equalTo(2));
    assertThat(rows.get(0), equalTo(
        "embed|2|1|2026-11-20 10:01:40.0|2026-11-20 10:03:20.0|model down again"));
    assertThat(rows.get(1).split("\\|")[0], equalTo("parse_call"));
  }

  @Test
  void jobHistoryListsNewestFirst() throws Exception {
    List<String> rows = rows("job_history");
    assertThat(rows.size(), equalTo(5));
    assertThat(rows.get(0).split("\\|")[0], equalTo("i2"));
    assertThat(rows.get(2).split("\\|")[10], equalTo("boom"));
  }
}
