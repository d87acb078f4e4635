package com.gongpipeline.testing;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;

/**
 * One Java program in its own JVM, for tests that run the CLI or a helper the way a user or a
 * second process would: {@code java <jvm args> -cp <this test class path> <main> <args>} or {@code
 * java <jvm args> -jar <jar> <args>}.
 *
 * <ul>
 *   <li>The environment is this JVM's minus every {@code SNOWFLAKE_*} and {@code GONG_*} variable
 *       (unless {@link Builder#inheritSecrets()}), plus what {@link Builder#env} gives, so only
 *       the credentials a test hands over reach the child.
 *   <li>stdout and stderr are pumped line by line (on daemon threads) into a log file, a bounded
 *       buffer of the last lines ({@link #tail()}), and, with {@link Builder#follow()}, a queue a
 *       test reads live ({@link #lines()}); {@link Builder#mergeStderr()} keeps the two streams
 *       in one, in the order the child wrote them.
 *   <li>{@link #waitFor(Duration)} returns the exit code or -1; {@link #kill()} is {@code kill
 *       -9}, {@link #terminate()} is SIGTERM; {@link #close()} kills a child still running.
 * </ul>
 */
public final class ChildJvm implements AutoCloseable {
  /** Which stream a line came from ({@link #OUT} for both when stderr is merged). */
  public enum Stream { OUT, ERR }

  /** One line the child printed. */
  public record Line(Stream stream, String text) {}

  private static final int TAIL_LINES = 40;

  private final Process process;
  private final Path log;
  private final Writer logWriter;
  private final Deque<String> tail = new ArrayDeque<>();
  private final int tailSize;
  private final BlockingQueue<Line> lines;
  private final List<Thread> pumps = new ArrayList<>();
  private final Writer stdin;

