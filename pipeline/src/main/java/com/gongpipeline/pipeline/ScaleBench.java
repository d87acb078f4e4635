package com.gongpipeline.pipeline;

import com.gongpipeline.cortex.sim.CortexSimulator;
import com.gongpipeline.cortex.sim.CortexSimulatorConfig;
import com.gongpipeline.gong.sim.GongSimulator;
import com.gongpipeline.gong.sim.SimulatorConfig;
import com.gongpipeline.snowflake.SnowflakeCredentials;
import com.sun.management.GarbageCollectionNotificationInfo;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * {@code bench --scale[=1000,5000,20000] [--days=30] [--scaleJvmArgs="-Xmx1g …"]}: does memory
 * stay flat as the corpus grows? For each size, a simulated tenant of that many calls is
 * backfilled by {@code backfill} in a child JVM of its own (so each peak is its own) on the
 * DirectRunner, with Cortex-shaped 768-d embeddings from the local Cortex stand-in in hashed-vector
 * mode (so the embedding model neither dominates the time nor sits in the measured process), VADER
 * sentiment and a fresh DuckDB file. Prints per size the peak RSS, the peak heap live after a
 * collection and the peak committed heap, calls/s, and the largest over the smallest size's RSS.
 */
final class ScaleBench {
  static final String RESULT = "SCALE-RESULT";
  private static final Pattern RESULT_LINE = Pattern.compile(RESULT
      + " calls=(\\d+) seconds=([\\d.]+) rssPeakMiB=(\\d+) heapLivePeakMiB=(\\d+)"
      + " heapCommittedPeakMiB=(\\d+) exit=(-?\\d+)");

  private ScaleBench() {}

  /** One size's figures. */
  record Figures(int size, long calls, double seconds, long rssMiB, long heapLiveMiB,
      long heapCommittedMiB, int exit) {}

