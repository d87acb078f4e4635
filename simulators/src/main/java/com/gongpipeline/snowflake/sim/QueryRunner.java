package com.gongpipeline.snowflake.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Runs one {@code query-request} of a session on DuckDB and answers in Snowflake's JSON result
 * format: translates the SQL ({@link SnowflakeToDuckDb}), binds the driver's bindings (one value
 * per position, or one list per position for an INSERT's array binding), and reports DML as
 * Snowflake does, as a one-row result of counts ({@code number of rows inserted}, {@code ...
 * updated}, {@code ... deleted}) that the driver sums into the update count.
 */
final class QueryRunner {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final Pattern FIRST_WORDS = Pattern.compile("^\\s*\\(*\\s*(\\w+)(?:\\s+(\\w+))?");
  private static final Pattern AUTOCOMMIT = Pattern.compile(
      "^\\s*ALTER\\s+SESSION\\s+SET\\s+AUTOCOMMIT\\s*=\\s*(\\w+)", Pattern.CASE_INSENSITIVE);

  /** Snowflake statement type ids (the driver's {@code SFStatementType}). */
  enum StatementType {
    SELECT(0x1000), INSERT(0x3100), UPDATE(0x3200), DELETE(0x3300), MERGE(0x3400),
    COPY(0x3600), ALTER_SESSION(0x4100), USE(0x4300), TCL(0x5000), DDL(0x6000), UNKNOWN(0);

    final long id;

    StatementType(long id) {
      this.id = id;
    }
  }

  // Matched on the code-only text, where a string literal is blanked: no trailing \s* after the
  // '=', or it would swallow a literal value ('Acme') and store an empty expression.
  private static final Pattern SET_VARIABLE = Pattern.compile(
      "^\\s*SET\\s+([A-Za-z_]\\w*)\\s*=", Pattern.CASE_INSENSITIVE);
  private static final Pattern UNSET_VARIABLE = Pattern.compile(
      "^\\s*UNSET\\s+([A-Za-z_]\\w*)\\s*;?\\s*$", Pattern.CASE_INSENSITIVE);
  private static final Pattern VARIABLE_REF = Pattern.compile("\\$([A-Za-z_]\\w*)");

  private final String database;
  private final Consumer<RecordedStatement> recorder;

  QueryRunner(String database, Consumer<RecordedStatement> recorder) {
    this.database = database;
    this.recorder = recorder;
  }

  /** The full response body ({@code data}, {@code success}, ...) for {@code request}. */
  ObjectNode run(StandInSession session, JsonNode request) {
    String sql = request.path("sqlText").asText("");
    boolean describeOnly = request.path("describeOnly").asBoolean(false);
    Map<String, JsonNode> bindings = bindings(request.path("bindings"));
    Map<String, @Nullable Object> recorded = recordable(bindings);
    StatementType type = statementType(sql);
    ObjectNode data = F.objectNode();
    String queryId = UUID.randomUUID().toString();
    data.put("queryId", queryId);
    data.put("statementTypeId", type.id);
    data.put("numberOfBinds", countBinds(sql));
    data.put("arrayBindSupported", type == StatementType.INSERT);
    data.put("queryResultFormat", "json");
    data.put("version", 1);
    data.putArray("parameters");
    if (describeOnly) {
      data.putArray("rowtype");
      data.putArray("rowset");
      data.put("total", 0);
      data.put("returned", 0);
      record(session, sql, null, recorded, true, RecordedStatement.Outcome.DESCRIBED, null, -1);
      return ok(session, data);
    }
    synchronized (session) {
      if (isDml(type) && autocommit(session)) {
        // Snowflake queues concurrent DML on a table (table locks) instead of failing it; DuckDB
        // behind the stand-in would abort one of two racing MERGEs ("Conflict on update"). One
        // lock for the stand-in's autocommit DML gives the same outcome.
        synchronized (dmlLock) {
          return execute(session, sql, type, bindings, recorded, data);
        }
      }
      return execute(session, sql, type, bindings, recorded, data);
    }
  }

