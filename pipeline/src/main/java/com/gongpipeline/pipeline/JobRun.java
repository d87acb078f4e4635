package com.gongpipeline.pipeline;

import com.gongpipeline.errors.DeadLetterStage;
import com.gongpipeline.errors.SecretRedaction;
import com.gongpipeline.metrics.MetricNames;
import com.gongpipeline.pipeline.metrics.MetricsServer;
import com.gongpipeline.pipeline.metrics.MetricsSnapshot;
import com.gongpipeline.pipeline.options.GongPipelineOptions;
import com.gongpipeline.stream.DrainSignal;
import com.gongpipeline.warehouse.JobLog;
import com.gongpipeline.warehouse.Warehouse;
import com.gongpipeline.warehouse.WarehouseTable;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The life of one job: schema applied, a RUNNING row in {@code OPS_MONITORING.ETL_JOB_LOGS},
 * the pipeline run with progress lines, then the row completed with counts, API usage, dead
 * letters and status (FAILED with the error when the run throws).
 */
public final class JobRun {
  private static final Logger LOG = LoggerFactory.getLogger(JobRun.class);
  private static final DateTimeFormatter ID_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  /** Outcome of a finished run. */
  public record Summary(JobLog log, JobMetrics metrics, Duration elapsed) {}

  /** How long SIGTERM waits for a stream to drain before it cancels it. */
  static final long DRAIN_TIMEOUT_SECONDS = 120;

  private JobRun() {}

  public static String newJobId(String jobType) {
    byte[] b = new byte[3];
    new SecureRandom().nextBytes(b);
    return jobType + "-" + ID_TIME.format(Instant.now()) + "-"
        + java.util.HexFormat.of().formatHex(b);
  }

  /**
   * The bounded pipelines of one job, run one after another under one job row: a backfill's
   * slices (see {@link BackfillCommand}). Each is built only when the previous one has finished,
   * so it can depend on what that one did.
   */
  @FunctionalInterface
  public interface Slices {
    /**
     * The next pipeline to run, or null when the job is done.
     *
     * @param previous the metrics of the pipeline that just finished without failing, null before
     *     the first
     */
    Pipeline next(JobMetrics previous);
  }

  /** Runs the pipeline built on {@code pipeline} and logs the job; rethrows a failure. */
  public static Summary run(
      Pipeline pipeline, GongPipelineOptions options, String jobId, String jobType,
      Instant windowFrom, Instant windowTo, PrintStream out) {
    return run(pipeline, options, jobId, jobType, windowFrom, windowTo, out, null);
  }

  /**
   * As {@link #run(Pipeline, GongPipelineOptions, String, String, Instant, Instant, PrintStream)}
   * under a sync lease: if the lease is lost while the job runs, the job is cancelled (it writes
   * no more) and the run fails.
   */
  static Summary run(
      Pipeline pipeline, GongPipelineOptions options, String jobId, String jobType,
      Instant windowFrom, Instant windowTo, PrintStream out, @Nullable SyncLease lease) {
    AtomicBoolean handedOut = new AtomicBoolean();
    return run(previous -> handedOut.getAndSet(true) ? null : pipeline, options, jobId, jobType,
        windowFrom, windowTo, out, lease);
  }

  /**
   * Runs {@code slices} one after another as one job (one ETL_JOB_LOGS row, metrics summed over
   * the slices, one metrics server); stops at the first failure and rethrows it.
   */
  public static Summary run(
      Slices slices, GongPipelineOptions options, String jobId, String jobType,
      Instant windowFrom, Instant windowTo, PrintStream out) {
    return run(slices, options, jobId, jobType, windowFrom, windowTo, out, null);
  }

  /**
   * As above, under a sync lease (see the single-pipeline overload). While the job runs, an
   * embedded DuckDB warehouse stays open between write batches for {@code
   * --warehouseLingerMillis} ({@link Warehouse#lingerBetweenBatches}) rather than being re-opened
   * per batch; it is released when the job is idle that long, when another process asks for it,
   * and when the job ends.
   */
  static Summary run(
      Slices slices, GongPipelineOptions options, String jobId, String jobType,
      Instant windowFrom, Instant windowTo, PrintStream out, @Nullable SyncLease lease) {
    Long lingerMillis = options.getWarehouseLingerMillis();
    if (lingerMillis == null || lingerMillis < 0) {
      throw new IllegalArgumentException("--warehouseLingerMillis must be 0 or more, got "
          + lingerMillis);
    }
    try (Warehouse.Scope linger = Warehouse.lingerBetweenBatches(options.getWarehouse(),
        Duration.ofMillis(lingerMillis))) {
      return runSlices(slices, options, jobId, jobType, windowFrom, windowTo, out, lease);
    }
  }

