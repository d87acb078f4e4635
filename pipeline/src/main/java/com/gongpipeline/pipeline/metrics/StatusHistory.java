package com.gongpipeline.pipeline.metrics;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.gongpipeline.metrics.MetricNames;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The last few minutes of a job for the status page: a ring buffer of samples (totals, per-interval
 * rates and deltas, freshness) plus progress with a sliding-window rate and ETA, rendered as the
 * JSON of {@code /status.json}. Thread-safe.
 */
public final class StatusHistory {
  /**
   * One sample.
   *
   * @param epochMillis when it was taken
   * @param callsListed calls listed so far (the backfill's total)
   * @param callsDone calls parsed into staging rows
   * @param chunksEmbedded chunks embedded
   * @param deadLetters dead letters so far
   * @param http429 Gong 429 responses so far
   * @param gongRequests Gong HTTP attempts so far
   * @param callsPerSecond calls done per second since the previous sample
   * @param chunksPerSecond chunks embedded per second since the previous sample
   * @param deadLettersDelta dead letters since the previous sample
   * @param http429Delta 429s since the previous sample
   * @param freshnessLagSeconds now minus the newest call start written to STG; null before any
   * @param readPositionLagSeconds stream only: now minus the read position; null otherwise
   */
  public record Sample(long epochMillis, long callsListed, long callsDone, long chunksEmbedded,
      long deadLetters, long http429, long gongRequests, double callsPerSecond,
      double chunksPerSecond, long deadLettersDelta, long http429Delta, Long freshnessLagSeconds,
      Long readPositionLagSeconds) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final int capacity;
  private final Deque<Sample> samples = new ArrayDeque<>();
  private final RateWindow doneRate;
  /** Stream only: paused on the daily Gong request budget at the newest sample. */
  private boolean pausedOnBudget;

  /**
   * @param capacity samples kept (e.g. 120 samples every 5 s = 10 minutes)
   * @param rateWindow window of the progress rate behind the ETA
   */
  public StatusHistory(int capacity, Duration rateWindow) {
    this.capacity = capacity;
    this.doneRate = new RateWindow(rateWindow);
  }

  /** Takes a sample of the snapshot at a time and returns it. */
  public synchronized Sample add(long epochMillis, MetricsSnapshot s) {
    Sample prev = samples.peekLast();
    long done = s.counter(MetricNames.CALLS_PARSED);
    long chunks = s.counter(MetricNames.CHUNKS_EMBEDDED);
    long dead = s.deadLetters();
    long http429 = s.counter(MetricNames.GONG_HTTP_429);
    double dt = prev == null ? 0 : (epochMillis - prev.epochMillis()) / 1000.0;
    Sample sample = new Sample(epochMillis, s.counter(MetricNames.CALLS_LISTED), done, chunks,
        dead, http429, s.gongRequests(),
        dt > 0 ? Math.max(0, done - prev.callsDone()) / dt : 0,
        dt > 0 ? Math.max(0, chunks - prev.chunksEmbedded()) / dt : 0,
        prev == null ? dead : Math.max(0, dead - prev.deadLetters()),
        prev == null ? http429 : Math.max(0, http429 - prev.http429()),
        lag(epochMillis, s.gauge(MetricNames.NEWEST_CALL_START)),
        lag(epochMillis, s.gauge(MetricNames.READ_POSITION)));
    samples.addLast(sample);
    while (samples.size() > capacity) {
      samples.removeFirst();
    }
    doneRate.observe(epochMillis, done);
    Long paused = s.gauge(MetricNames.BUDGET_PAUSED);
    pausedOnBudget = paused != null && paused == 1;
    return sample;
  }

  private static Long lag(long nowMillis, Long epochSeconds) {
    return epochSeconds == null ? null : Math.max(0, nowMillis / 1000 - epochSeconds);
  }

  public synchronized List<Sample> samples() {
    return new ArrayList<>(samples);
  }

  /** Calls done per second over the rate window. */
  public synchronized double doneRate() {
    return doneRate.perSecond();
  }

  /** {@code /status.json}: job labels, totals and progress of the newest sample, all samples. */
  public synchronized String json(Map<String, String> job) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("job", job);
    Sample last = samples.peekLast();
    root.put("totals", last == null ? Map.of() : totals(last));
    Map<String, Object> progress = new LinkedHashMap<>();
    if (last != null) {
      double rate = doneRate.perSecond();
      OptionalLong eta = RateWindow.etaSeconds(last.callsDone(), last.callsListed(), rate);
      progress.put("done", last.callsDone());
      progress.put("total", last.callsListed());
      progress.put("ratePerSecond", rate);
      progress.put("etaSeconds", eta.isPresent() ? eta.getAsLong() : null);
      progress.put("eta", RateWindow.format(eta));
    }
    root.put("progress", progress);
    root.put("pausedOnBudget", pausedOnBudget);
    root.put("samples", samples);
    try {
      return JSON.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("status JSON", e);
    }
  }

  private static Map<String, Object> totals(Sample s) {
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("callsListed", s.callsListed());
    t.put("callsDone", s.callsDone());
    t.put("chunksEmbedded", s.chunksEmbedded());
    t.put("deadLetters", s.deadLetters());
    t.put("http429", s.http429());
    t.put("gongRequests", s.gongRequests());
    t.put("freshnessLagSeconds", s.freshnessLagSeconds());
    t.put("readPositionLagSeconds", s.readPositionLagSeconds());
    return t;
  }
}
