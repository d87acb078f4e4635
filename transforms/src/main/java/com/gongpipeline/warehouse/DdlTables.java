package com.gongpipeline.warehouse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The tables and columns that a dialect's DDL scripts declare, read from the scripts themselves
 * (the one place where columns are defined). {@link SnowflakeWarehouse} takes its column lists
 * from here instead of asking the catalog, and a test checks that the DuckDB and Snowflake
 * scripts declare the same tables with the same columns in the same order.
 *
 * <p>Reads only {@code CREATE TABLE [IF NOT EXISTS] SCHEMA.TABLE ( column type [NOT NULL]
 * [PRIMARY KEY], ..., [PRIMARY KEY (...)] )} and migrations' {@code ALTER TABLE SCHEMA.TABLE ADD
 * COLUMN [IF NOT EXISTS] column type} (a column not declared yet is appended, as the database
 * appends it); {@code --} comments are ignored.
 */
final class DdlTables {
  private static final Pattern CREATE_TABLE = Pattern.compile(
      "CREATE\\s+(?:OR\\s+REPLACE\\s+)?TABLE\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?(\\w+)\\.(\\w+)\\s*\\(",
      Pattern.CASE_INSENSITIVE);
  private static final Pattern ADD_COLUMN = Pattern.compile(
      "ALTER\\s+TABLE\\s+(?:IF\\s+EXISTS\\s+)?(\\w+)\\.(\\w+)\\s+ADD\\s+(?:COLUMN\\s+)?"
          + "(?:IF\\s+NOT\\s+EXISTS\\s+)?([^;]+);", Pattern.CASE_INSENSITIVE);
  private static final Pattern CONSTRAINT_WORDS = Pattern.compile(
      "\\s+(NOT\\s+NULL|NULL|PRIMARY\\s+KEY|DEFAULT\\b|UNIQUE|COMMENT\\b).*$",
      Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

  private final Map<String, List<Column>> tables;

  private DdlTables(Map<String, List<Column>> tables) {
    this.tables = Collections.unmodifiableMap(tables);
  }

  /** Reads the scripts (classpath resources) in order. */
  static DdlTables fromResources(List<String> resources) {
    StringBuilder all = new StringBuilder();
    for (String r : resources) {
      all.append(resource(r)).append('\n');
    }
    return parse(all.toString());
  }

  /** Parses DDL text. */
  static DdlTables parse(String ddl) {
    String text = stripComments(ddl);
    Map<String, List<Column>> tables = new LinkedHashMap<>();
    Matcher m = CREATE_TABLE.matcher(text);
    int from = 0;
    while (m.find(from)) {
      int open = m.end() - 1;
      int close = matchingParen(text, open);
      String name = (m.group(1) + "." + m.group(2)).toUpperCase(Locale.ROOT);
      tables.put(name, columns(name, text.substring(open + 1, close)));
      from = close + 1;
    }
    Matcher alter = ADD_COLUMN.matcher(text);
    while (alter.find()) {
      String name = (alter.group(1) + "." + alter.group(2)).toUpperCase(Locale.ROOT);
      List<Column> cols = tables.get(name);
      if (cols == null) {
        continue;
      }
      Column added = columns(name, alter.group(3)).get(0);
      if (cols.stream().noneMatch(c -> c.name().equalsIgnoreCase(added.name()))) {
        cols.add(added);
      }
    }
    return new DdlTables(tables);
  }

  /** {@code SCHEMA.TABLE} → its columns in declaration order. */
  Map<String, List<Column>> tables() {
    return tables;
  }

  /** The columns of one table. */
  List<Column> columns(TableSpec spec) {
    List<Column> cols = tables.get(spec.qualifiedName());
    if (cols == null) {
      throw new IllegalArgumentException("No DDL declares " + spec.qualifiedName());
    }
    return cols;
  }

  private static List<Column> columns(String table, String body) {
    List<Column> out = new ArrayList<>();
    for (String part : splitTopLevel(body)) {
      String def = part.strip().replaceAll("\\s+", " ");
      if (def.isEmpty() || def.toUpperCase(Locale.ROOT).startsWith("PRIMARY KEY")
          || def.toUpperCase(Locale.ROOT).startsWith("CONSTRAINT")) {
        continue;
      }
      int space = def.indexOf(' ');
      if (space < 0) {
        throw new IllegalArgumentException(table + ": column without a type: " + def);
      }
      String name = def.substring(0, space);
      String rest = def.substring(space + 1);
      boolean notNull = rest.toUpperCase(Locale.ROOT).contains("NOT NULL");
      String type = CONSTRAINT_WORDS.matcher(rest).replaceAll("").strip();
      out.add(new Column(name, type, !notNull));
    }
    return out;
  }

  private static List<String> splitTopLevel(String body) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      } else if (c == ',' && depth == 0) {
        parts.add(body.substring(start, i));
        start = i + 1;
      }
    }
    parts.add(body.substring(start));
    return parts;
  }

  private static int matchingParen(String text, int open) {
    int depth = 0;
    for (int i = open; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')' && --depth == 0) {
        return i;
      }
    }
    throw new IllegalArgumentException("Unbalanced parentheses in DDL after offset " + open);
  }

  /** Removes {@code --} comments (the DDL holds no string literals containing them). */
  static String stripComments(String sql) {
    StringBuilder sb = new StringBuilder(sql.length());
    for (String line : sql.split("\n", -1)) {
      int c = line.indexOf("--");
      sb.append(c < 0 ? line : line.substring(0, c)).append('\n');
    }
    return sb.toString();
  }

  static String resource(String name) {
    try (InputStream in = DdlTables.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("Missing classpath resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + name, e);
    }
  }
}
