package com.gongpipeline.pipeline;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.gongpipeline.errors.SecretRedaction;
import com.gongpipeline.parse.JsonSupport;
import com.gongpipeline.warehouse.JobLog;
import com.gongpipeline.warehouse.WarehouseTable;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * How a finished job is shown: the same human summary after {@code demo}, {@code backfill},
 * {@code incremental} and {@code stream}, its first line alone for {@code --quiet}, and one JSON
 * object for {@code --json}. Every figure comes from the job's {@code ETL_JOB_LOGS} row
 * ({@link JobLog}), so the terminal and the warehouse say the same thing; only the PII
 * redaction count (not a column) comes from the runner's metrics.
 *
 * <pre>{@code
 * Job backfill-20261203T070102Z-1a2b3c SUCCEEDED: 300 calls, 4120 chunks in 95.2 s, 0 dead letters, exit 0
 *   throughput:   3.15 calls/s, 43.3 chunks/s
 *   Gong API:     1290 requests (4300 per 1000 calls), 12 retries, 0 rate-limited (429)
 *   dead letters: 0, PII redactions: 57
 *   tables                                            rows   merged by this run
 *     AI_MEMORY.MEMORY_RECORDS                        4120                 4120
 * }</pre>
 */
final class SummaryRenderer {
  /** The tables the pipeline MERGEs into (and counts in {@code warehouse:rows_merged_*}). */
  static final java.util.Set<String> MERGED_BY_THE_PIPELINE = java.util.Arrays.stream(
      WarehouseTable.values()).map(WarehouseTable::qualifiedName)
      .collect(java.util.stream.Collectors.toUnmodifiableSet());

  private SummaryRenderer() {}

  /** The one-line status: what ended how, the main counts, and the process exit code. */
  static String statusLine(JobRun.Summary s) {
    JobLog log = s.log();
    return String.format(Locale.ROOT, "Job %s %s: %d calls, %d chunks in %.1f s, %d dead letters,"
            + " exit %d", log.jobId(), log.status(), log.callsProcessed(), log.chunksProcessed(),
        seconds(s), log.deadLetters(), GongPipelineCli.exitCode(log.status()).code());
  }

  /** The human summary: the status line, throughput, Gong API use, dead letters, the tables. */
  static void printHuman(JobRun.Summary s, PrintStream out) {
    JobLog log = s.log();
    double secs = seconds(s);
    long calls = log.callsProcessed();
    out.println();
    out.println(statusLine(s));
    if (log.errorMessage() != null) {
      out.println("  note:         " + SecretRedaction.redact(log.errorMessage()));
    }
    out.printf(Locale.ROOT, "  throughput:   %.2f calls/s, %.1f chunks/s%n", perSecond(calls, secs),
        perSecond(log.chunksProcessed(), secs));
    out.printf(Locale.ROOT,
        "  Gong API:     %d requests (%.0f per 1000 calls), %d retries, %d rate-limited (429)%n",
        log.apiRequests(), calls == 0 ? 0 : 1000.0 * log.apiRequests() / calls, log.apiRetries(),
        log.apiRateLimited());
    out.printf(Locale.ROOT, "  dead letters: %d, PII redactions: %d%s%n", log.deadLetters(),
        piiRedactions(s), log.callsDeleted() == 0 ? ""
            : ", calls deleted in Gong: " + log.callsDeleted());
    // A detached Flink job reports no metrics: then "merged by this run" is unknown, not 0.
    boolean merged = !log.rowsWritten().isEmpty() || !s.metrics().all().isEmpty();
    out.printf("  %-45s %10s%s%n", "tables", "rows", merged ? "   merged by this run" : "");
    for (Map.Entry<String, Long> e : log.tableCounts().entrySet()) {
      // Only the pipeline's MERGE targets are counted; the launcher's own tables (job log, lease,
      // sync state, API ledger) show no figure rather than a 0 that would not be true.
      boolean counted = merged && MERGED_BY_THE_PIPELINE.contains(e.getKey());
      out.printf(Locale.ROOT, "    %-43s %10d%s%n", e.getKey(), e.getValue(),
          counted ? String.format(Locale.ROOT, " %20d", log.rowsWritten().getOrDefault(e.getKey(),
              0L)) : "");
    }
  }

  /** The summary as one line of JSON (the documented {@code --json} fields). */
  static String json(JobRun.Summary s) {
    JobLog log = s.log();
    double secs = seconds(s);
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("job_id", log.jobId());
    o.put("job_type", log.jobType());
    o.put("status", log.status().name());
    o.put("exit_code", GongPipelineCli.exitCode(log.status()).code());
    o.put("runner", log.runner());
    putInstant(o, "window_from", log.windowFrom());
    putInstant(o, "window_to", log.windowTo());
    putInstant(o, "started_at", log.startedAt());
    putInstant(o, "finished_at", log.finishedAt());
    o.put("duration_s", round(secs, 1));
    o.put("calls", log.callsProcessed());
    o.put("chunks", log.chunksProcessed());
    o.put("calls_per_s", round(perSecond(log.callsProcessed(), secs), 2));
    o.put("chunks_per_s", round(perSecond(log.chunksProcessed(), secs), 2));
    o.put("gong_requests", log.apiRequests());
    o.put("gong_retries", log.apiRetries());
    o.put("gong_429", log.apiRateLimited());
    o.put("dead_letters", log.deadLetters());
    o.put("calls_deleted", log.callsDeleted());
    o.put("pii_redactions", piiRedactions(s));
    ObjectNode tables = o.putObject("tables");
    log.tableCounts().forEach(tables::put);
    ObjectNode merged = o.putObject("rows_merged");
    log.rowsWritten().forEach(merged::put);
    o.put("message", log.errorMessage() == null ? null
        : SecretRedaction.redact(log.errorMessage()));
    return JsonSupport.write(o);
  }

  /** The {@code --json} line of a command that failed or did not start (no job summary). */
  static String failureJson(String jobType, ExitCode code, String error) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("job_type", jobType);
    o.put("status", code.name());
    o.put("exit_code", code.code());
    o.put("error", SecretRedaction.redact(error));
    return JsonSupport.write(o);
  }

  private static long piiRedactions(JobRun.Summary s) {
    return s.metrics().get("pipeline", "pii_redactions");
  }

  private static double seconds(JobRun.Summary s) {
    Long ms = s.log().durationMs();
    return (ms != null ? ms : s.elapsed().toMillis()) / 1000.0;
  }

  private static double perSecond(long n, double seconds) {
    return seconds <= 0 ? 0 : n / seconds;
  }

  private static double round(double v, int decimals) {
    double f = Math.pow(10, decimals);
    return Math.round(v * f) / f;
  }

  private static void putInstant(ObjectNode o, String field, java.time.@Nullable Instant t) {
    o.put(field, t == null ? null : t.toString());
  }
}
