package com.gongpipeline.pipeline;

import com.gongpipeline.snowflake.CortexRiskSql;
import com.gongpipeline.snowflake.SnowflakeConnections;
import com.gongpipeline.snowflake.SnowflakeStatementTimeout;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * {@code risks --warehouse=jdbc:snowflake://… [--maxCalls=100] [--maxStatements=50]}: the
 * Snowflake path of the deal-risk columns (sql 130). Runs {@link CortexRiskSql}'s MERGE ({@code
 * AI_CLASSIFY} over the customer chunks in {@code AI_MEMORY.MEMORY_RECORDS}) statement after
 * statement, each classifying at most {@code maxCalls} calls whose customer chunks changed since
 * they were classified by Cortex, until one classifies fewer than that (nothing left) or {@code
 * maxStatements} ran: the cost of one run is bounded, a re-run over unchanged chunks sends nothing
 * to AI_CLASSIFY, and a failed statement changes nothing (the MERGE is atomic; run again).
 *
 * <p>Run it after {@code backfill} / {@code incremental} on a Snowflake warehouse: the pipeline's
 * own classifier needs the local e5-small-v2 vectors, so with {@code --embeddings=cortex} it leaves
 * RISK_INDICATORS NULL and the reports fall back to Gong's trackers until this has run. Credentials
 * come from the {@code SNOWFLAKE_*} environment, as for the warehouse.
 */
final class RisksCommand {
  static final String USAGE = "usage: risks --warehouse=jdbc:snowflake://… [--maxCalls=100]"
      + " [--maxStatements=50]";
  static final int DEFAULT_MAX_CALLS = 100;
  static final int DEFAULT_MAX_STATEMENTS = 50;

  private RisksCommand() {}

  /** The calls classified, in total. */
  static int run(String[] args, PrintStream out) throws SQLException {
    snowflakeUrl(CliArgs.parse(args)); // usage errors before credentials are looked for
    return run(args, out, SnowflakeConnections.fromEnvironment());
  }

  /** With the connection properties (tests: the stand-in's token). */
  static int run(String[] args, PrintStream out, Properties properties) throws SQLException {
    CliArgs a = CliArgs.parse(args);
    String url = snowflakeUrl(a);
    int maxCalls = a.getInt("maxCalls", DEFAULT_MAX_CALLS);
    int maxStatements = a.getInt("maxStatements", DEFAULT_MAX_STATEMENTS);
    if (maxCalls < 1 || maxCalls > 10_000 || maxStatements < 1 || maxStatements > 10_000) {
      throw new IllegalArgumentException("--maxCalls and --maxStatements must be between 1 and"
          + " 10000: " + USAGE);
    }
    int timeout = SnowflakeStatementTimeout.seconds(url);
    Outcome outcome;
    try (Connection c = DriverManager.getConnection(SnowflakeStatementTimeout.without(url),
        properties)) {
      outcome = classify(c, maxCalls, maxStatements, timeout, out);
    }
    out.println("risks: " + outcome);
    return outcome.calls();
  }

  /**
   * What a run of bounded statements did.
   *
   * @param calls calls classified in all
   * @param statements MERGE statements run
   * @param moreWaiting the last statement classified as many calls as it could: more may wait
   */
  record Outcome(int calls, int statements, boolean moreWaiting) {
    @Override
    public String toString() {
      return String.format(java.util.Locale.ROOT, "%d call%s classified (%s) in %d statement%s%s",
          calls, calls == 1 ? "" : "s", CortexRiskSql.METHOD, statements,
          statements == 1 ? "" : "s",
          moreWaiting ? "; more calls may be waiting: run again" : "; none left");
    }
  }

  /**
   * Runs {@link CortexRiskSql}'s MERGE statement after statement, each over at most {@code
   * maxCalls} calls, until one classifies fewer (nothing left) or {@code maxStatements} ran; one
   * line per statement on {@code out}.
   */
  static Outcome classify(Connection c, int maxCalls, int maxStatements, int timeoutSeconds,
      PrintStream out) throws SQLException {
    return classify(c, maxCalls, maxStatements, Integer.MAX_VALUE, timeoutSeconds, out);
  }

  /**
   * As above, and at most {@code maxTotal} calls in all: the last statement asks for no more than
   * what is left of it.
   */
  static Outcome classify(Connection c, int maxCalls, int maxStatements, int maxTotal,
      int timeoutSeconds, PrintStream out) throws SQLException {
    int total = 0;
    int statements = 0;
    boolean full = true;
    while (full && statements < maxStatements && total < maxTotal) {
      int limit = Math.min(maxCalls, maxTotal - total);
      int last = CortexRiskSql.classify(c, limit, timeoutSeconds);
      statements++;
      total += last;
      full = last == limit;
      out.printf("statement %d: %d call%s classified with AI_CLASSIFY%n", statements, last,
          last == 1 ? "" : "s");
    }
    return new Outcome(total, statements, full);
  }

  private static String snowflakeUrl(CliArgs a) {
    String url = a.get("warehouse", null);
    if (!a.positional.isEmpty() || url == null || !url.startsWith("jdbc:snowflake:")) {
      throw new IllegalArgumentException(USAGE + " (AI_CLASSIFY runs in Snowflake; a DuckDB"
          + " warehouse gets its risks from the pipeline's e5 classifier during backfill)");
    }
    return url;
  }
}
