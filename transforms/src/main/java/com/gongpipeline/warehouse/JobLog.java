package com.gongpipeline.warehouse;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One pipeline run as logged in {@code OPS_MONITORING.ETL_JOB_LOGS}: what ran, over which window,
 * how it ended, and what it did. Written twice per run through {@link Warehouse#recordJob}: at
 * start (RUNNING) and at the end (SUCCEEDED/FAILED, with counters).
 *
 * <pre>{@code
 * JobLog start = JobLog.builder(jobId, "backfill", Instant.now()).runner("DirectRunner").build();
 * wh.recordJob(start);
 * wh.recordJob(start.toBuilder().finish(JobLog.Status.SUCCEEDED, Instant.now())
 *     .callsProcessed(12).tableCounts(wh.tableCounts()).build());
 * }</pre>
 *
 * @param rowsWritten rows written this run per {@code SCHEMA.TABLE}
 * @param tableCounts row counts per {@code SCHEMA.TABLE} after the run
 * @param options pipeline options, secrets excluded
 */
public record JobLog(
    String jobId,
    String jobType,
    @Nullable String runner,
    Status status,
    @Nullable Instant windowFrom,
    @Nullable Instant windowTo,
    Instant startedAt,
    @Nullable Instant finishedAt,
    @Nullable Long durationMs,
    long callsProcessed,
    long chunksProcessed,
    Map<String, Long> rowsWritten,
    Map<String, Long> tableCounts,
    long apiRequests,
    long apiRetries,
    long apiRateLimited,
    long deadLetters,
    @Nullable String errorMessage,
    Map<String, String> options,
    long callsDeleted)
    implements Serializable {

  /** A log without deleted calls (runs that found none, or wrote before migration 100). */
  public JobLog(String jobId, String jobType, @Nullable String runner, Status status,
      @Nullable Instant windowFrom, @Nullable Instant windowTo, Instant startedAt,
      @Nullable Instant finishedAt, @Nullable Long durationMs, long callsProcessed,
      long chunksProcessed, Map<String, Long> rowsWritten, Map<String, Long> tableCounts,
      long apiRequests, long apiRetries, long apiRateLimited, long deadLetters,
      @Nullable String errorMessage, Map<String, String> options) {
    this(jobId, jobType, runner, status, windowFrom, windowTo, startedAt, finishedAt, durationMs,
        callsProcessed, chunksProcessed, rowsWritten, tableCounts, apiRequests, apiRetries,
        apiRateLimited, deadLetters, errorMessage, options, 0);
  }

  /** Lifecycle of a run. */
  public enum Status {
    RUNNING,
    SUCCEEDED,
    FAILED,
    /** Stopped on request (SIGTERM / Ctrl-C) after the batches in flight were written. */
    STOPPED,
    /**
     * Stopped fetching because the daily Gong request budget (or Gong's own daily quota) is spent;
     * everything fetched before was written, and ERROR_MESSAGE says what is left to read.
     */
    PAUSED_QUOTA,
    /**
     * Left RUNNING by a run that died (kill -9, a lost machine) or lost its lease: the next run
     * that takes the sync's lease after it expired marks the row so (ERROR_MESSAGE says by whom).
     */
    ABANDONED
  }

  public JobLog {
    if (jobId == null || jobId.isBlank()) {
      throw new IllegalArgumentException("jobId is required");
    }
    if (jobType == null || jobType.isBlank()) {
      throw new IllegalArgumentException("jobType is required");
    }
    if (status == null || startedAt == null) {
      throw new IllegalArgumentException("status and startedAt are required");
    }
    rowsWritten = sorted(rowsWritten);
    tableCounts = sorted(tableCounts);
    options = sorted(options);
  }

  public static Builder builder(String jobId, String jobType, Instant startedAt) {
    return new Builder(jobId, jobType, startedAt);
  }

  public Builder toBuilder() {
    Builder b = new Builder(jobId, jobType, startedAt);
    b.runner = runner;
    b.status = status;
    b.windowFrom = windowFrom;
    b.windowTo = windowTo;
    b.finishedAt = finishedAt;
    b.durationMs = durationMs;
    b.callsProcessed = callsProcessed;
    b.chunksProcessed = chunksProcessed;
    b.rowsWritten = rowsWritten;
    b.tableCounts = tableCounts;
    b.apiRequests = apiRequests;
    b.apiRetries = apiRetries;
    b.apiRateLimited = apiRateLimited;
    b.deadLetters = deadLetters;
    b.errorMessage = errorMessage;
    b.options = options;
    b.callsDeleted = callsDeleted;
    return b;
  }

  private static <V> Map<String, V> sorted(@Nullable Map<String, V> m) {
    return m == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(m));
  }

  /** Builder; starts as RUNNING with zero counters. */
  public static final class Builder {
    private final String jobId;
    private final String jobType;
    private final Instant startedAt;
    private @Nullable String runner;
    private Status status = Status.RUNNING;
    private @Nullable Instant windowFrom;
    private @Nullable Instant windowTo;
    private @Nullable Instant finishedAt;
    private @Nullable Long durationMs;
    private long callsProcessed;
    private long chunksProcessed;
    private Map<String, Long> rowsWritten = Map.of();
    private Map<String, Long> tableCounts = Map.of();
    private long apiRequests;
    private long apiRetries;
    private long apiRateLimited;
    private long deadLetters;
    private @Nullable String errorMessage;
    private Map<String, String> options = Map.of();
    private long callsDeleted;

    private Builder(String jobId, String jobType, Instant startedAt) {
      this.jobId = jobId;
      this.jobType = jobType;
      this.startedAt = startedAt;
    }

    public Builder runner(@Nullable String v) {
      runner = v;
      return this;
    }

    public Builder status(Status v) {
      status = v;
      return this;
    }

    public Builder window(@Nullable Instant from, @Nullable Instant to) {
      windowFrom = from;
      windowTo = to;
      return this;
    }

    /** Sets status, finish time and the duration since {@code startedAt}. */
    public Builder finish(Status v, Instant finished) {
      status = v;
      finishedAt = finished;
      durationMs = Duration.between(startedAt, finished).toMillis();
      return this;
    }

    public Builder finishedAt(@Nullable Instant v) {
      finishedAt = v;
      return this;
    }

    public Builder durationMs(@Nullable Long v) {
      durationMs = v;
      return this;
    }

    public Builder callsProcessed(long v) {
      callsProcessed = v;
      return this;
    }

    public Builder chunksProcessed(long v) {
      chunksProcessed = v;
      return this;
    }

    public Builder rowsWritten(Map<String, Long> v) {
      rowsWritten = v;
      return this;
    }

    public Builder tableCounts(Map<String, Long> v) {
      tableCounts = v;
      return this;
    }

    public Builder apiRequests(long v) {
      apiRequests = v;
      return this;
    }

    public Builder apiRetries(long v) {
      apiRetries = v;
      return this;
    }

    public Builder apiRateLimited(long v) {
      apiRateLimited = v;
      return this;
    }

    public Builder deadLetters(long v) {
      deadLetters = v;
      return this;
    }

    public Builder errorMessage(@Nullable String v) {
      errorMessage = v;
      return this;
    }

    public Builder options(Map<String, String> v) {
      options = v;
      return this;
    }

    /** Calls found private or deleted in Gong and removed by this run. */
    public Builder callsDeleted(long v) {
      callsDeleted = v;
      return this;
    }

    public JobLog build() {
      return new JobLog(jobId, jobType, runner, status, windowFrom, windowTo, startedAt,
          finishedAt, durationMs, callsProcessed, chunksProcessed, rowsWritten, tableCounts,
          apiRequests, apiRetries, apiRateLimited, deadLetters, errorMessage, options,
          callsDeleted);
    }
  }
}