  private final Object dmlLock = new Object();

  private static boolean isDml(StatementType type) {
    return type == StatementType.INSERT || type == StatementType.UPDATE
        || type == StatementType.DELETE || type == StatementType.MERGE;
  }

  private ObjectNode execute(StandInSession session, String sql, StatementType type,
      Map<String, JsonNode> bindings, Map<String, @Nullable Object> recorded, ObjectNode data) {
    Connection c = session.duckDb;
    String duckSql = null;
    try {
      Matcher autocommit = AUTOCOMMIT.matcher(SnowflakeToDuckDb.codeOnly(sql));
      if (autocommit.find()) {
        boolean on = !autocommit.group(1).equalsIgnoreCase("FALSE");
        if (on && !c.getAutoCommit()) {
          c.commit();
        }
        c.setAutoCommit(on);
        SnowflakeRowset.writeStatus(data, "Statement executed successfully.");
        record(session, sql, null, recorded, false, RecordedStatement.Outcome.EXECUTED, null, -1);
        return ok(session, data);
      }
      String code = SnowflakeToDuckDb.codeOnly(sql);
      Matcher set = SET_VARIABLE.matcher(code);
      Matcher unset = UNSET_VARIABLE.matcher(code);
      if (set.find() || unset.find()) {
        if (set.find(0)) {
          session.variables.put(set.group(1).toUpperCase(Locale.ROOT),
              stripSemicolon(sql.substring(set.end())));
        } else {
          session.variables.remove(unset.group(1).toUpperCase(Locale.ROOT));
        }
        SnowflakeRowset.writeStatus(data, "Statement executed successfully.");
        record(session, sql, null, recorded, false, RecordedStatement.Outcome.EXECUTED, null, -1);
        return ok(session, data);
      }
      Optional<String> noOp = SnowflakeToDuckDb.noOpReason(sql);
      if (noOp.isPresent()) {
        SnowflakeRowset.writeStatus(data, "Statement executed successfully.");
        record(session, sql, null, recorded, false, RecordedStatement.Outcome.NO_OP, noOp.get(),
            -1);
        return ok(session, data);
      }
      if (type == StatementType.TCL) {
        transaction(c, sql);
        SnowflakeRowset.writeStatus(data, "Statement executed successfully.");
        record(session, sql, null, recorded, false, RecordedStatement.Outcome.EXECUTED, null, -1);
        return ok(session, data);
      }
      duckSql = stripSemicolon(SnowflakeToDuckDb.translate(
          substituteVariables(sql, session.variables), database));
      long rows = type == StatementType.MERGE
          ? merge(c, sql, duckSql, bindings, data)
          : runStatement(c, type, duckSql, bindings, data);
      Matcher temporary = SnowflakeToDuckDb.TEMPORARY_TABLE.matcher(SnowflakeToDuckDb.codeOnly(sql));
      if (temporary.find()) {
        session.addTemporaryTable(SnowflakeToDuckDb.translate(
            sql.substring(temporary.start(1), temporary.end(1)), database));
      }
      if (type == StatementType.USE) {
        session.schema(sql.replaceFirst("(?is)^\\s*USE\\s+(SCHEMA\\s+)?", "").trim()
            .replaceAll(";$", "").toUpperCase(Locale.ROOT));
      }
      record(session, sql, duckSql, recorded, false, RecordedStatement.Outcome.EXECUTED, null,
          rows);
      return ok(session, data);
    } catch (SQLException | RuntimeException e) {
      String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      record(session, sql, duckSql, recorded, false, RecordedStatement.Outcome.FAILED, message, -1);
      return SnowflakeStandIn.sqlError(data.path("queryId").asText(), errorCode(message),
          sqlState(message), (isCompilation(message) ? "SQL compilation error:\n"
              : "SQL execution error:\n") + message);
    }
  }

