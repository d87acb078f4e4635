package com.gongpipeline.pipeline.flink;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One run of the shaded job jar in its own JVM, the way a user runs it: {@code java -jar
 * gong-pipeline.jar <command> $(cat runner-configs/<runner>.args) --more=flags}. Flags given
 * later replace a flag file's flag of the same name (Beam rejects a flag given twice).
 */
final class JobJarRun implements AutoCloseable {
  final Process process;
  final Path output;

  private JobJarRun(Process process, Path output) {
    this.process = process;
    this.output = output;
  }

  /** The flags of {@code runner-configs/<name>.args}, by name, in file order. */
  static Map<String, String> argsFile(String name) throws IOException {
    Map<String, String> flags = new LinkedHashMap<>();
    Path file = FlinkSessionCluster.flinkDir().getParent().resolve(name + ".args");
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

  /** Starts {@code java -jar <job jar> <command> <flags>} with its output in {@code output}. */
  static JobJarRun start(String command, Map<String, String> flags, Map<String, String> env,
      Path output) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx2g",
        "-jar", FlinkSessionCluster.jobJar().toString(), command));
    flags.forEach((k, v) -> cmd.add("--" + k + "=" + v));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(output.toFile());
    pb.environment().putAll(env);
    System.out.println("starting: " + String.join(" ", cmd.subList(3, cmd.size())));
    return new JobJarRun(pb.start(), output);
  }

  /** Waits for the exit code; -1 after {@code timeoutSeconds}. */
  int waitFor(long timeoutSeconds) throws InterruptedException {
    return process.waitFor(timeoutSeconds, TimeUnit.SECONDS) ? process.exitValue() : -1;
  }

  String output() throws IOException {
    return Files.readString(output);
  }

  /** The last lines of the output, for failure messages. */
  String tail() throws IOException {
    List<String> lines = Files.readAllLines(output);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }
}