  private ChildJvm(Process process, Path log, int tailSize, boolean follow, boolean merged)
      throws IOException {
    this.process = process;
    this.log = log;
    this.logWriter = Files.newBufferedWriter(log, StandardCharsets.UTF_8);
    this.tailSize = tailSize;
    this.lines = follow ? new LinkedBlockingQueue<>() : null;
    this.stdin = new BufferedWriter(
        new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
    pump(process.getInputStream(), Stream.OUT);
    if (!merged) {
      pump(process.getErrorStream(), Stream.ERR);
    }
  }

  /** {@code java -cp <class path> mainClass args…}; the class path defaults to this JVM's. */
  public static Builder main(String mainClass, String... args) {
    return new Builder(Arrays.asList("-cp", null, mainClass), args);
  }

  /** {@code java -jar jar args…}. */
  public static Builder jar(Path jar, String... args) {
    return new Builder(List.of("-jar", jar.toString()), args);
  }

  public Process process() {
    return process;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public int exitValue() {
    return process.exitValue();
  }

  /** Where everything the child printed is written (stderr lines after stdout's when merged). */
  public Path log() {
    return log;
  }

  /** The lines as they come ({@link Builder#follow()} only); the test drains it. */
  public BlockingQueue<Line> lines() {
    if (lines == null) {
      throw new IllegalStateException("start the child with follow() to read its lines live");
    }
    return lines;
  }

  /** Writes one line to the child's stdin. */
  public void writeLine(String line) throws IOException {
    stdin.write(line + "\n");
    stdin.flush();
  }

  /** The exit code once the child has exited (output pumped to the end), or -1 after timeout. */
  public int waitFor(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      return -1;
    }
    joinPumps();
    return process.exitValue();
  }

  /** Everything the child has printed so far (the log file). */
  public String output() throws IOException {
    synchronized (logWriter) {
      logWriter.flush();
    }
    return Files.readString(log);
  }

  /** The last lines the child printed, for failure messages. */
  public String tail() {
    synchronized (tail) {
      return String.join("\n", tail);
    }
  }

  /** {@code kill -9}: no shutdown hooks, no finally blocks; waits up to 30 s for it to die. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /**
   * SIGTERM: the child's shutdown hooks run; does not wait. Sent through the {@link
   * ProcessHandle}: {@link Process#destroy()} sends the same signal but also closes our ends of
   * the child's stdout and stderr at once, so nothing it prints while it stops would be read.
   *
   * @return whether the signal was sent
   */
  public boolean terminate() {
    return process.toHandle().destroy();
  }

  /** Kills the child if it still runs and closes the log. */
  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
    joinPumps();
    synchronized (logWriter) {
      try {
        logWriter.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /**
   * What the child gets as its class path, for a test's log. Surefire boots its fork from a
   * manifest-only jar but sets {@code java.class.path} inside the fork to the real test class
   * path; should it ever be the booter jar itself, {@code java -cp} follows its Class-Path.
   */
  public static String describeClasspath(String classpath) throws IOException {
    String[] entries = classpath.split(File.pathSeparator);
    if (entries.length == 1 && entries[0].endsWith(".jar")) {
      try (JarFile jar = new JarFile(entries[0])) {
        String cp = jar.getManifest().getMainAttributes().getValue("Class-Path");
        return "classpath is the manifest-only jar " + entries[0] + " with "
            + (cp == null ? 0 : cp.split(" ").length) + " Class-Path entries";
      }
    }
    return "classpath has " + entries.length + " entries";
  }

  private void pump(InputStream in, Stream stream) {
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(
          new InputStreamReader(in, StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          record(stream, line);
        }
      } catch (IOException e) {
        // the process died
      }
    }, "child-" + process.pid() + "-" + stream.name().toLowerCase(java.util.Locale.ROOT));
    t.setDaemon(true);
    t.start();
    pumps.add(t);
  }

  private void record(Stream stream, String line) {
    synchronized (logWriter) {
      try {
        logWriter.write(line);
        logWriter.write('\n');
        logWriter.flush();
      } catch (IOException e) {
        // the log is closed: the test is over
      }
    }
    synchronized (tail) {
      tail.addLast(line);
      while (tail.size() > tailSize) {
        tail.removeFirst();
      }
    }
    if (lines != null) {
      lines.add(new Line(stream, line));
    }
  }

  private void joinPumps() throws InterruptedException {
    for (Thread t : pumps) {
      t.join(TimeUnit.SECONDS.toMillis(10));
    }
  }

  /** What to run, and how. */
  public static final class Builder {
    private final List<String> launch;
    private final List<String> args = new ArrayList<>();
    private final List<String> jvmArgs = new ArrayList<>();
    private final Map<String, String> env = new LinkedHashMap<>();
    private String classpath = System.getProperty("java.class.path");
    private boolean inheritSecrets;
    private boolean merged;
    private boolean follow;
    private Path log;
    private int tailLines = TAIL_LINES;

    private Builder(List<String> launch, String... args) {
      this.launch = new ArrayList<>(launch);
      this.args.addAll(List.of(args));
    }

    /** More program arguments, after those given so far. */
    public Builder args(List<String> more) {
      args.addAll(more);
      return this;
    }

    /** JVM options ({@code -Xmx1g}, {@code -Dkey=value}), before the class path. */
    public Builder jvmArgs(String... options) {
      jvmArgs.addAll(List.of(options));
      return this;
    }

    /** The class path of a {@link #main} child; default: this JVM's ({@code java.class.path}). */
    public Builder classpath(String classpath) {
      this.classpath = classpath;
      return this;
    }

    /** Variables added to the child's environment (credentials included: only these reach it). */
    public Builder env(Map<String, String> variables) {
      env.putAll(variables);
      return this;
    }

    public Builder env(String name, String value) {
      env.put(name, value);
      return this;
    }

    /** Keeps this JVM's {@code SNOWFLAKE_*} and {@code GONG_*} variables (removed by default). */
    public Builder inheritSecrets() {
      this.inheritSecrets = true;
      return this;
    }

    /** stderr into stdout, in the order the child wrote them (every line is then {@code OUT}). */
    public Builder mergeStderr() {
      this.merged = true;
      return this;
    }

    /** Queues every line for {@link ChildJvm#lines()}, for tests that watch the child live. */
    public Builder follow() {
      this.follow = true;
      return this;
    }

    /** The log file; default: a temporary file. */
    public Builder log(Path file) {
      this.log = file;
      return this;
    }

    /** How many last lines {@link ChildJvm#tail()} keeps (default 40). */
    public Builder tailLines(int n) {
      this.tailLines = n;
      return this;
    }

    /** The command line this builder starts. */
    public List<String> command() {
      List<String> cmd = new ArrayList<>();
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      cmd.addAll(jvmArgs);
      for (String part : launch) {
        cmd.add(part == null ? classpath : part);
      }
      cmd.addAll(args);
      return cmd;
    }

    public ChildJvm start() throws IOException {
      ProcessBuilder pb = new ProcessBuilder(command()).redirectErrorStream(merged);
      if (!inheritSecrets) {
        pb.environment().keySet()
            .removeIf(k -> k.startsWith("SNOWFLAKE_") || k.startsWith("GONG_"));
      }
      pb.environment().putAll(env);
      Path file = log != null ? log : Files.createTempFile("child-jvm", ".log");
      return new ChildJvm(pb.start(), file, tailLines, follow, merged);
    }
  }
}
