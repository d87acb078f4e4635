package com.gongpipeline.pipeline;

import com.gongpipeline.gong.GongCredentials;
import com.gongpipeline.gong.sim.GongSimulator;
import com.gongpipeline.gong.sim.SimulatorConfig;
import com.gongpipeline.pipeline.options.GongPipelineOptions;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * {@code demo [--calls=300] [--warehouse=jdbc:duckdb:./gong-demo.duckdb] [--noFaults]}: starts the
 * Gong simulator in-process (with a few injected faults), backfills its calls into a fresh DuckDB
 * file, prints what was produced and runs a sample search.
 */
public final class DemoCommand {
  static final String DEMO_WAREHOUSE = "jdbc:duckdb:./gong-demo.duckdb";

  private DemoCommand() {}

  public static JobRun.Summary run(String[] args, PrintStream out) throws Exception {
    CliArgs a = CliArgs.parse(args);
    int days = a.getInt("days", 30);
    String warehouse = a.get("warehouse", DEMO_WAREHOUSE);
    boolean faults = !a.has("noFaults");
    freshDuckDbFile(warehouse);

    SimulatorConfig.Builder b = SimulatorConfig.builder();
    if (faults) {
      // Realistic trouble: a few 5xx, connection resets and malformed pages, all retried.
      a.flags.putIfAbsent("serverErrorRate", "0.03");
      a.flags.putIfAbsent("connectionResetRate", "0.01");
      a.flags.putIfAbsent("malformedPageRate", "0.01");
    }
    SimulatorConfig config = SimulateCommand.config(a, b);
    try (GongSimulator sim = GongSimulator.start(config)) {
      out.printf("Gong simulator: %d calls over the last %d days at %s (faults %s)%n",
          config.calls(), days, sim.baseUrl(), faults ? "on" : "off");
      GongPipelineOptions o = PipelineOptionsFactory
          .fromArgs(a.rest("calls", "seed", "days", "noFaults", "serverErrorRate",
              "connectionResetRate", "cursorExpiryRate", "malformedPageRate", "slowResponseRate",
              "requestsPerSecond", "port", "warehouse"))
          .as(GongPipelineOptions.class);
      RunnerDefaults.apply(o, args);
      o.setGongBaseUrl(sim.baseUrl());
      o.setWarehouse(warehouse);
      o.setFrom(config.callsFrom().toString());
      o.setTo(Instant.now().toString());
      JobRun.Summary summary = BackfillCommand.run(o,
          GongCredentials.of(config.accessKey(), config.accessKeySecret()), out);
      printSummary(summary, sim, warehouse, out);
      out.println();
      out.println("Sample search: search \"pricing objections\" --speaker=external --k=3 "
          + "--warehouse=" + warehouse);
      SearchCommand.run(new String[] {"pricing objections", "--speaker=external", "--k=3",
          "--warehouse=" + warehouse}, out);
      return summary;
    }
  }

  static void printSummary(JobRun.Summary s, GongSimulator sim, String warehouse, PrintStream out)
      throws Exception {
    SummaryRenderer.printHuman(s, out);
    out.println();
    out.println("Sentiment by account (most negative first):");
    Reports.print(warehouse, "sentiment_by_account", out);
  }

  /** Deletes a demo DuckDB file (and its WAL) so every demo starts from nothing. */
  static void freshDuckDbFile(String jdbcUrl) throws Exception {
    String prefix = "jdbc:duckdb:";
    if (!jdbcUrl.startsWith(prefix) || jdbcUrl.startsWith(prefix + ":memory")) {
      return;
    }
    Path file = Path.of(jdbcUrl.substring(prefix.length()));
    Files.deleteIfExists(file);
    Files.deleteIfExists(Path.of(file + ".wal"));
  }

}
