package com.gongpipeline.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import com.gongpipeline.gong.sim.GongSimulator;
import com.gongpipeline.gong.sim.SimulatorConfig;
import com.gongpipeline.pipeline.options.GongPipelineOptions;
import com.gongpipeline.warehouse.Warehouse;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 item 16, residual: a {@code --warehouse} URL with {@code password=} never reaches the
 * logs of a run (Beam's, the warehouse's, ours), nor the pipeline options the runner shows
 * ({@code PipelineOptions.toString()}, which the FlinkRunner hands Flink as job parameters).
 */
class WarehouseSecretNotLoggedTest {
  private static final String SECRET = "Hunter2-s3cr3t-9412";

  @TempDir Path dir;

  /** The secret moves to a reference before the options are built; the warehouse still opens. */
  @Test
  void theSecretNeverBecomesAPipelineOption() {
    String url = "jdbc:duckdb:" + dir.resolve("opt.duckdb") + "?password=" + SECRET;
    String[] args = GongPipelineCli.withSecretsReferenced(
        new String[] {"--warehouse=" + url, "--from=2026-01-01"});
    GongPipelineOptions o = PipelineOptionsFactory.fromArgs(args).as(GongPipelineOptions.class);
    assertThat(o.toString(), not(containsString(SECRET)));
    assertThat(o.getWarehouse(), not(containsString(SECRET)));
    assertThat(o.getWarehouse(), containsString("password=${gong.warehouse.secret."));
    try (Warehouse wh = Warehouse.open(o.getWarehouse())) {
      wh.applySchema();
    }
    // The reference resolved to the same URL (DuckDB takes it all as the file name).
    assertThat(Files.exists(dir.resolve("opt.duckdb?password=" + SECRET)), equalTo(true));
  }

  /** A whole backfill from the CLI: stdout, stderr and every log line are free of the secret. */
  @Test
  void aBackfillWithAPasswordInTheWarehouseUrlLogsNoSecret() throws Exception {
    Instant day = Instant.parse("2026-06-01T00:00:00Z");
    SimulatorConfig config = SimulatorConfig.builder().seed(3).calls(2)
        .callsFrom(day).callsTo(day.plus(Duration.ofHours(12))).requestsPerSecond(50).build();
    Path credentials = dir.resolve("gong.properties");
    Files.writeString(credentials, "accessKey=" + config.accessKey() + "\naccessKeySecret="
        + config.accessKeySecret() + "\n");
    String url = "jdbc:duckdb:" + dir.resolve("run.duckdb") + "?password=" + SECRET;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream stdout = System.out;
    PrintStream stderr = System.err;
    int code;
    try (GongSimulator sim = GongSimulator.start(config)) {
      // slf4j-simple writes to System.err as it is when a line is logged: Beam's and ours.
      System.setOut(new PrintStream(new Tee(stdout, captured), true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(new Tee(stderr, captured), true, StandardCharsets.UTF_8));
      code = GongPipelineCli.run(new String[] {"backfill", "--gongBaseUrl=" + sim.baseUrl(),
          "--gongCredentialsFile=" + credentials, "--from=" + day,
          "--to=" + day.plus(Duration.ofDays(1)), "--warehouse=" + url, "--progressSeconds=0"},
          System.out, System.err);
    } finally {
      System.setOut(stdout);
      System.setErr(stderr);
    }
    String log = captured.toString(StandardCharsets.UTF_8);
    assertThat(log, code, equalTo(0));
    assertThat("the run logged (the capture works)", log, containsString("Applied"));
    assertThat(log, not(containsString(SECRET)));
    try (Warehouse wh = Warehouse.open(url)) {
      assertThat(String.valueOf(wh.query("SELECT OPTIONS, ERROR_MESSAGE FROM "
          + "OPS_MONITORING.ETL_JOB_LOGS")), not(containsString(SECRET)));
      assertThat(((Number) wh.query("SELECT COUNT(*) AS N FROM STG_TRANSFORMED.STG_GONG_CALLS")
          .get(0).get("N")).longValue() > 0, equalTo(true));
    }
  }

  /** Writes to both streams. */
  private static final class Tee extends OutputStream {
    private final OutputStream a;
    private final OutputStream b;

    Tee(OutputStream a, OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public void write(int c) throws java.io.IOException {
      a.write(c);
      synchronized (b) {
        b.write(c);
      }
    }

    @Override
    public void write(byte[] buf, int off, int len) throws java.io.IOException {
      a.write(buf, off, len);
      synchronized (b) {
        b.write(buf, off, len);
      }
    }
  }
}
