package com.gongpipeline.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The progress line's rate and ETA, on a fake clock. */
class ProgressReporterTest {
  final AtomicLong clock = new AtomicLong(1_000_000);

  static JobMetrics metrics(long listed, long parsed) {
    return JobMetrics.of(Map.of("pipeline:calls_listed", listed, "pipeline:calls_parsed", parsed,
        "gong:requests_calls", 7L, "gong:requests_calls_200", 7L, "pipeline:dead_letters_embed", 2L,
        "pipeline:dead_letters", 2L));
  }

  @Test
  void etaIsRemainingCallsOverTheRateOfTheLastMinute() {
    ProgressReporter.Lines lines = new ProgressReporter.Lines(clock::get, false);
    clock.addAndGet(10_000);
    // 50 of 1000 calls in 10 s: 5/s, 950 left → 190 s.
    assertThat(lines.next(metrics(1000, 50)), containsString("calls 50/1000 (5.0/s, ETA 3m10s)"));
    clock.addAndGet(10_000);
    assertThat(lines.next(metrics(1000, 150)), containsString("(7.5/s, ETA 1m54s)"));
  }

  @Test
  void aStallLongAgoLeavesTheWindowAndNoLongerSlowsTheRate() {
    ProgressReporter.Lines lines = new ProgressReporter.Lines(clock::get, false);
    clock.addAndGet(120_000); // two minutes of listing, nothing done
    lines.next(metrics(600, 0));
    for (int i = 1; i <= 7; i++) {
      clock.addAndGet(10_000);
      lines.next(metrics(600, 100L * i));
    }
    clock.addAndGet(10_000);
    // 10/s over the last 60 s; the stalled start (4/s on average since it) is out of the window.
    assertThat(lines.next(metrics(2000, 800)), containsString("calls 800/2000 (10.0/s, ETA 2m00s)"));
  }

  @Test
  void chunksHaveTheirOwnRateAndEta() {
    ProgressReporter.Lines lines = new ProgressReporter.Lines(clock::get, false);
    clock.addAndGet(20_000);
    // 400 of 1000 chunks created so far embedded in 20 s: 20/s, 600 left → 30 s.
    assertThat(lines.next(JobMetrics.of(Map.of("enrich:chunks_embedded", 400L,
        "pipeline:chunks_created", 1000L))),
        containsString("chunks embedded 400/1000 (20.0/s, ETA 30s)"));
  }

  @Test
  void noRateMeansNoEtaAndRequestsAreNotCountedTwice() {
    ProgressReporter.Lines lines = new ProgressReporter.Lines(clock::get, false);
    clock.addAndGet(5_000);
    String line = lines.next(metrics(100, 0));
    assertThat(line, containsString("calls 0/100 (0.0/s, ETA ?)"));
    assertThat(line, containsString("Gong requests 7, 429s 0 | dead letters 2"));
  }

  @Test
  void aStreamLineKeepsItsShape() {
    ProgressReporter.Lines lines = new ProgressReporter.Lines(clock::get, true);
    clock.addAndGet(5_000);
    assertThat(lines.next(metrics(0, 12)), containsString("calls processed 12 (re-polled"));
  }
}