  private static Summary runSlices(
      Slices slices, GongPipelineOptions options, String jobId, String jobType,
      Instant windowFrom, Instant windowTo, PrintStream out, @Nullable SyncLease lease) {
    Instant started = Instant.now();
    String runner = options.getRunner().getSimpleName();
    // First, so that a busy --metricsPort stops the run before anything is recorded or started.
    // It serves the finished slices' metrics plus the live slice's.
    AtomicReference<PipelineResult> live = new AtomicReference<>();
    AtomicReference<MetricsSnapshot> finishedSlices = new AtomicReference<>(MetricsSnapshot.EMPTY);
    MetricsServer metricsServer = startMetricsServer(options, live, finishedSlices, jobId, jobType);
    Map<String, Long> before;
    try (Warehouse wh = Warehouse.open(options.getWarehouse())) {
      wh.applySchema();
      before = wh.tableCounts();
      wh.recordJob(log(jobId, jobType, runner, JobLog.Status.RUNNING, windowFrom, windowTo, started, null,
          null, Map.of(), before, null, optionsMap(options)));
    }
    if (options.getRunner().getSimpleName().equals("DirectRunner")) {
      // Return from run() at once so progress can be reported while the job works.
      options.as(DirectOptions.class).setBlockOnRun(false);
    }
    JobMetrics metrics = null;
    Throwable failure = null;
    AtomicBoolean stopRequested = new AtomicBoolean();
    CountDownLatch logged = new CountDownLatch(1);
    AtomicReference<PipelineResult> running = new AtomicReference<>();
    AtomicBoolean leaseLost = new AtomicBoolean();
    if (lease != null) {
      lease.onLost(() -> {
        leaseLost.set(true);
        PipelineResult current = running.get();
        try {
          if (current != null) {
            current.cancel();
          }
        } catch (java.io.IOException | RuntimeException e) {
          LOG.warn("Cancelling job {} after losing its lease: {}", jobId, e.toString());
        }
      });
    }
    // SIGTERM / Ctrl-C: cancel the job (MERGE batches are single transactions, so what is in
    // flight either lands whole or not at all), then let this thread log it before exiting.
    Thread stopHook = new Thread(() -> {
      stopRequested.set(true);
      try {
        // A stream drains first: polling stops, windows fire, buffers flush, the job ends with
        // everything written. If that takes too long (or for bounded jobs), cancel: MERGE
        // batches are single transactions, and the next run writes what was still buffered.
        if ("stream".equals(jobType)) {
          DrainSignal.request();
          if (logged.await(DRAIN_TIMEOUT_SECONDS, java.util.concurrent.TimeUnit.SECONDS)) {
            return;
          }
          LOG.warn("Job {} did not drain within {} s; cancelling", jobId, DRAIN_TIMEOUT_SECONDS);
        }
        PipelineResult current = running.get();
        if (current != null) {
          current.cancel();
        }
        logged.await(60, java.util.concurrent.TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.warn("Stopping job {}: {}", jobId, e.toString());
      }
    }, "stop-" + jobId);
    boolean hooked = false;
    DrainSignal.reset();
    try {
      JobMetrics previous = null;
      Pipeline pipeline;
      while (!stopRequested.get() && !leaseLost.get()
          && (pipeline = slices.next(previous)) != null) {
        PipelineResult result = pipeline.run();
        running.set(result);
        live.set(result);
        if (!hooked) {
          Runtime.getRuntime().addShutdownHook(stopHook);
          hooked = true;
          if (metricsServer != null) {
            out.printf("Metrics: %s/metrics (Prometheus), status page %s/%n",
                metricsServer.baseUrl(), metricsServer.baseUrl());
          }
        }
        try (ProgressReporter progress = ProgressReporter.start(result,
                Duration.ofSeconds(options.getProgressSeconds()), out, "stream".equals(jobType))) {
          PipelineResult.State state = result.waitUntilFinish();
          if (leaseLost.get()) {
            throw new IllegalStateException("the " + runner + " job was cancelled: it lost the "
                + "sync lease (see the log), so it wrote no more and advances nothing");
          }
          // The DirectRunner throws when a job fails; a detached Flink job (--attachedMode=false)
          // only reports it, so a FAILED (or, unasked, CANCELLED) end is a failure here too.
          if (state == PipelineResult.State.FAILED
              || (state == PipelineResult.State.CANCELLED && !stopRequested.get())) {
            throw new IllegalStateException("the " + runner + " job ended " + state);
          }
        } finally {
          JobMetrics sliceMetrics = JobMetrics.of(result);
          metrics = metrics == null ? sliceMetrics : metrics.plus(sliceMetrics);
          previous = sliceMetrics;
          synchronized (finishedSlices) {
            finishedSlices.set(finishedSlices.get().plus(MetricsSnapshot.of(result)));
            live.set(null);
          }
        }
      }
      if (metrics == null) {
        metrics = JobMetrics.of(Map.of()); // nothing was left to run
      }
    } catch (RuntimeException | Error e) {
      failure = e;
    } finally {
      if (metricsServer != null) {
        if (!stopRequested.get()) {
          metricsServer.lingerThenClose(Duration.ofSeconds(options.getMetricsLingerSeconds()));
        }
        metricsServer.close();
      }
    }
    if (hooked && !stopRequested.get()) {
      try {
        Runtime.getRuntime().removeShutdownHook(stopHook);
      } catch (IllegalStateException shuttingDown) {
        // The JVM is already exiting; the hook runs.
      }
    }
    Instant finished = Instant.now();
    JobLog log;
    try (Warehouse wh = Warehouse.open(options.getWarehouse())) {
      Map<String, Long> after = wh.tableCounts();
      String quotaLeft = failure == null && !stopRequested.get() ? pausedOnQuota(metrics) : null;
      JobLog.Status status = stopRequested.get() ? JobLog.Status.STOPPED
          : failure != null ? JobLog.Status.FAILED
          : quotaLeft != null ? JobLog.Status.PAUSED_QUOTA : JobLog.Status.SUCCEEDED;
      log = log(jobId, jobType, runner, status, windowFrom, windowTo, started, finished, metrics,
          rowsWritten(metrics), after,
          quotaLeft != null ? quotaLeft
              : failure == null || stopRequested.get() ? null
              : SecretRedaction.redact(String.valueOf(failure.getMessage())),
          optionsMap(options));
      // What is left to read (quotaLeft) is in the log's error message, which the summary shows.
      // Read from the warehouse, not runner metrics (a detached Flink job reports none).
      log = log.toBuilder().callsDeleted(wh.callsDeletedBy(jobId)).build();
      wh.recordJob(log);
      if (stopRequested.get()) {
        // Before the latch opens: once it does, the stop hook returns and the JVM halts, so
        // anything this thread prints afterwards is usually lost.
        out.printf("Job %s stopped on request; %s%n", jobId, failure == null
            ? "it drained: everything read so far is written."
            : "cancelled: MERGE batches in flight were written; the next run writes what was "
                + "still buffered.");
        out.flush();
      }
    } finally {
      if (lease != null && stopRequested.get()) {
        lease.close(); // before the latch opens: the stop hook's return halts the JVM
      }
      logged.countDown();
    }
    if (stopRequested.get()) {
      return new Summary(log, metrics, Duration.between(started, finished));
    }
    if (failure != null) {
      LOG.error("Job {} failed: {}", jobId, SecretRedaction.stackTrace(failure));
      if (failure instanceof RuntimeException re) {
        throw re;
      }
      throw (Error) failure;
    }
    return new Summary(log, metrics, Duration.between(started, finished));
  }

  /**
   * With {@code --metricsPort}, serves the job's metrics (Prometheus), status page and status JSON
   * (empty until the pipeline runs) until the job ends; otherwise returns null.
   */
  private static MetricsServer startMetricsServer(GongPipelineOptions options,
      AtomicReference<PipelineResult> live, AtomicReference<MetricsSnapshot> finishedSlices,
      String jobId, String jobType) {
    Integer port = options.getMetricsPort();
    if (port == null || port <= 0) {
      return null;
    }
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("job_id", jobId);
    labels.put("mode", jobType);
    labels.put("runner", options.getRunner().getSimpleName());
    String bind = options.getMetricsBind() == null ? MetricsServer.DEFAULT_BIND
        : options.getMetricsBind();
    return MetricsServer.start(bind, port, () -> {
      synchronized (finishedSlices) {
        PipelineResult r = live.get();
        return r == null ? finishedSlices.get()
            : finishedSlices.get().plus(MetricsSnapshot.of(r));
      }
    }, labels, MetricsServer.SAMPLE_EVERY);
  }

  /**
   * When Gong requests were refused because the daily budget (or Gong's own daily quota) is
   * spent: what is left to read, from the list and fetch dead letters (kind RATE_LIMITED); null
   * when the run was not stopped by the budget.
   */
  static String pausedOnQuota(JobMetrics metrics) {
    if (metrics == null || metrics.get(MetricNames.GONG_QUOTA_STOPS) == 0) {
      return null;
    }
    long windows = metrics.get(DeadLetterStage.COUNTER_NAMESPACE,
        DeadLetterStage.LIST_CALLS.counterName());
    long calls = metrics.get(DeadLetterStage.COUNTER_NAMESPACE,
        DeadLetterStage.FETCH_CALLS.counterName());
    return "paused on the Gong daily request budget: " + windows + " sub-window(s) not listed and "
        + calls + " call(s) not fetched (OPS_MONITORING.DEAD_LETTER, FAILURE_KIND RATE_LIMITED); "
        + "everything fetched before the stop is written. Re-run after UTC midnight (or raise "
        + "--gongDailyRequestBudget) to read the rest.";
  }

  private static Map<String, Long> rowsWritten(JobMetrics metrics) {
    Map<String, Long> out = new TreeMap<>();
    if (metrics != null) {
      metrics.byPrefix("warehouse", "rows_merged_").forEach(
          (table, n) -> out.put(WarehouseTable.valueOf(table).qualifiedName(), n));
    }
    return out;
  }

  private static JobLog log(String jobId, String jobType, String runner, JobLog.Status status,
      Instant from, Instant to, Instant started, Instant finished, JobMetrics m,
      Map<String, Long> rowsWritten, Map<String, Long> counts, String error,
      Map<String, String> options) {
    return new JobLog(
        jobId, jobType, runner, status, from, to, started, finished,
        finished == null ? null : Duration.between(started, finished).toMillis(),
        m == null ? 0 : m.get("pipeline", "calls_parsed"),
        m == null ? 0 : m.get("enrich", "chunks_embedded"),
        rowsWritten, counts,
        m == null ? 0 : m.gongRequests(),
        m == null ? 0 : m.get("gong", "retries"),
        m == null ? 0 : m.get("gong", "http_429"),
        m == null ? 0 : m.get("pipeline", "dead_letters"),
        error, options);
  }

  /**
   * Options as recorded in the job log, {@linkplain SecretRedaction redacted}: a JDBC URL's
   * {@code password=}/{@code token=} parameters never reach {@code ETL_JOB_LOGS.OPTIONS}.
   */
  static Map<String, String> optionsMap(GongPipelineOptions o) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("gongBaseUrl", o.getGongBaseUrl());
    m.put("warehouse", o.getWarehouse());
    m.put("embeddings", o.getEmbeddings());
    m.put("sentiment", o.getSentiment());
    m.put("chunkMaxTokens", String.valueOf(o.getChunkMaxTokens()));
    m.put("chunkOverlapTokens", String.valueOf(o.getChunkOverlapTokens()));
    m.put("listWindow", o.getListWindow());
    m.put("includePrivateCalls", String.valueOf(o.getIncludePrivateCalls()));
    m.put("syncDeletedCalls", String.valueOf(o.getSyncDeletedCalls()));
    m.put("gongDailyRequestBudget", String.valueOf(o.getGongDailyRequestBudget()));
    m.values().removeIf(java.util.Objects::isNull);
    return new HashMap<>(SecretRedaction.redact(m));
  }
}
