package com.gongpipeline.pipeline;

import com.gongpipeline.cortex.sim.CortexSimulator;
import com.gongpipeline.cortex.sim.CortexSimulatorConfig;
import com.gongpipeline.gong.sim.GongSimulator;
import com.gongpipeline.gong.sim.SimulatorConfig;
import com.gongpipeline.snowflake.sim.SnowflakeStandIn;
import com.gongpipeline.snowflake.sim.StandInConfig;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;

/**
 * {@code simulate [--port=8089] [--calls=500] [--seed=42] [--days=30] [--liveMinutes=N]
 * [--serverErrorRate=0.05] … [--dailyQuota=10000] [--strictRate] [--cortexPort=8090
 * [--cortexThrottleRate=0.05]]}: a simulated Gong tenant on localhost speaking the v2 wire format,
 * until Ctrl-C; with {@code --cortexPort}, also a local Cortex embed stand-in ({@link
 * CortexSimulator}) beside it. {@code --dailyQuota=N} answers 429 with a Retry-After to UTC
 * midnight once N requests of the day were served; {@code --strictRate} enforces Gong's
 * company-wide 3 requests per sliding second and counts its 429s in {@code /sim/stats}
 * ({@code rateLimited}).
 */
public final class SimulateCommand {
  private SimulateCommand() {}

  static SimulatorConfig config(CliArgs a, SimulatorConfig.Builder b) {
    Instant now = Instant.now();
    int live = a.getInt("liveMinutes", 0);
    b.seed(a.getInt("seed", 42))
        .calls(a.getInt("calls", 300))
        // --liveMinutes=N: a tenant that keeps producing calls, N minutes back to N ahead.
        .callsFrom(live > 0 ? now.minus(Duration.ofMinutes(live))
            : now.minus(Duration.ofDays(a.getInt("days", 30))))
        .callsTo(live > 0 ? now.plus(Duration.ofMinutes(live)) : now.minus(Duration.ofHours(1)))
        .requestsPerSecond(a.getDouble("requestsPerSecond", 3.0))
        .dailyQuota(a.getInt("dailyQuota", 10_000))
        .strictRate(a.has("strictRate"))
        .serverErrorRate(a.getDouble("serverErrorRate", 0))
        .connectionResetRate(a.getDouble("connectionResetRate", 0))
        .cursorExpiryRate(a.getDouble("cursorExpiryRate", 0))
        .malformedPageRate(a.getDouble("malformedPageRate", 0))
        .slowResponseRate(a.getDouble("slowResponseRate", 0))
        .port(a.getInt("port", 0));
    return b.build();
  }

  /** The Cortex stand-in when {@code --cortexPort} is given, else null. */
  static CortexSimulator startCortex(CliArgs a) throws java.io.IOException {
    if (!a.flags.containsKey("cortexPort")) {
      return null;
    }
    return CortexSimulator.start(CortexSimulatorConfig.builder()
        .port(a.getInt("cortexPort", 0))
        .throttleRate(a.getDouble("cortexThrottleRate", 0))
        .seed(a.getInt("seed", 42))
        .build());
  }

  /** The Snowflake stand-in (DuckDB behind the real JDBC protocol) for {@code --snowflakePort}. */
  static SnowflakeStandIn startSnowflake(CliArgs a) throws java.io.IOException {
    if (!a.flags.containsKey("snowflakePort")) {
      return null;
    }
    StandInConfig.Builder b = StandInConfig.builder().port(a.getInt("snowflakePort", 0))
        .token(CortexSimulatorConfig.DEMO_PAT);
    String file = a.flags.get("snowflakeDuckDb");
    if (file != null) {
      b.duckDbUrl("jdbc:duckdb:" + file);
    }
    return SnowflakeStandIn.start(b.build());
  }

  public static void run(String[] args, PrintStream out) throws Exception {
    CliArgs a = CliArgs.parse(args);
    if (!a.flags.containsKey("port")) {
      a.flags.put("port", "8089");
    }
    SimulatorConfig config = config(a, SimulatorConfig.builder());
    try (GongSimulator sim = GongSimulator.start(config);
        CortexSimulator cortex = startCortex(a);
        SnowflakeStandIn snowflake = startSnowflake(a)) {
      out.println("Simulated Gong tenant listening on " + sim.baseUrl());
      out.println("  " + config.calls() + " calls between " + config.callsFrom() + " and "
          + config.callsTo() + " (seed " + config.seed() + ")");
      out.println("  export GONG_ACCESS_KEY=" + config.accessKey());
      // The simulator's own demo credential, not a user secret: printed so clients can connect.
      out.println("  export GONG_ACCESS_KEY_SECRET=" + config.accessKeySecret());
      out.println("  ground truth: " + sim.baseUrl() + "/sim/ground-truth?fromDateTime=…&toDateTime=…");
      out.println("  limits: " + (config.strictRate() ? "strict 3 requests/s (429s counted in "
          + sim.baseUrl() + "/sim/stats)" : config.requestsPerSecond() + " requests/s")
          + ", " + config.dailyQuota() + " requests per UTC day");
      if (cortex != null) {
        out.println("Cortex embed stand-in listening on " + cortex.baseUrl()
            + " (vectors: local e5-small-v2 projected, NOT Snowflake Cortex)");
        // The stand-in's demo token, not a user secret: printed so clients can connect.
        out.println("  export " + com.gongpipeline.snowflake.SnowflakeCredentials.ENV_PAT + "="
            + cortex.config().pat());
        out.println("  backfill flags: --embeddings=cortex --cortexUrl=" + cortex.baseUrl()
            + " [--cortexEmbeddingModel=e5-base-v2]");
      }
      if (snowflake != null) {
        out.println("Snowflake stand-in listening (the real JDBC protocol over HTTP; statements run"
            + " on DuckDB, NOT Snowflake; SENTIMENT is VADER)");
        // The stand-in's demo credentials, not a user secret: printed so clients can connect.
        out.println("  export SNOWFLAKE_USER=" + snowflake.config().user() + " " + com.gongpipeline.snowflake
            .SnowflakeCredentials.ENV_PAT + "=" + snowflake.config().token());
        out.println("  backfill flags: --warehouse='" + snowflake.jdbcUrl()
            + "' --embeddings=cortex --sentiment=cortex (with --cortexPort)");
      }
      out.println("Ctrl-C to stop.");
      CountDownLatch forever = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(forever::countDown));
      forever.await();
    }
  }
}
