package com.gongpipeline.golden;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.StringJoiner;

/**
 * Golden SQL files: generated statements are compared, letter by letter, with the files under
 * {@code transforms/src/test/resources/golden/<dialect>/}. To regenerate them after an intended
 * change, run the tests with {@code -Dgolden.update=true} and review the diff:
 *
 * <pre>{@code
 * mvn -q -B -o -pl transforms test -Dtest='SnowflakeDialectGoldenTest,CortexSqlSentimentScorerTest' \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dgolden.update=true
 * git diff transforms/src/test/resources/golden/
 * }</pre>
 */
public final class GoldenSql {
  /** Set to true to (re)write the golden files instead of comparing. */
  public static final String UPDATE_PROPERTY = "golden.update";

  private final Path dir;

  public GoldenSql(String dialect) {
    // Surefire runs with the module directory as working directory.
    this.dir = Path.of("src", "test", "resources", "golden", dialect);
  }

  /** The SQL text followed by its binds, in order, as one file body. */
  public static String render(String sql, List<?> binds) {
    StringBuilder sb = new StringBuilder(sql).append('\n');
    if (!binds.isEmpty()) {
      StringJoiner j = new StringJoiner(", ", "-- binds: [", "]");
      for (Object b : binds) {
        j.add(b instanceof String s ? '"' + s.replace("\"", "\\\"") + '"' : String.valueOf(b));
      }
      sb.append(j).append('\n');
    }
    return sb.toString();
  }

  /** Compares (or, with -Dgolden.update=true, writes) {@code <name>.sql}. */
  public void check(String name, String actual) {
    Path file = dir.resolve(name + ".sql");
    try {
      if (Boolean.getBoolean(UPDATE_PROPERTY)) {
        Files.createDirectories(dir);
        Files.writeString(file, actual, StandardCharsets.UTF_8);
        return;
      }
      if (!Files.exists(file)) {
        throw new AssertionError("Missing golden file " + file.toAbsolutePath()
            + "; generate it with -D" + UPDATE_PROPERTY + "=true and review it");
      }
      assertThat("golden file " + file, actual, is(Files.readString(file, StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The golden files present, by name without {@code .sql}. */
  public List<String> names() {
    try (var s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".sql"))
          .map(n -> n.substring(0, n.length() - 4))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