  /** {@code INSERT INTO t [(cols)] VALUES (?, ..., ?)}: one tuple of plain parameters. */
  private static final Pattern SIMPLE_INSERT = Pattern.compile(
      "^(\\s*INSERT\\s+INTO\\s+.+?\\s+VALUES\\s*)(\\(\\s*\\?(?:\\s*,\\s*\\?)*\\s*\\))\\s*$",
      Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
  /** Parameters per multi-row INSERT statement (DuckDB prepares one statement per chunk). */
  private static final int MAX_PARAMETERS_PER_CHUNK = 2_000;

  /**
   * An array-bound {@code INSERT ... VALUES (?, ...)} as multi-row INSERTs of many tuples each:
   * DuckDB runs a JDBC batch row by row (~650 rows/s), a multi-row VALUES in one go.
   */
  private static long insertRowsInChunks(Connection c, Matcher insert,
      Map<String, JsonNode> bindings) throws SQLException {
    List<JsonNode> columns = new ArrayList<>(bindings.values());
    int rows = columns.get(0).path("value").size();
    int perChunk = Math.max(1, MAX_PARAMETERS_PER_CHUNK / columns.size());
    long changed = 0;
    for (int start = 0; start < rows; start += perChunk) {
      int n = Math.min(perChunk, rows - start);
      StringBuilder sql = new StringBuilder(insert.group(1));
      for (int r = 0; r < n; r++) {
        sql.append(r == 0 ? "" : ", ").append(insert.group(2));
      }
      try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
        int p = 1;
        for (int r = start; r < start + n; r++) {
          for (JsonNode b : columns) {
            JsonNode v = b.path("value").get(r);
            bind(ps, p++, b.path("type").asText("TEXT"), v == null || v.isNull() ? null
                : v.asText());
          }
        }
        changed += Math.max(ps.executeUpdate(), 0);
      }
    }
    return changed;
  }

  private long runStatement(Connection c, StatementType type, String duckSql,
      Map<String, JsonNode> bindings, ObjectNode data) throws SQLException {
    Matcher simpleInsert = SIMPLE_INSERT.matcher(duckSql);
    if (type == StatementType.INSERT && isArrayBinding(bindings) && simpleInsert.find()) {
      long changed = insertRowsInChunks(c, simpleInsert, bindings);
      SnowflakeRowset.writeCounts(data, new String[] {"number of rows inserted"},
          new long[] {changed});
      return changed;
    }
    try (PreparedStatement ps = c.prepareStatement(duckSql)) {
      long changed;
      if (isArrayBinding(bindings)) {
        int rows = bindings.values().iterator().next().path("value").size();
        for (int r = 0; r < rows; r++) {
          int p = 1;
          for (JsonNode b : bindings.values()) {
            JsonNode v = b.path("value").get(r);
            bind(ps, p++, b.path("type").asText("TEXT"), v == null || v.isNull() ? null : v.asText());
          }
          ps.addBatch();
        }
        changed = 0;
        for (int n : ps.executeBatch()) {
          changed += Math.max(n, 0);
        }
      } else {
        int p = 1;
        for (JsonNode b : bindings.values()) {
          JsonNode v = b.path("value");
          bind(ps, p++, b.path("type").asText("TEXT"), v.isNull() || v.isMissingNode() ? null
              : v.asText());
        }
        if (ps.execute()) {
          try (ResultSet rs = ps.getResultSet()) {
            if (type == StatementType.INSERT || type == StatementType.UPDATE
                || type == StatementType.DELETE) {
              long n = 0;
              while (rs.next()) {
                n += rs.getLong(1);
              }
              changed = n;
            } else {
              return SnowflakeRowset.write(rs, data);
            }
          }
        } else {
          changed = Math.max(ps.getUpdateCount(), 0);
        }
      }
      switch (type) {
        case INSERT -> SnowflakeRowset.writeCounts(data,
            new String[] {"number of rows inserted"}, new long[] {changed});
        case UPDATE -> SnowflakeRowset.writeCounts(data,
            new String[] {"number of rows updated", "number of multi-joined rows updated"},
            new long[] {changed, 0});
        case DELETE -> SnowflakeRowset.writeCounts(data,
            new String[] {"number of rows deleted"}, new long[] {changed});
        default -> SnowflakeRowset.writeStatus(data, "Statement executed successfully.");
      }
      return changed;
    }
  }

