package com.gongpipeline.pipeline;

import com.gongpipeline.errors.SecretRedaction;
import com.gongpipeline.gong.GongCredentials;
import com.gongpipeline.pipeline.options.GongPipelineOptions;
import com.gongpipeline.warehouse.JobLog;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * The job jar's entry point: {@code java -jar gong-pipeline.jar <command> [--flags]}.
 *
 * <pre>{@code
 * backfill --gongBaseUrl=URL --from=ISO [--to=ISO] [--warehouse=JDBC_URL] [--runner=DirectRunner]
 * incremental --gongBaseUrl=URL [--from=ISO] [--lookback=P3D]   cron-safe sync from the stored mark
 * check    --gongBaseUrl=URL [--warehouse=…]   Gong, warehouse and models answer (one request each)
 * search "pricing objections" [--warehouse=…] [--account=…] [--since=…] [--speaker=…] [--k=5] [--json]
 * similar  --call=ID | --deal=ID [--k=5] [--warehouse=…] [--json]
 * demo     [--calls=300]      simulator + backfill + summary + sample search
 * simulate [--port=8089]      a simulated Gong tenant on localhost
 * bench    [--calls=300]      throughput figures against the simulator
 * }</pre>
 */
public final class GongPipelineCli {
  private GongPipelineCli() {}

