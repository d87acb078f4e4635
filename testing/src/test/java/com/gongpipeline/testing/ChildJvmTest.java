package com.gongpipeline.testing;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The child-JVM launcher against a tiny program of its own: streams, stdin, exit, kill, env. */
class ChildJvmTest {
  @TempDir Path dir;

  /** Echoes stdin lines to stdout, a note to stderr, the env var asked for, exits on "exit N". */
  public static final class Echo {
    public static void main(String[] args) throws Exception {
      System.out.println("READY " + System.getenv().getOrDefault(args[0], "<unset>"));
      System.err.println("to stderr");
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in,
          StandardCharsets.UTF_8));
      for (String line; (line = in.readLine()) != null; ) {
        if (line.startsWith("exit ")) {
          System.exit(Integer.parseInt(line.substring(5)));
        }
        System.out.println("echo " + line);
      }
    }
  }

  @Test
  void followsBothStreamsAnswersOnStdinAndReportsTheExitCode() throws Exception {
    try (ChildJvm child = ChildJvm.main(Echo.class.getName(), "CHILD_JVM_TEST_VAR")
        .env("CHILD_JVM_TEST_VAR", "given").log(dir.resolve("child.log")).follow().start()) {
      // The two streams are pumped by two threads: their first lines arrive in either order.
      java.util.Set<String> first = new java.util.HashSet<>();
      for (int i = 0; i < 2; i++) {
        ChildJvm.Line line = child.lines().poll(30, TimeUnit.SECONDS);
        first.add(line == null ? null : line.stream() + " " + line.text());
      }
      assertThat(first, equalTo(java.util.Set.of(ChildJvm.Stream.OUT + " READY given",
          ChildJvm.Stream.ERR + " to stderr")));
      child.writeLine("hello");
      assertThat(next(child, ChildJvm.Stream.OUT), equalTo("echo hello"));
      child.writeLine("exit 3");
      assertThat(child.waitFor(Duration.ofSeconds(30)), is(3));
      assertThat(child.output(), containsString("echo hello"));
      assertThat(child.tail(), containsString("to stderr"));
    }
  }

  @Test
  void secretsOfThisJvmAreNotInheritedAndKillEndsTheChild() throws Exception {
    try (ChildJvm child = ChildJvm.main(Echo.class.getName(), "GONG_ACCESS_KEY")
        .mergeStderr().follow().start()) {
      assertThat(child.lines().poll(30, TimeUnit.SECONDS).text(), equalTo("READY <unset>"));
      assertThat(child.isAlive(), is(true));
      child.kill();
      assertThat(child.isAlive(), is(false));
      assertThat(child.exitValue(), not(0));
    }
  }

  private static String next(ChildJvm child, ChildJvm.Stream stream) throws Exception {
    ChildJvm.Line line = child.lines().poll(30, TimeUnit.SECONDS);
    while (line != null && line.stream() != stream) {
      line = child.lines().poll(30, TimeUnit.SECONDS);
    }
    return line == null ? null : line.text();
  }
}