  private static final Pattern WHEN_NOT_MATCHED = Pattern.compile("\\bWHEN\\s+NOT\\s+MATCHED\\b",
      Pattern.CASE_INSENSITIVE);
  private static final Pattern THEN_UPDATE = Pattern.compile("\\bTHEN\\s+UPDATE\\b",
      Pattern.CASE_INSENSITIVE);
  private static final Pattern THEN_DELETE = Pattern.compile("\\bTHEN\\s+DELETE\\b",
      Pattern.CASE_INSENSITIVE);

  /** MERGE with {@code RETURNING merge_action}, counted per action as Snowflake reports them. */
  private long merge(Connection c, String sql, String duckSql, Map<String, JsonNode> bindings,
      ObjectNode data) throws SQLException {
    long inserted = 0;
    long updated = 0;
    long deleted = 0;
    try (PreparedStatement ps = c.prepareStatement(duckSql + " RETURNING merge_action")) {
      int p = 1;
      for (JsonNode b : bindings.values()) {
        JsonNode v = b.path("value");
        bind(ps, p++, b.path("type").asText("TEXT"), v.isNull() ? null : v.asText());
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          switch (rs.getString(1)) {
            case "INSERT" -> inserted++;
            case "UPDATE" -> updated++;
            case "DELETE" -> deleted++;
            default -> { }
          }
        }
      }
    }
    String code = SnowflakeToDuckDb.codeOnly(sql);
    List<String> names = new ArrayList<>();
    List<Long> counts = new ArrayList<>();
    if (WHEN_NOT_MATCHED.matcher(code).find()) {
      names.add("number of rows inserted");
      counts.add(inserted);
    }
    if (THEN_UPDATE.matcher(code).find()) {
      names.add("number of rows updated");
      counts.add(updated);
    }
    if (THEN_DELETE.matcher(code).find()) {
      names.add("number of rows deleted");
      counts.add(deleted);
    }
    SnowflakeRowset.writeCounts(data, names.toArray(new String[0]),
        counts.stream().mapToLong(Long::longValue).toArray());
    return inserted + updated + deleted;
  }

  private static void transaction(Connection c, String sql) throws SQLException {
    String word = firstWord(sql);
    if (word.equals("BEGIN") || word.equals("START")) {
      c.setAutoCommit(false);
    } else if (!c.getAutoCommit()) {
      if (word.equals("COMMIT")) {
        c.commit();
      } else {
        c.rollback();
      }
    }
  }

  /**
   * Binds one Snowflake binding ({@code type}, string {@code value}) the way the driver encodes
   * it: FIXED/REAL as numbers, BOOLEAN, TIMESTAMP_* as nanoseconds since the epoch, DATE as
   * milliseconds since the epoch (UTC), TIME as nanoseconds since midnight, BINARY as hex.
   */
  static void bind(PreparedStatement ps, int index, String type, @Nullable String value)
      throws SQLException {
    if (value == null) {
      ps.setObject(index, null);
      return;
    }
    switch (type.toUpperCase(Locale.ROOT)) {
      case "FIXED" -> {
        if (value.indexOf('.') >= 0 || value.length() > 18) {
          ps.setBigDecimal(index, new BigDecimal(value));
        } else {
          ps.setLong(index, Long.parseLong(value));
        }
      }
      case "REAL" -> ps.setDouble(index, Double.parseDouble(value));
      case "BOOLEAN" -> ps.setBoolean(index, value.equals("1") || value.equalsIgnoreCase("true"));
      case "TIMESTAMP_NTZ" -> ps.setObject(index,
          LocalDateTime.ofInstant(epochNanos(value), ZoneOffset.UTC));
      case "TIMESTAMP_LTZ", "TIMESTAMP_TZ" -> ps.setObject(index,
          epochNanos(value).atOffset(ZoneOffset.UTC));
      case "DATE" -> ps.setObject(index,
          LocalDate.ofEpochDay(Math.floorDiv(Long.parseLong(value.trim()), 86_400_000L)));
      case "TIME" -> ps.setObject(index, LocalTime.ofNanoOfDay(Long.parseLong(value.trim())));
      case "BINARY" -> ps.setBytes(index, HexFormat.of().parseHex(value));
      default -> ps.setString(index, value);
    }
  }

  private static Instant epochNanos(String value) {
    BigDecimal nanos = new BigDecimal(value.trim().split("\\s+")[0]);
    BigDecimal[] parts = nanos.divideAndRemainder(BigDecimal.valueOf(1_000_000_000L));
    long seconds = parts[0].longValueExact();
    long nano = parts[1].longValueExact();
    return Instant.ofEpochSecond(seconds, nano);
  }

  private static boolean isArrayBinding(Map<String, JsonNode> bindings) {
    return !bindings.isEmpty() && bindings.values().iterator().next().path("value").isArray();
  }

  /** Bindings ordered by their 1-based position. */
  private static Map<String, JsonNode> bindings(JsonNode node) {
    if (!node.isObject() || node.isEmpty()) {
      return Collections.emptyMap();
    }
    TreeMap<Integer, String> order = new TreeMap<>();
    node.fieldNames().forEachRemaining(k -> order.put(Integer.parseInt(k), k));
    Map<String, JsonNode> out = new LinkedHashMap<>();
    for (String k : order.values()) {
      out.put(k, node.get(k));
    }
    return out;
  }

  private static Map<String, @Nullable Object> recordable(Map<String, JsonNode> bindings) {
    Map<String, @Nullable Object> out = new LinkedHashMap<>();
    bindings.forEach((k, b) -> {
      JsonNode v = b.path("value");
      if (v.isArray()) {
        List<@Nullable String> list = new ArrayList<>(v.size());
        v.forEach(x -> list.add(x.isNull() ? null : x.asText()));
        out.put(k, Collections.unmodifiableList(list));
      } else {
        out.put(k, v.isNull() || v.isMissingNode() ? null : v.asText());
      }
    });
    return Collections.unmodifiableMap(out);
  }

  static StatementType statementType(String sql) {
    String code = SnowflakeToDuckDb.codeOnly(sql);
    Matcher m = FIRST_WORDS.matcher(code);
    if (!m.find()) {
      return StatementType.UNKNOWN;
    }
    String first = m.group(1).toUpperCase(Locale.ROOT);
    String second = m.group(2) == null ? "" : m.group(2).toUpperCase(Locale.ROOT);
    return switch (first) {
      case "SELECT", "WITH", "SHOW", "DESCRIBE", "DESC", "EXPLAIN", "VALUES", "TABLE", "FROM",
          "PRAGMA", "SUMMARIZE", "CALL" -> StatementType.SELECT;
      case "INSERT" -> StatementType.INSERT;
      case "UPDATE" -> StatementType.UPDATE;
      case "DELETE" -> StatementType.DELETE;
      case "MERGE" -> StatementType.MERGE;
      case "COPY" -> StatementType.COPY;
      case "USE" -> StatementType.USE;
      case "BEGIN", "START", "COMMIT", "ROLLBACK" -> StatementType.TCL;
      case "ALTER" -> second.equals("SESSION") ? StatementType.ALTER_SESSION : StatementType.DDL;
      case "CREATE", "DROP", "TRUNCATE", "COMMENT", "GRANT", "REVOKE", "UNDROP" -> StatementType.DDL;
      default -> StatementType.UNKNOWN;
    };
  }

  private static String firstWord(String sql) {
    Matcher m = FIRST_WORDS.matcher(SnowflakeToDuckDb.codeOnly(sql));
    return m.find() ? m.group(1).toUpperCase(Locale.ROOT) : "";
  }

  private static int countBinds(String sql) {
    String code = SnowflakeToDuckDb.codeOnly(sql);
    int n = 0;
    for (int i = 0; i < code.length(); i++) {
      if (code.charAt(i) == '?') {
        n++;
      }
    }
    return n;
  }

  /** {@code $name} of a session variable becomes {@code (expression)}, outside literals. */
  static String substituteVariables(String sql, Map<String, String> variables) {
    if (variables.isEmpty() || sql.indexOf('$') < 0) {
      return sql;
    }
    StringBuilder out = new StringBuilder(sql.length());
    for (SnowflakeToDuckDb.Segment s : SnowflakeToDuckDb.Segment.split(sql)) {
      if (!s.code) {
        out.append(s.text);
        continue;
      }
      Matcher m = VARIABLE_REF.matcher(s.text);
      StringBuilder sb = new StringBuilder();
      while (m.find()) {
        String value = variables.get(m.group(1).toUpperCase(Locale.ROOT));
        m.appendReplacement(sb, Matcher.quoteReplacement(value == null ? m.group() : "(" + value
            + ")"));
      }
      m.appendTail(sb);
      out.append(sb);
    }
    return out.toString();
  }

  private static String stripSemicolon(String sql) {
    String s = sql.strip();
    while (s.endsWith(";")) {
      s = s.substring(0, s.length() - 1).strip();
    }
    return s;
  }

  private static boolean isCompilation(String message) {
    return message.contains("Parser Error") || message.contains("Catalog Error")
        || message.contains("Binder Error");
  }

  private static boolean autocommit(StandInSession session) {
    try {
      return session.duckDb.getAutoCommit();
    } catch (SQLException e) {
      return true; // a closed connection: the session is over
    }
  }

  /** Snowflake's codes for the closest kind of failure (syntax, missing object, constraint...). */
  private static String errorCode(String message) {
    if (message.contains("Parser Error")) {
      return "001003";
    }
    if (message.contains("Catalog Error")) {
      return "002003";
    }
    if (message.contains("Constraint Error")) {
      return "100072";
    }
    if (message.contains("Conversion Error") || message.contains("Invalid Input Error")) {
      return "100038";
    }
    if (message.contains("TransactionContext Error")) {
      return "000625";
    }
    return "100090";
  }

  private static String sqlState(String message) {
    if (message.contains("Parser Error") || message.contains("Binder Error")) {
      return "42000";
    }
    if (message.contains("Catalog Error")) {
      return "42S02";
    }
    if (message.contains("Constraint Error")) {
      return "23000";
    }
    return "22000";
  }

  private ObjectNode ok(StandInSession session, ObjectNode data) {
    data.set("parameters", SnowflakeStandIn.sessionParameters(autocommit(session)));
    data.put("finalDatabaseName", session.database);
    data.put("finalSchemaName", session.schema());
    data.put("finalWarehouseName", session.warehouse);
    data.put("finalRoleName", session.role);
    data.put("sendResultTime", System.currentTimeMillis());
    ObjectNode body = F.objectNode();
    body.set("data", data);
    body.putNull("code");
    body.putNull("message");
    body.put("success", true);
    return body;
  }

  private void record(StandInSession session, String sql, @Nullable String duckSql,
      Map<String, @Nullable Object> bindings, boolean describe, RecordedStatement.Outcome outcome,
      @Nullable String detail, long rows) {
    recorder.accept(new RecordedStatement(Long.toString(session.id), sql, duckSql, bindings,
        describe, outcome, detail, rows));
  }
}
