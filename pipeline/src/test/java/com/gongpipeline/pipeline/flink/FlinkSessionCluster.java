package com.gongpipeline.pipeline.flink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.gongpipeline.testing.ChildJvm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Flink 1.19 standalone session cluster for a test, driven through the same script users run
 * ({@code runner-configs/flink/cluster.sh}): its own work dir, free REST/RPC ports and a
 * Prometheus port range of its own, so several can run on one machine. {@link #close()} stops
 * every process the script started.
 */
final class FlinkSessionCluster implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern PROM_PORT =
      Pattern.compile("Started PrometheusReporter HTTP server on port (\\d+)");

  private final Path script;
  private final Path workDir;
  private final int restPort;
  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();

  private FlinkSessionCluster(Path script, Path workDir, int restPort) {
    this.script = script;
    this.workDir = workDir;
    this.restPort = restPort;
  }

  /** Starts a JobManager and {@code taskManagers} TaskManagers; returns once all slots are up. */
  static FlinkSessionCluster start(Path workDir, int taskManagers, Map<String, String> env)
      throws IOException, InterruptedException {
    return start(workDir, taskManagers, 0, env);
  }

  /**
   * Starts a JobManager and {@code taskManagers} TaskManagers of {@code slots} slots each (0: the
   * shipped {@code flink-conf.yaml}'s); returns once all slots are up.
   */
  static FlinkSessionCluster start(Path workDir, int taskManagers, int slots,
      Map<String, String> env) throws IOException, InterruptedException {
    Path script = flinkDir().resolve("cluster.sh");
    int rest = freePort();
    int rpc = freePort();
    int prom = freePort();
    FlinkSessionCluster c = new FlinkSessionCluster(script, workDir, rest);
    try {
      java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("start",
          "--taskmanagers", String.valueOf(taskManagers),
          "--rest-port", String.valueOf(rest), "--rpc-port", String.valueOf(rpc),
          "--prom-ports", prom + "-" + (prom + 4)));
      if (slots > 0) {
        args.addAll(java.util.List.of("--slots", String.valueOf(slots)));
      }
      c.run(Duration.ofMinutes(4), env, args.toArray(new String[0]));
    } catch (IOException | RuntimeException e) {
      c.close();
      throw e;
    }
    return c;
  }

  /** {@code runner-configs/flink} of this checkout (set by the flink-it profile). */
  static Path flinkDir() {
    String dir = System.getProperty("gong.flinkDir");
    Path p = dir != null ? Path.of(dir) : Path.of("..", "runner-configs", "flink");
    return p.toAbsolutePath().normalize();
  }

  /** The shaded job jar (set by the flink-it profile, built by {@code package}). */
  /**
   * The jar staged on the cluster (filesToStage): the job jar, or with profile flink-cluster-jar
   * the one without what the cluster provides.
   */
  static Path stagedJar() {
    String jar = System.getProperty("gong.stagedJar");
    if (jar == null || jar.isBlank()) {
      return jobJar();
    }
    Path p = Path.of(jar).toAbsolutePath().normalize();
    if (!Files.isRegularFile(p)) {
      throw new IllegalStateException("no staged jar at " + p + ": run `mvn package` first");
    }
    return p;
  }

  /**
   * What the tests stage (filesToStage): {@link #stagedJar()} alone, as {@code
   * runner-configs/flink-cluster.args} does; the default local model (int8 e5-small-v2-q) is inside
   * it, so the fp32 companion jar is not needed on the TaskManagers.
   */
  static String stagedFiles() {
    return stagedJar().toString();
  }

  static Path jobJar() {
    String jar = System.getProperty("gong.jobJar");
    Path p = (jar != null ? Path.of(jar) : Path.of("target", "gong-pipeline.jar"))
        .toAbsolutePath().normalize();
    if (!Files.isRegularFile(p)) {
      throw new IllegalStateException("no job jar at " + p + ": run `mvn package` first");
    }
    return p;
  }

  /** The flags of {@code runner-configs/<name>.args}, by name, in file order. */
  static Map<String, String> argsFile(String name) throws IOException {
    Map<String, String> flags = new LinkedHashMap<>();
    Path file = flinkDir().getParent().resolve(name + ".args");
    for (String line : Files.readAllLines(file)) {
      String arg = line.trim();
      if (arg.startsWith("--")) {
        int eq = arg.indexOf('=');
        flags.put(eq < 0 ? arg.substring(2) : arg.substring(2, eq),
            eq < 0 ? "true" : arg.substring(eq + 1));
      }
    }
    return flags;
  }

  /**
   * One run of the shaded job jar in its own JVM, the way a user runs it: {@code java -jar
   * gong-pipeline.jar <command> $(cat runner-configs/<runner>.args) --more=flags}, with this JVM's
   * environment and the output (stdout and stderr together) in {@code log}. Flags given later
   * replace a flag file's flag of the same name (Beam rejects a flag given twice).
   */
  static ChildJvm.Builder jobJarRun(String command, Map<String, String> flags, Path log) {
    List<String> args = new ArrayList<>(List.of(command));
    flags.forEach((k, v) -> args.add("--" + k + "=" + v));
    System.out.println("starting: " + jobJar() + " " + String.join(" ", args));
    return ChildJvm.jar(jobJar()).args(args).jvmArgs("-Xmx2g").inheritSecrets().mergeStderr()
        .log(log);
  }

  String master() {
    return "localhost:" + restPort;
  }

  Path workDir() {
    return workDir;
  }

  /** GET on the REST API, parsed. */
  JsonNode get(String path) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + restPort + path))
            .timeout(Duration.ofSeconds(10)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException("GET " + path + " -> " + r.statusCode() + ": " + r.body());
    }
    return JSON.readTree(r.body());
  }

  /** Ids of the jobs in a state (e.g. RUNNING). */
  List<String> jobs(String state) throws IOException, InterruptedException {
    List<String> ids = new ArrayList<>();
    for (JsonNode j : get("/jobs/overview").path("jobs")) {
      if (state.equals(j.path("state").asText())) {
        ids.add(j.path("jid").asText());
      }
    }
    return ids;
  }

  /** Stop-with-savepoint without drain (cluster.sh stop-job); returns the script's output. */
  String stopJob(String jobId) throws IOException, InterruptedException {
    return run(Duration.ofMinutes(5), Map.of(), "stop-job", jobId);
  }

  /** kill -9 of TaskManager {@code n} (1-based, in start order). */
  String killTaskManager(int n) throws IOException, InterruptedException {
    return run(Duration.ofSeconds(30), Map.of(), "kill-taskmanager", String.valueOf(n));
  }

  String startTaskManager(Map<String, String> env) throws IOException, InterruptedException {
    return run(Duration.ofSeconds(60), env, "start-taskmanager");
  }

  Path log(String process) {
    return workDir.resolve("logs").resolve(process + ".log");
  }

  /** The Prometheus port TaskManager {@code n} reports on, from its log. */
  int taskManagerPrometheusPort(int n) throws IOException {
    Matcher m = PROM_PORT.matcher(Files.readString(log("taskmanager-" + n)));
    if (!m.find()) {
      throw new IllegalStateException("TaskManager " + n + " logged no Prometheus port");
    }
    return Integer.parseInt(m.group(1));
  }

  /** A Prometheus scrape of TaskManager {@code n}. */
  String scrapeTaskManager(int n) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + taskManagerPrometheusPort(n) + "/metrics"))
            .timeout(Duration.ofSeconds(10)).GET().build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  @Override
  public void close() {
    try {
      run(Duration.ofSeconds(90), Map.of(), "stop");
    } catch (IOException | RuntimeException e) {
      System.err.println("stopping the Flink cluster in " + workDir + ": " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private String run(Duration timeout, Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("bash", script.toString()));
    cmd.addAll(List.of(args));
    cmd.addAll(List.of("--work-dir", workDir.toString()));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().putAll(env);
    Path out = Files.createTempFile("cluster-sh", ".out");
    pb.redirectOutput(out.toFile());
    Process p = pb.start();
    if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("cluster.sh " + String.join(" ", args) + " timed out; output:\n"
          + Files.readString(out));
    }
    String text = Files.readString(out, StandardCharsets.UTF_8);
    Files.deleteIfExists(out);
    System.out.print("cluster.sh " + args[0] + ": " + text);
    if (p.exitValue() != 0) {
      throw new IOException("cluster.sh " + String.join(" ", args) + " exited "
          + p.exitValue() + ":\n" + text);
    }
    return text;
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
