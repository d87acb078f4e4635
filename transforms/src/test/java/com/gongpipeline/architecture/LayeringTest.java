package com.gongpipeline.architecture;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shape of the production code, read from its sources (imports and fully qualified names):
 * no package cycles, the domain model knows nothing of the warehouse, no simulator on a production
 * path, and one retry loop. A failure names the file and the offending dependency.
 */
class LayeringTest {
  private static final Path MAIN = Path.of("src/main/java");
  private static final String ROOT = "com.gongpipeline.";
  private static final Pattern REFERENCE =
      Pattern.compile("\\bcom\\.gongpipeline\\.([a-z]+)(?:\\.([a-z]+))?\\.");

  /** package -> packages it uses, and package -> files using each. */
  private static final Map<String, Set<String>> USES = new TreeMap<>();
  private static final Map<String, String> SOURCES = new TreeMap<>();

  @BeforeAll
  static void readSources() throws IOException {
    try (Stream<Path> files = Files.walk(MAIN)) {
      for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
        String text = Files.readString(f);
        String pkg = packageOf(text);
        SOURCES.put(MAIN.relativize(f).toString(), text);
        Set<String> uses = USES.computeIfAbsent(pkg, k -> new TreeSet<>());
        Matcher m = REFERENCE.matcher(stripComments(text));
        while (m.find()) {
          String used = m.group(1);
          if (!used.equals(pkg)) {
            uses.add(used);
          }
        }
      }
    }
  }

  @Test
  void theSourcesWereRead() {
    assertThat(USES.keySet(), hasItem("warehouse"));
    assertThat(USES.keySet(), hasItem("transforms"));
  }

  /** Every package's dependencies form a DAG (top-level packages under com.gongpipeline). */
  @Test
  void noPackageCycles() {
    List<String> cycles = new ArrayList<>();
    for (String start : USES.keySet()) {
      findCycle(start, start, new ArrayList<>(List.of(start)), new TreeSet<>(), cycles);
    }
    assertThat("package cycles", cycles, empty());
  }

  @Test
  void theDomainModelAndParsingKnowNothingOfTheWarehouse() {
    for (String pkg : List.of("model", "parse", "chunking", "errors")) {
      for (String forbidden : List.of("warehouse", "transforms", "snowflake")) {
        assertThat(pkg + " uses " + forbidden,
            USES.getOrDefault(pkg, Set.of()).contains(forbidden), equalTo(false));
      }
    }
  }

  @Test
  void noProductionClassMentionsASimulator() {
    List<String> offenders = new ArrayList<>();
    SOURCES.forEach((file, text) -> {
      if (stripComments(text).matches("(?s).*\\.sim\\..*") || file.contains("/sim/")) {
        offenders.add(file);
      }
    });
    assertThat(offenders, empty());
  }

  @Test
  void noDoFnBuildsTheHttpGongClientItself() {
    List<String> offenders = new ArrayList<>();
    SOURCES.forEach((file, text) -> {
      if (file.endsWith("Fn.java") && text.contains("new HttpGongClient")) {
        offenders.add(file);
      }
    });
    assertThat(offenders, empty());
  }

  /** Waiting before a retry happens in one place: RetryPolicy. */
  @Test
  void onlyTheRetryPolicySleeps() {
    Pattern sleep = Pattern.compile("Thread\\.sleep\\(|[sS]leeper\\.sleep\\(");
    List<String> offenders = new ArrayList<>();
    SOURCES.forEach((file, text) -> {
      if (!file.endsWith("errors/RetryPolicy.java") && sleep.matcher(stripComments(text)).find()) {
        offenders.add(file);
      }
    });
    assertThat(offenders, empty());
  }

  private static void findCycle(String start, String at, List<String> path, Set<String> seen,
      List<String> cycles) {
    for (String next : USES.getOrDefault(at, Set.of())) {
      if (next.equals(start)) {
        String cycle = String.join(" -> ", path) + " -> " + start;
        if (cycles.stream().noneMatch(c -> sameCycle(c, cycle))) {
          cycles.add(cycle + "  (" + witness(at, next) + ")");
        }
      } else if (seen.add(next)) {
        path.add(next);
        findCycle(start, next, path, seen, cycles);
        path.remove(path.size() - 1);
      }
    }
  }

  private static boolean sameCycle(String a, String b) {
    Set<String> x = new TreeSet<>(List.of(a.split(" -> |  \\(")));
    Set<String> y = new TreeSet<>(List.of(b.split(" -> ")));
    return x.containsAll(y);
  }

  /** A file of package {@code from} that uses package {@code to}, for the failure message. */
  private static String witness(String from, String to) {
    for (Map.Entry<String, String> e : SOURCES.entrySet()) {
      if (e.getKey().startsWith("com/gongpipeline/" + from + "/")
          && stripComments(e.getValue()).contains(ROOT + to + ".")) {
        return e.getKey() + " uses " + to;
      }
    }
    return from + " uses " + to;
  }

  private static String packageOf(String text) {
    Matcher m = Pattern.compile("(?m)^package com\\.gongpipeline\\.([a-z]+)").matcher(text);
    if (!m.find()) {
      throw new AssertionError("no com.gongpipeline package in a source file");
    }
    return m.group(1);
  }

  private static String stripComments(String text) {
    return text.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("(?m)//.*$", "");
  }
}