  static void run(CliArgs a, PrintStream out) throws Exception {
    String sizesFlag = a.get("scale", "true");
    int[] sizes = "true".equals(sizesFlag) ? new int[] {1000, 5000, 20000}
        : Arrays.stream(sizesFlag.split(",")).map(String::trim).mapToInt(Integer::parseInt)
            .toArray();
    int days = a.getInt("days", 30);
    List<String> jvmArgs = childJvmArgs(a);
    Path dir = Files.createTempDirectory("gong-scale");
    List<Figures> all = new ArrayList<>();
    try (CortexSimulator cortex = CortexSimulator.start(
        CortexSimulatorConfig.builder().hashedVectors(true).build())) {
      for (int size : sizes) {
        Instant to = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        SimulatorConfig config = SimulatorConfig.builder().seed(a.getInt("seed", 42)).calls(size)
            .callsFrom(to.minus(Duration.ofDays(days))).callsTo(to.minus(Duration.ofHours(1)))
            .requestsPerSecond(1000).build();
        try (GongSimulator sim = GongSimulator.start(config)) {
          List<String> cmd = new ArrayList<>();
          cmd.add(ProcessHandle.current().info().command().orElse("java"));
          cmd.addAll(jvmArgs);
          cmd.addAll(List.of("-cp", System.getProperty("java.class.path"),
              ScaleBench.class.getName(), "backfill", "--gongBaseUrl=" + sim.baseUrl(),
              "--from=" + config.callsFrom(), "--to=" + to,
              "--warehouse=jdbc:duckdb:" + dir.resolve("scale-" + size + ".duckdb"),
              "--gongRequestsPerSecond=1000", "--progressSeconds=30", "--embeddings=cortex",
              "--cortexUrl=" + cortex.baseUrl(), "--sentiment=local"));
          cmd.addAll(List.of(a.rest("scale", "days", "seed", "scaleJvmArgs")));
          ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.PIPE);
          Map<String, String> env = pb.environment();
          env.put("GONG_ACCESS_KEY", config.accessKey());
          env.put("GONG_ACCESS_KEY_SECRET", config.accessKeySecret());
          env.put(SnowflakeCredentials.ENV_PAT, cortex.config().pat());
          out.printf(Locale.ROOT, "Scale %d calls over %d days: backfill in a child JVM %s%n",
              size, days, jvmArgs);
          Process p = pb.start();
          Figures f = null;
          Path childLog = dir.resolve("scale-" + size + ".log");
          out.printf(Locale.ROOT, "  [%d] child output: %s%n", size, childLog);
          try (BufferedReader r = new BufferedReader(
              new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
              java.io.BufferedWriter log = Files.newBufferedWriter(childLog)) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
              log.write(line);
              log.newLine();
              Matcher m = RESULT_LINE.matcher(line);
              if (m.find()) {
                f = new Figures(size, Long.parseLong(m.group(1)), Double.parseDouble(m.group(2)),
                    Long.parseLong(m.group(3)), Long.parseLong(m.group(4)),
                    Long.parseLong(m.group(5)), Integer.parseInt(m.group(6)));
              } else if (line.startsWith("Slice") || line.startsWith("Job ")
                  || line.contains("calls ") && line.contains("chunks")) {
                out.println("  [" + size + "] " + line);
              }
            }
          }
          p.waitFor();
          if (f == null) {
            throw new IllegalStateException("the " + size + "-call child printed no result (exit "
                + p.exitValue() + ")");
          }
          all.add(f);
          out.printf(Locale.ROOT, "  [%d] %s%n", size, describe(f));
        }
      }
    }
    out.println();
    out.println("Scale (DirectRunner, Cortex stand-in hashed 768-d vectors, VADER, DuckDB; "
        + Runtime.getRuntime().availableProcessors() + " cores; child JVM " + jvmArgs + ")");
    out.println("  calls    calls/s   peak RSS MiB   heap live peak MiB   heap committed peak MiB");
    for (Figures f : all) {
      out.printf(Locale.ROOT, "  %-8d %-9.1f %-14d %-20d %d%s%n", f.calls(),
          f.calls() / f.seconds(), f.rssMiB(), f.heapLiveMiB(), f.heapCommittedMiB(),
          f.exit() == 0 ? "" : "  (exit " + f.exit() + ")");
    }
    if (all.size() > 1) {
      Figures small = all.get(0);
      Figures large = all.get(all.size() - 1);
      out.printf(Locale.ROOT, "  RSS %d/%d calls: %.2fx (goal <= 1.2x); heap live: %.2fx%n",
          large.size(), small.size(), (double) large.rssMiB() / small.rssMiB(),
          (double) large.heapLiveMiB() / Math.max(1, small.heapLiveMiB()));
    }
  }

  /**
   * The child JVM's options: {@code --scaleJvmArgs} split on white space, else {@value
   * #DEFAULT_JVM_ARGS}; {@code --scaleJvmArgs=} (empty) gives the JVM's own default heap (a
   * quarter of RAM). DuckDB's buffer pool has its own shipped cap (256 MB, {@code
   * -Dgongpipeline.warehouse.duckdbMemoryLimit}) unless these options change it.
   */
  static List<String> childJvmArgs(CliArgs a) {
    return Arrays.stream(a.get("scaleJvmArgs", DEFAULT_JVM_ARGS).trim().split("\\s+"))
        .filter(s -> !s.isEmpty()).toList();
  }

  /**
   * The recommended heap of a DirectRunner backfill: the live heap after GC peaked at 422 / 471
   * MiB for 1,000 / 5,000 calls (slices of ~500 calls), so 1 GB leaves room for the collector;
   * the JVM's default (a quarter of RAM) let the heap alone commit 3.6 GB at 1,000 calls.
   */
  static final String DEFAULT_JVM_ARGS = "-Xmx1g";

  private static String describe(Figures f) {
    return String.format(Locale.ROOT, "%d calls in %.1f s = %.1f calls/s, peak RSS %d MiB, heap "
        + "live peak %d MiB, heap committed peak %d MiB, exit %d", f.calls(), f.seconds(),
        f.calls() / f.seconds(), f.rssMiB(), f.heapLiveMiB(), f.heapCommittedMiB(), f.exit());
  }

  /**
   * The child: runs the CLI command in {@code args} in this JVM, then prints one {@link #RESULT}
   * line with the calls written, the wall time and this process's memory peaks.
   */
  public static void main(String[] args) throws Exception {
    AtomicLong heapLivePeak = new AtomicLong();
    AtomicLong heapCommittedPeak = new AtomicLong();
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      ((NotificationEmitter) gc).addNotificationListener((n, handback) -> {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION
            .equals(n.getType())) {
          return;
        }
        GarbageCollectionNotificationInfo info =
            GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
        long used = 0;
        long committed = 0;
        for (Map.Entry<String, MemoryUsage> e
            : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
          if (isHeapPool(e.getKey())) {
            used += e.getValue().getUsed();
            committed += e.getValue().getCommitted();
          }
        }
        heapLivePeak.accumulateAndGet(used, Math::max);
        heapCommittedPeak.accumulateAndGet(committed, Math::max);
      }, null, null);
    }
    long start = System.nanoTime();
    int exit = GongPipelineCli.run(args, System.out, System.err);
    double seconds = (System.nanoTime() - start) / 1e9;
    long calls = 0;
    String warehouse = Arrays.stream(args).filter(s -> s.startsWith("--warehouse="))
        .map(s -> s.substring("--warehouse=".length())).findFirst().orElse(null);
    if (warehouse != null) {
      try (java.sql.Connection c = java.sql.DriverManager.getConnection(warehouse);
          java.sql.ResultSet rs = c.createStatement().executeQuery(
              "SELECT count(*) FROM STG_TRANSFORMED.STG_GONG_CALLS")) {
        calls = rs.next() ? rs.getLong(1) : 0;
      }
    }
    System.out.printf(Locale.ROOT, "%s calls=%d seconds=%.1f rssPeakMiB=%d heapLivePeakMiB=%d "
        + "heapCommittedPeakMiB=%d exit=%d%n", RESULT, calls, seconds, rssPeakKiB() / 1024,
        heapLivePeak.get() >> 20, heapCommittedPeak.get() >> 20, exit);
    System.out.flush();
    System.exit(exit);
  }

  private static boolean isHeapPool(String pool) {
    return pool.contains("Eden") || pool.contains("Survivor") || pool.contains("Old")
        || pool.contains("Tenured") || pool.contains("Humongous");
  }

  /** VmHWM of /proc/self/status (Linux): this process's peak resident set. */
  static long rssPeakKiB() throws IOException {
    Path status = Path.of("/proc/self/status");
    if (!Files.exists(status)) {
      return -1;
    }
    for (String line : Files.readAllLines(status)) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }
}
