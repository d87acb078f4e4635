package com.gongpipeline.pipeline;

import com.gongpipeline.errors.SecretRedaction;
import com.gongpipeline.pipeline.options.GongPipelineOptions;
import com.gongpipeline.snowflake.CortexRiskSql;
import com.gongpipeline.snowflake.SnowflakeConnections;
import com.gongpipeline.snowflake.SnowflakeStatementTimeout;
import com.gongpipeline.warehouse.JobLog;
import com.gongpipeline.warehouse.SnowflakeWarehouse;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Properties;

/**
 * {@code --cortexRisks=auto|off}: after {@code backfill} / {@code incremental} wrote their calls,
 * the Snowflake path's deal risks ({@link CortexRiskSql}, what {@code risks} runs), so that
 * RISK_INDICATORS are not left NULL on the Cortex path until someone runs {@code risks}. It
 * classifies the calls whose customer chunks changed since Cortex last classified them (this
 * job's, and any an earlier run left behind), at most {@code --cortexRisksMaxCalls} in MERGE
 * statements of at most {@value #CALLS_PER_STATEMENT} calls, each under the warehouse's statement
 * timeout. Its outcome (calls classified, more waiting, or the failure) is a note on the job's
 * {@code ETL_JOB_LOGS} row and summary; a failure leaves the job's status as it was (the calls
 * are written; the MERGE is atomic, so nothing is half-classified) and says to run {@code risks}.
 */
final class CortexRisksStep {
  static final String AUTO = "auto";
  static final String OFF = "off";
  static final int CALLS_PER_STATEMENT = 100;

  private CortexRisksStep() {}

  /** Whether the step runs for these options; a value other than auto/off is a usage error. */
  static boolean enabled(GongPipelineOptions o) {
    String mode = o.getCortexRisks() == null ? AUTO
        : o.getCortexRisks().strip().toLowerCase(Locale.ROOT);
    if (!mode.equals(AUTO) && !mode.equals(OFF)) {
      throw new IllegalArgumentException("--cortexRisks must be auto or off, got "
          + o.getCortexRisks());
    }
    Integer max = o.getCortexRisksMaxCalls();
    if (max == null || max < 1 || max > 100_000) {
      throw new IllegalArgumentException("--cortexRisksMaxCalls must be between 1 and 100000, got "
          + max);
    }
    return mode.equals(AUTO) && "cortex".equalsIgnoreCase(o.getEmbeddings())
        && o.getWarehouse() != null && o.getWarehouse().startsWith("jdbc:snowflake:");
  }

  /** After the write: credentials from the {@code SNOWFLAKE_*} environment, as the warehouse's. */
  static JobRun.Summary afterWrite(JobRun.Summary summary, GongPipelineOptions o,
      PrintStream out) {
    if (!enabled(o)) {
      return summary;
    }
    return afterWrite(summary, o, out, SnowflakeConnections.fromEnvironment());
  }

  /**
   * Runs the step when {@link #enabled} and the job wrote what it read (SUCCEEDED, or paused on
   * the Gong budget with what it fetched written); returns the summary with the step's note, also
   * recorded on the job's row.
   */
  static JobRun.Summary afterWrite(JobRun.Summary summary, GongPipelineOptions o,
      PrintStream out, Properties properties) {
    if (!enabled(o)) {
      return summary;
    }
    JobLog.Status status = summary.log().status();
    if (status != JobLog.Status.SUCCEEDED && status != JobLog.Status.PAUSED_QUOTA) {
      out.printf("Cortex risks: not run, the job ended %s (run `risks` later)%n", status);
      return summary;
    }
    String url = o.getWarehouse();
    int maxCalls = o.getCortexRisksMaxCalls();
    ByteArrayOutputStream statements = new ByteArrayOutputStream();
    PrintStream perStatement = new PrintStream(statements, true, StandardCharsets.UTF_8);
    String note;
    try (Connection c = DriverManager.getConnection(SnowflakeStatementTimeout.without(url),
        properties)) {
      RisksCommand.Outcome outcome = RisksCommand.classify(c,
          Math.min(CALLS_PER_STATEMENT, maxCalls), Integer.MAX_VALUE, maxCalls,
          SnowflakeStatementTimeout.seconds(url), perStatement);
      note = "cortex risks: " + outcome.toString().replace("run again",
          "the next run or `risks` classifies them (--cortexRisksMaxCalls=" + maxCalls + ")");
    } catch (SQLException | RuntimeException e) {
      note = "cortex risks FAILED (" + SecretRedaction.redact(String.valueOf(e.getMessage()))
          + "); calls classified before the failure keep their risks, the others keep what was"
          + " stored: run `risks --warehouse=...` to finish";
    }
    out.print(statements.toString(StandardCharsets.UTF_8));
    out.println(note);
    JobRun.Summary noted = new JobRun.Summary(IncrementalCommand.withNote(summary.log(), note),
        summary.metrics(), summary.elapsed());
    try (SnowflakeWarehouse wh = new SnowflakeWarehouse(url, properties)) {
      wh.recordJob(noted.log());
    }
    return noted;
  }
}