  public static void main(String[] args) {
    PrintStream stdout = System.out;
    if (args.length > 0 && JOB_COMMANDS.contains(args[0])) {
      if (flag(args, "quiet")) {
        // Before the first logger is created (slf4j-simple reads its levels once).
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "error");
      }
      if (flag(args, "json")) {
        // stdout carries the JSON line alone: whatever else writes to System.out (a library, the
        // runner's client) goes to stderr with the logs.
        System.setOut(System.err);
      } else if (flag(args, "quiet")) {
        System.setOut(NOWHERE);
      }
    }
    System.exit(run(args, stdout, System.err));
  }

  /** The Beam job commands (options from {@link GongPipelineOptions}, --quiet and --json). */
  static final List<String> JOB_COMMANDS = List.of("backfill", "incremental", "stream");

  /** Discards what is printed to it (the terminal of a --quiet run). */
  static final PrintStream NOWHERE = new PrintStream(java.io.OutputStream.nullOutputStream());

  /** Whether a boolean Beam flag is set: {@code --name} or {@code --name=true}. */
  static boolean flag(String[] args, String name) {
    boolean set = false;
    for (String a : args) {
      if (a.equals("--" + name) || a.equalsIgnoreCase("--" + name + "=true")) {
        set = true;
      } else if (a.equalsIgnoreCase("--" + name + "=false")) {
        set = false;
      }
    }
    return set;
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("help")) {
      usage(out);
      return (args.length == 0 ? ExitCode.USAGE : ExitCode.SUCCEEDED).code();
    }
    String command = args[0];
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    if (List.of("search", "similar", "brief", "risks", "demo", "simulate", "bench", "check")
        .contains(command)
        && Arrays.asList(rest).contains("--help")) {
      // The non-Beam commands' flags are listed in the usage, which ends with the exit codes.
      usage(out);
      return ExitCode.SUCCEEDED.code();
    }
    try {
      switch (command) {
        case "backfill" -> {
          return pipelineJob(rest, out, err, BackfillCommand::run);
        }
        case "incremental" -> {
          return pipelineJob(rest, out, err, IncrementalCommand::run);
        }
        case "stream" -> {
          return pipelineJob(rest, out, err, StreamCommand::run);
        }
        case "check" -> {
          return CheckCommand.run(rest, out);
        }
        case "search" -> SearchCommand.run(rest, out);
        case "brief" -> BriefCommand.run(rest, out);
        case "risks" -> RisksCommand.run(rest, out);
        case "similar" -> SimilarCommand.run(rest, out);
        case "serve" -> ServeCommand.run(rest, out);
        case "demo" -> DemoCommand.run(rest, out);
        case "simulate" -> SimulateCommand.run(rest, out);
        case "bench" -> BenchCommand.run(rest, out);
        default -> {
          err.println("unknown command: " + command);
          usage(err);
          return ExitCode.USAGE.code();
        }
      }
      return ExitCode.SUCCEEDED.code();
    } catch (Exception e) {
      ExitCode code = ExitCode.forFailure(e);
      if (JOB_COMMANDS.contains(command) && flag(rest, "json")) {
        // Still exactly one JSON line on stdout; the message (and trace) go to stderr below.
        out.println(SummaryRenderer.failureJson(command, code, String.valueOf(e.getMessage())));
      }
      switch (code) {
        // Messages and traces are redacted: a --warehouse URL's password=/token= never shows.
        case USAGE -> err.println("error: " + SecretRedaction.redact(e.getMessage()));
        // Another run holds the sync lease: not a failure of this run, nothing was touched.
        case LEASE_HELD -> err.println("not started: " + SecretRedaction.redact(e.getMessage()));
        default -> {
          err.println("failed: " + SecretRedaction.describe(e));
          err.print(SecretRedaction.stackTrace(e));
        }
      }
      return code.code();
    }
  }

  /** How a Beam job command runs once its options are parsed. */
  @FunctionalInterface
  interface JobCommand {
    JobRun.Summary run(GongPipelineOptions options, GongCredentials credentials, PrintStream out);
  }

  /**
   * Parses Beam-style options (or prints them for {@code --help}), runs one job command and ends
   * with its summary: the human one, the status line alone ({@code --quiet}) or one JSON line
   * ({@code --json}, everything else going to {@code err}).
   */
  static int pipelineJob(String[] args, PrintStream out, PrintStream err, JobCommand command) {
    if (Arrays.asList(args).contains("--help")) {
      PipelineOptionsFactory.printHelp(out, GongPipelineOptions.class);
      out.println(ExitCode.help());
      return ExitCode.SUCCEEDED.code();
    }
    PipelineOptionsFactory.register(GongPipelineOptions.class);
    String[] referenced = withSecretsReferenced(args);
    if (!Arrays.equals(referenced, args)) {
      // A notice, not the result: on stderr for --json (stdout is the JSON line), none for --quiet.
      PrintStream notice = flag(args, "json") ? err : flag(args, "quiet") ? NOWHERE : out;
      notice.println("--warehouse: its secret parameter(s) are kept out of the pipeline options "
          + "(Beam and Flink show options in job parameters); they resolve in this JVM only. For "
          + "a remote Flink cluster, set an environment variable on the TaskManagers and write "
          + "e.g. password=${SNOWFLAKE_PASSWORD} in the URL.");
    }
    args = referenced;
    GongPipelineOptions o =
        PipelineOptionsFactory.fromArgs(args).withValidation().as(GongPipelineOptions.class);
    RunnerDefaults.apply(o, args);
    JobJarCompanions.requireRunner(o.getRunner());
    applyStatementTimeout(o);
    boolean json = Boolean.TRUE.equals(o.getJson());
    boolean quiet = Boolean.TRUE.equals(o.getQuiet());
    // What the job prints while it runs (headers, progress lines): stderr for --json, nowhere
    // for --quiet.
    PrintStream jobOut = json ? err : quiet ? NOWHERE : out;
    JobRun.Summary s = command.run(o, GongBackfill.credentials(o), jobOut);
    if (json) {
      out.println(SummaryRenderer.json(s));
    } else if (quiet) {
      out.println(SummaryRenderer.statusLine(s));
    } else {
      SummaryRenderer.printHuman(s, out);
    }
    out.flush();
    return exitCode(s.log().status()).code();
  }

  private static final java.util.concurrent.atomic.AtomicInteger SECRETS =
      new java.util.concurrent.atomic.AtomicInteger();

  /**
   * The arguments with each literal secret of {@code --warehouse} (a {@code password=}, {@code
   * token=}… parameter or a URL password, as {@link SecretRedaction} knows them) moved into a
   * system property of this JVM and referenced as {@code ${gong.warehouse.secret.N}}, which
   * {@code Warehouse.open} resolves ({@code WarehouseUrls}). So the secret never becomes a
   * pipeline option: not in {@code PipelineOptions.toString()}, not in the job parameters the
   * FlinkRunner hands Flink (shown in its web UI), not in logs. References already there stay.
   */
  static String[] withSecretsReferenced(String[] args) {
    String[] out = args.clone();
    for (int i = 0; i < out.length; i++) {
      if (!out[i].startsWith("--warehouse=")) {
        continue;
      }
      String url = out[i].substring("--warehouse=".length());
      out[i] = "--warehouse=" + SecretRedaction.replaceSecrets(url, value -> {
        if (value.startsWith("${")) {
          return value;
        }
        String name = "gong.warehouse.secret." + SECRETS.incrementAndGet();
        System.setProperty(name, value);
        return "${" + name + "}";
      });
    }
    return out;
  }

  /**
   * {@code --snowflakeStatementTimeout} travels in the Snowflake warehouse URL (every worker opens
   * the warehouse from it); {@code SnowflakeWarehouse} takes it off before the driver sees it.
   */
  static void applyStatementTimeout(GongPipelineOptions o) {
    String url = o.getWarehouse();
    if (url != null && url.startsWith("jdbc:snowflake:")
        && o.getSnowflakeStatementTimeout() != null) {
      o.setWarehouse(com.gongpipeline.warehouse.SnowflakeWarehouse.withStatementTimeout(url,
          o.getSnowflakeStatementTimeout()));
    }
  }

  /** The exit code of a job that ended with {@code status} (a failed job throws instead). */
  static ExitCode exitCode(JobLog.Status status) {
    return switch (status) {
      case FAILED -> ExitCode.FAILED;
      case PAUSED_QUOTA -> ExitCode.PAUSED_QUOTA;
      default -> ExitCode.SUCCEEDED;
    };
  }

  static void usage(PrintStream out) {
    out.println("""
        usage: java -jar pipeline/target/gong-pipeline.jar <command> [--flags]

        commands:
          backfill   --gongBaseUrl=URL --from=ISO [--to=ISO] [--warehouse=JDBC_URL] [--runner=…]
                     every call started in [from, to) into RAW / STG / AI_MEMORY (backfill --help
                     lists every option with its default)
          incremental --gongBaseUrl=URL [--from=ISO] [--lookback=P3D]
                     calls started in [high-water mark - lookback, now); advances the mark only
                     after every table is written; a lease keeps two runs from overlapping
                     (exit code 3 when another run holds it)
          stream     --gongBaseUrl=URL [--pollInterval=PT1M] [--lookback=P3D] [--runFor=PT10M]
                     unbounded: polls Gong, de-duplicates re-polled calls, same MERGE path;
                     SIGTERM stops it cleanly
          check      --gongBaseUrl=URL [--warehouse=…] [--embeddings=cortex --cortexUrl=URL]
                     [--sentiment=cortex]   verifies in seconds, one request per thing, that Gong
                     (key, base URL, scopes for calls/details/transcripts), the warehouse (reachable,
                     schema version, create + merge rights) and the models answer; exit 0 only if
                     all pass
          search     "text" [--warehouse=…] [--account=…] [--since=…] [--speaker=internal|external]
                     [--k=5] [--json]   semantic search over AI_MEMORY
          brief      --account=NAME [--days=90] [--asOf=ISO] [--warehouse=…] [--json]
                     pre-meeting brief from the tables: latest calls with Gong's summary, next
                     steps, customer risks/objections, people met, weekly sentiment, each cited
                     (call, date, speaker, mm:ss), quotes PII-redacted; account matched ignoring
                     case (exit 2 with the nearest names when unknown)
          risks      --warehouse=jdbc:snowflake://… [--maxCalls=100] [--maxStatements=50]
                     Snowflake path of the deal risks: Cortex AI_CLASSIFY over the customer chunks
                     of calls whose chunks changed (one bounded MERGE per statement, until none left);
                     backfill/incremental run it after the write on Snowflake with Cortex
                     embeddings (--cortexRisks=auto|off, --cortexRisksMaxCalls=500)
          similar    --call=ID | --deal=ID [--k=5] [--warehouse=…] [--json]   the k calls most
                     similar to a call or to a deal's calls (call vectors in AI_MEMORY.CALL_VECTORS)
          serve      [--warehouse=…] [--port=8765] [--bind=127.0.0.1] [--stdio] [--allowVerbatim]
                     hybrid search over AI_MEMORY: HTTP API, MCP at /mcp, search page at /
          demo       [--calls=300] [--noFaults]   simulator + backfill + summary + sample search
          simulate   [--port=8089] [--calls=300] [--seed=42]   a simulated Gong tenant
                     [--cortexPort=8090]   plus a local Cortex embed stand-in (--embeddings=cortex)
          bench      [--calls=300]   throughput: calls/s, chunks/s, API requests per 1000 calls,
                     raw embedding texts/s; bench --scale[=1000,5000,20000]: peak RSS / heap
                     and calls/s per tenant size, each backfilled in its own JVM

        monitoring: --metricsPort=9464 on backfill/incremental/stream/demo serves /metrics
                    (Prometheus) and a live status page at / while the job runs

        output:     backfill/incremental/stream print a progress line every --progressSeconds=5
                    and end with a summary (status, throughput, Gong requests, retries, dead
                    letters, rows per table, exit code). For cron: --quiet prints only errors
                    (stderr) and the one-line status; --json prints one JSON summary line on
                    stdout (fields: backfill --help, under --json) and everything else on stderr

        Gong credentials: GONG_ACCESS_KEY and GONG_ACCESS_KEY_SECRET (or --gongCredentialsFile).
        """);
    out.println(ExitCode.help());
  }
}
