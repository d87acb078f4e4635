package com.gongpipeline.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One {@link GongPipelineCli} command in its own JVM on the test class path, with an environment
 * of its own (the CLI reads credentials only from the environment), stdout and stderr together
 * in a file. Close it to kill a child that is still running.
 */
final class ChildCli implements AutoCloseable {
  final Process process;
  final Path output;

  private ChildCli(Process process, Path output) {
    this.process = process;
    this.output = output;
  }

  /**
   * Starts {@code java -cp <test class path> GongPipelineCli <command> <args>}. {@code env} is
   * added to this JVM's environment minus every {@code SNOWFLAKE_*} and {@code GONG_*} variable,
   * so only the credentials the test gives reach the child.
   */
  static ChildCli start(String command, List<String> args, Map<String, String> env, Path output)
      throws IOException {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
        "-cp", System.getProperty("java.class.path"), GongPipelineCli.class.getName(), command));
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(output.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("SNOWFLAKE_") || k.startsWith("GONG_"));
    pb.environment().putAll(env);
    return new ChildCli(pb.start(), output);
  }

  /** Waits for the exit code; -1 after {@code timeoutSeconds} (the child is then killed). */
  int waitFor(long timeoutSeconds) throws InterruptedException {
    if (process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      return process.exitValue();
    }
    close();
    return -1;
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
