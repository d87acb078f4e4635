package com.gongpipeline.snowflake.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Rewrites the Snowflake SQL our code sends into DuckDB SQL, for {@link SnowflakeStandIn}. It is a
 * list of token-level rewrites, <b>not</b> a parser: it knows the shapes in our SQL templates and
 * the ones below, and passes everything else through for DuckDB to accept or reject. Text inside
 * string literals, quoted identifiers, {@code $$...$$} strings and comments is never changed.
 *
 * <table>
 *   <caption>Rewrites</caption>
 *   <tr><th>Snowflake</th><th>DuckDB</th></tr>
 *   <tr><td>{@code VARIANT}, {@code OBJECT}, {@code ARRAY} (types and {@code ::} casts)</td>
 *       <td>{@code JSON}</td></tr>
 *   <tr><td>{@code NUMBER}, {@code NUMBER(p)}, {@code NUMBER(p,0)} with p &le; 18</td>
 *       <td>{@code BIGINT}</td></tr>
 *   <tr><td>{@code NUMBER(p,s)} otherwise, {@code NUMERIC(p,s)}</td><td>{@code DECIMAL(p,s)}</td></tr>
 *   <tr><td>{@code FLOAT}, {@code FLOAT4}, {@code FLOAT8}, {@code REAL}, {@code DOUBLE PRECISION}
 *       (all 64-bit in Snowflake)</td><td>{@code DOUBLE}</td></tr>
 *   <tr><td>{@code TIMESTAMP_NTZ[(n)]} / {@code TIMESTAMP_LTZ[(n)]}, {@code TIMESTAMP_TZ[(n)]}</td>
 *       <td>{@code TIMESTAMP} / {@code TIMESTAMPTZ}</td></tr>
 *   <tr><td>{@code VECTOR(FLOAT, n)} / {@code VECTOR(INT, n)}</td>
 *       <td>{@code FLOAT[n]} / {@code INTEGER[n]}</td></tr>
 *   <tr><td>{@code PARSE_JSON(} / {@code TRY_PARSE_JSON(}</td><td>{@code json(} / {@code
 *       sf_try_parse_json(}</td></tr>
 *   <tr><td>{@code IFF(}, {@code NVL(}, {@code ZEROIFNULL(x)}</td><td>{@code if(}, {@code
 *       coalesce(}, {@code sf_zeroifnull(x)}</td></tr>
 *   <tr><td>{@code VECTOR_COSINE_SIMILARITY(} / {@code _INNER_PRODUCT(} / {@code _L2_DISTANCE(}</td>
 *       <td>{@code array_cosine_similarity(} / {@code array_inner_product(} / {@code
 *       array_distance(}</td></tr>
 *   <tr><td>{@code CURRENT_TIMESTAMP()}, {@code SYSDATE()}, {@code OBJECT_CONSTRUCT(}, {@code
 *       ARRAY_SIZE(}, {@code TO_VARCHAR(x)}</td><td>{@code current_timestamp}, {@code now()}, {@code
 *       json_object(}, {@code json_array_length(}, {@code CAST(x AS VARCHAR)} via macro</td></tr>
 *   <tr><td>{@code REGEXP_LIKE(s, p[, params])}, {@code RLIKE(} (whole-string match)</td>
 *       <td>{@code regexp_full_match(s, p[, params])}</td></tr>
 *   <tr><td>{@code SNOWFLAKE.CORTEX.SENTIMENT(}, {@code AI_EMBED(}, {@code
 *       SNOWFLAKE.CORTEX.EMBED_TEXT_768(}/{@code _1024(}</td>
 *       <td>Java functions {@code sf_cortex_sentiment(}, {@code sf_ai_embed_768(} (dimension from
 *       the literal model name; {@code sf_ai_embed(} if unknown) registered by {@link
 *       CortexStandInFunctions}</td></tr>
 *   <tr><td>{@code col:a.b[0]} (VARIANT path), {@code col:a::STRING}</td>
 *       <td>{@code (col->'$.a.b[0]')}, {@code (col->>'$.a')::VARCHAR}</td></tr>
 *   <tr><td>{@code CREATE [OR REPLACE] TRANSIENT|TEMPORARY|TEMP|VOLATILE TABLE}</td><td>{@code
 *       CREATE [OR REPLACE] TABLE} (a temporary table becomes a real one that the stand-in drops
 *       when the session closes; other sessions can see it meanwhile)</td></tr>
 *   <tr><td>{@code FROM VALUES (?,?),(?,?) [AS] v} with {@code v.$1}, {@code $2}</td>
 *       <td>{@code FROM (VALUES (?,?),(?,?)) AS v} with {@code v.col0}, {@code col1}</td></tr>
 *   <tr><td>{@code USE SCHEMA s}</td><td>{@code USE s}</td></tr>
 *   <tr><td>{@code LATERAL FLATTEN(input => x) f}, {@code f.value::STRING}</td><td>{@code LATERAL
 *       json_each(x) f}, {@code json_extract_string(f.value, '$')}</td></tr>
 *   <tr><td>{@code LISTAGG(x, s) WITHIN GROUP (ORDER BY o)}, {@code ARRAY_AGG(x) WITHIN GROUP
 *       (ORDER BY o)}</td><td>{@code string_agg(x, s ORDER BY o)}, {@code CAST(array_agg(x ORDER
 *       BY o) AS JSON)}</td></tr>
 *   <tr><td>{@code SHA2(x, 256)}, {@code OBJECT_CONSTRUCT_KEEP_NULL(}, {@code ARRAY_CONSTRUCT(},
 *       {@code OBJECT_AGG(}</td><td>{@code sf_sha2(x, 256)}, {@code json_object(}, {@code
 *       json_array(}, {@code json_group_object(}</td></tr>
 *   <tr><td>{@code AI_CLASSIFY(}, {@code AI_SENTIMENT(}, {@code AI_SUMMARIZE_AGG(}</td><td>{@code
 *       sf_ai_classify(}, {@code sf_ai_sentiment(}, {@code sf_ai_summarize_agg(}: deterministic
 *       stand-ins registered by {@link CortexStandInFunctions} (a keyword rule, a thresholded
 *       offline score and a truncation, not models)</td></tr>
 *   <tr><td>{@code CREATE OR REPLACE VIEW v COPY GRANTS AS}</td><td>{@code CREATE OR REPLACE VIEW
 *       v AS}</td></tr>
 *   <tr><td>{@code GET_PATH(v, 'a.b')}, {@code GET_PATH(v, 'a')::VARCHAR}</td><td>{@code
 *       sf_get_path(v, 'a.b')} (JSON), {@code sf_get_path_text(v, 'a')::VARCHAR} (bare text)</td></tr>
 *   <tr><td>{@code DATE_PART(EPOCH_MICROSECOND, ts)} (also SECOND, MILLISECOND, NANOSECOND)</td>
 *       <td>{@code epoch_us(ts)} ({@code sf_epoch_second}, {@code epoch_ms}, {@code epoch_ns})</td></tr>
 *   <tr><td>{@code DATEADD(day, n, ts)}, {@code TIMESTAMPADD} (any unit alias)</td>
 *       <td>{@code sf_dateadd('day', n, ts)}</td></tr>
 *   <tr><td>{@code TO_TIMESTAMP[_NTZ](}, {@code TRY_TO_TIMESTAMP[_NTZ](}, {@code
 *       TO_TIMESTAMP_LTZ/TZ(}</td><td>{@code sf_to_timestamp(}, {@code sf_try_to_timestamp(},
 *       {@code sf_to_timestamptz(}</td></tr>
 *   <tr><td>{@code [db.]INFORMATION_SCHEMA.COLUMNS} / {@code .TABLES}</td><td>{@code
 *       sf_information_schema.columns} / {@code .tables}, with Snowflake's DATA_TYPE names</td></tr>
 *   <tr><td>{@code PRIMARY KEY}, {@code UNIQUE}, {@code FOREIGN KEY ... REFERENCES} in CREATE
 *       TABLE</td><td>dropped: Snowflake does not enforce them, DuckDB would</td></tr>
 * </table>
 *
 * <p>Not translated (DuckDB rejects them or, worse, differs): {@code FLATTEN} other than {@code
 * LATERAL FLATTEN(input => x) f} (which becomes {@code LATERAL json_each(x) f}: {@code f.value},
 * {@code f.key}, {@code f.path}; no {@code f.index}), {@code
 * OBJECT_CONSTRUCT(*)}, VARIANT-to-text casts other than the path forms above ({@code
 * variant_col::VARCHAR} keeps JSON quotes), backslash escapes inside string literals, {@code
 * IDENTIFIER()}, stages/{@code COPY INTO}/{@code PUT}. The {@code sf_} functions come from {@link
 * DuckDbCompat} and {@link CortexStandInFunctions}.
 *
 * <p>Work as-is in DuckDB: {@code CREATE OR REPLACE}, {@code CREATE SCHEMA IF NOT EXISTS}, {@code
 * MERGE}, {@code QUALIFY}, {@code STRING}/{@code TEXT}/{@code
 * VARCHAR(n)}, {@code ILIKE}, {@code TRY_CAST}, {@code LISTAGG}. Statements that only matter on a
 * real account ({@link #noOpReason}) are acknowledged without running anything.
 */
public final class SnowflakeToDuckDb {

  private SnowflakeToDuckDb() {}

  private static final Pattern NO_OP = Pattern.compile(
      "^\\s*(?:"
          + "CREATE\\s+(?:OR\\s+REPLACE\\s+)?(?:MASKING|ROW\\s+ACCESS)\\s+POLICY"
          + "|ALTER\\s+(?:TABLE|VIEW)\\s+.*\\s(?:SET|UNSET)\\s+(?:MASKING|ROW\\s+ACCESS)\\s+POLICY"
          + "|ALTER\\s+(?:TABLE|VIEW)\\s+.*\\s(?:ADD|DROP)\\s+ROW\\s+ACCESS\\s+POLICY"
          + "|DROP\\s+(?:MASKING|ROW\\s+ACCESS)\\s+POLICY"
          + "|ALTER\\s+TABLE\\s+.*\\s(?:SET\\s+CHANGE_TRACKING|CLUSTER\\s+BY|DROP\\s+CLUSTERING\\s+KEY"
          + "|SET\\s+DATA_RETENTION_TIME_IN_DAYS|(?:SUSPEND|RESUME)\\s+RECLUSTER)\\b"
          + "|GRANT\\s|REVOKE\\s"
          + "|CREATE\\s+(?:OR\\s+REPLACE\\s+)?(?:ROLE|USER|WAREHOUSE|DATABASE|TASK|STREAM|PIPE|STAGE"
          + "|NETWORK\\s+POLICY|RESOURCE\\s+MONITOR|CORTEX\\s+SEARCH\\s+SERVICE)\\b"
          + "|ALTER\\s+(?:ROLE|USER|WAREHOUSE|DATABASE|TASK|STREAM|PIPE|SESSION|ACCOUNT"
          + "|CORTEX\\s+SEARCH\\s+SERVICE)\\b"
          + "|DROP\\s+(?:ROLE|USER|WAREHOUSE|DATABASE|TASK|STREAM|PIPE|STAGE"
          + "|CORTEX\\s+SEARCH\\s+SERVICE)\\b"
          + "|USE\\s+(?:ROLE|WAREHOUSE|SECONDARY\\s+ROLES|DATABASE)\\b"
          + "|COMMENT\\s+(?:IF\\s+EXISTS\\s+)?ON\\s+(?:MASKING|ROLE|WAREHOUSE|TASK)"
          + ")",
      Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

  /**
   * Why {@code snowflakeSql} is acknowledged without running on DuckDB (masking and row access
   * policies, grants, roles, users, warehouses, databases, tasks, streams, pipes, stages, Cortex
   * Search services, {@code ALTER SESSION}, {@code USE ROLE/WAREHOUSE/DATABASE}); empty if it runs.
   */
  public static Optional<String> noOpReason(String snowflakeSql) {
    String code = codeOnly(snowflakeSql);
    Matcher m = NO_OP.matcher(code);
    if (!m.find()) {
      return Optional.empty();
    }
    String head = m.group().trim().replaceAll("\\s+", " ").toUpperCase(Locale.ROOT);
    return Optional.of("only meaningful on a real Snowflake account: " + head);
  }

  /** The DuckDB form of one Snowflake statement (see the class table). */
  public static String translate(String snowflakeSql) {
    return translate(snowflakeSql, null);
  }

  /**
   * As {@link #translate(String)}, and drops the database part of three-part names {@code
   * database.schema.object} (the stand-in has one database, whose DuckDB catalog has another name).
   */
  public static String translate(String snowflakeSql, @Nullable String database) {
    List<Segment> segments = Segment.split(typedEmbeddings(snowflakeSql));
    StringBuilder out = new StringBuilder(snowflakeSql.length() + 32);
    Pattern dbPrefix = database == null ? null : Pattern.compile(
        "(?<![\\w.$])" + Pattern.quote(database) + "\\.(?=[A-Za-z_]\\w*\\.[A-Za-z_])",
        Pattern.CASE_INSENSITIVE);
    for (Segment s : segments) {
      String text = s.text;
      if (s.code && dbPrefix != null) {
        text = dbPrefix.matcher(text).replaceAll("");
      }
      out.append(s.code ? rewriteCode(text) : text);
    }
    return rewriteAcrossSegments(out.toString());
  }

  // --- rewrites on code (outside literals) -----------------------------------------------------

  private static final Pattern VECTOR = Pattern.compile(
      "\\bVECTOR\\s*\\(\\s*(FLOAT|INT)\\s*,\\s*(\\d+)\\s*\\)", Pattern.CASE_INSENSITIVE);
  private static final Pattern NUMBER = Pattern.compile(
      "\\b(?:NUMBER|NUMERIC)\\b(?:\\s*\\(\\s*(\\d+)\\s*(?:,\\s*(\\d+)\\s*)?\\))?",
      Pattern.CASE_INSENSITIVE);
  /** Snowflake's FLOAT family is 64-bit; a VECTOR's FLOAT (already {@code FLOAT[n]}) is 32-bit. */
  private static final Pattern FLOAT_TYPE = Pattern.compile(
      "(?<![\\w.])(?:FLOAT[48]?|REAL|DOUBLE\\s+PRECISION)\\b(?!\\s*\\[)", Pattern.CASE_INSENSITIVE);
  private static final Pattern TS_NTZ = Pattern.compile(
      "\\bTIMESTAMP_NTZ\\b(?:\\s*\\(\\s*\\d+\\s*\\))?", Pattern.CASE_INSENSITIVE);
  private static final Pattern TS_TZ = Pattern.compile(
      "\\bTIMESTAMP_L?TZ\\b(?:\\s*\\(\\s*\\d+\\s*\\))?", Pattern.CASE_INSENSITIVE);
  private static final Pattern SEMI_STRUCTURED = Pattern.compile(
      "(?<![\\w.])(?:VARIANT|OBJECT|ARRAY)\\b(?!\\s*\\()", Pattern.CASE_INSENSITIVE);
  private static final Pattern TRANSIENT = Pattern.compile(
      "\\b(CREATE\\s+(?:OR\\s+REPLACE\\s+)?)(?:TRANSIENT|(?:LOCAL\\s+|GLOBAL\\s+)?TEMPORARY|TEMP"
          + "|VOLATILE|SECURE)\\s+(TABLE|SCHEMA|VIEW)\\b", Pattern.CASE_INSENSITIVE);
  /** The table a {@code CREATE TEMPORARY TABLE} creates (group 1). */
  static final Pattern TEMPORARY_TABLE = Pattern.compile(
      "^\\s*CREATE\\s+(?:OR\\s+REPLACE\\s+)?(?:LOCAL\\s+|GLOBAL\\s+)?(?:TEMPORARY|TEMP|VOLATILE)"
          + "\\s+TABLE\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?([\\w.\"$]+)", Pattern.CASE_INSENSITIVE);
  /** {@code CREATE OR REPLACE VIEW v COPY GRANTS AS}: DuckDB has no grants to keep. */
  private static final Pattern COPY_GRANTS = Pattern.compile(
      "\\s+COPY\\s+GRANTS\\b", Pattern.CASE_INSENSITIVE);
  private static final Pattern USE_SCHEMA = Pattern.compile(
      "^(\\s*)USE\\s+SCHEMA\\s+", Pattern.CASE_INSENSITIVE);
  private static final Pattern CURRENT_TS_CALL = Pattern.compile(
      "\\bCURRENT_TIMESTAMP\\s*\\(\\s*\\)", Pattern.CASE_INSENSITIVE);
  private static final Pattern EPOCH_PART = Pattern.compile(
      "\\bDATE_PART\\s*\\(\\s*EPOCH_(SECOND|MILLISECOND|MICROSECOND|NANOSECOND)S?\\s*,\\s*",
      Pattern.CASE_INSENSITIVE);
  private static final Pattern DATEADD = Pattern.compile(
      "(?<![\\w.])(?:DATEADD|TIMESTAMPADD)\\s*\\(\\s*([A-Za-z_]+)\\s*,", Pattern.CASE_INSENSITIVE);
  private static final Pattern INFORMATION_SCHEMA = Pattern.compile(
      "(?<![\\w.])INFORMATION_SCHEMA\\s*\\.\\s*(COLUMNS|TABLES)\\b", Pattern.CASE_INSENSITIVE);
  private static final Map<String, String> DATE_UNITS = dateUnits();
  private static final Pattern ALIAS_POSITIONAL = Pattern.compile("\\b([A-Za-z_]\\w*)\\.\\$(\\d+)\\b");
  private static final Pattern BARE_POSITIONAL = Pattern.compile("(?<![\\w.$])\\$(\\d+)\\b");
  /** {@code col:path} (one colon, not {@code ::}); the path may end in {@code ::TYPE}. */
  private static final Pattern VARIANT_PATH = Pattern.compile(
      "(?<![:\\w.])([A-Za-z_][\\w]*(?:\\.[A-Za-z_][\\w]*)?):(?!:)"
          + "([A-Za-z_]\\w*(?:\\.[A-Za-z_]\\w*|\\[\\d+\\])*)"
          + "(\\s*::\\s*(?:STRING|TEXT|VARCHAR)\\b)?",
      Pattern.CASE_INSENSITIVE);

  private static final String[][] FUNCTION_RENAMES = {
    {"SNOWFLAKE\\.CORTEX\\.SENTIMENT", CortexStandInFunctions.SENTIMENT},
    {"SNOWFLAKE\\.CORTEX\\.EMBED_TEXT_768", CortexStandInFunctions.EMBED},
    {"SNOWFLAKE\\.CORTEX\\.EMBED_TEXT_1024", CortexStandInFunctions.EMBED},
    {"AI_EMBED", CortexStandInFunctions.EMBED},
    {"AI_CLASSIFY", CortexStandInFunctions.CLASSIFY},
    {"AI_SENTIMENT", CortexStandInFunctions.AI_SENTIMENT},
    {"AI_SUMMARIZE_AGG", CortexStandInFunctions.SUMMARIZE_AGG},
    {"SHA2", "sf_sha2"},
    {"OBJECT_CONSTRUCT_KEEP_NULL", "json_object"},
    {"ARRAY_CONSTRUCT", "json_array"},
    {"OBJECT_AGG", "json_group_object"},
    {"TRY_PARSE_JSON", "sf_try_parse_json"},
    {"PARSE_JSON", "json"},
    {"IFF", "if"},
    {"NVL", "coalesce"},
    {"ZEROIFNULL", "sf_zeroifnull"},
    {"TO_VARCHAR", "sf_to_varchar"},
    {"VECTOR_COSINE_SIMILARITY", "array_cosine_similarity"},
    {"VECTOR_INNER_PRODUCT", "array_inner_product"},
    {"VECTOR_L2_DISTANCE", "array_distance"},
    {"OBJECT_CONSTRUCT", "json_object"},
    {"ARRAY_SIZE", "json_array_length"},
    {"SYSDATE", "now"},
    {"REGEXP_LIKE", "regexp_full_match"},
    {"RLIKE", "regexp_full_match"},
    {"TRY_TO_TIMESTAMP(?:_NTZ)?", "sf_try_to_timestamp"},
    {"TO_TIMESTAMP(?:_NTZ)?", "sf_to_timestamp"},
    {"TO_TIMESTAMP_[LT]TZ", "sf_to_timestamptz"},
  };
  private static final List<Rename> RENAMES = new ArrayList<>();

  static {
    for (String[] r : FUNCTION_RENAMES) {
      RENAMES.add(new Rename(
          Pattern.compile("(?<![\\w.])" + r[0] + "\\s*\\(", Pattern.CASE_INSENSITIVE), r[1] + "("));
    }
  }

  private record Rename(Pattern pattern, String replacement) {}

  private static String rewriteCode(String code) {
    String s = code;
    for (Rename r : RENAMES) {
      s = r.pattern().matcher(s).replaceAll(Matcher.quoteReplacement(r.replacement()));
    }
    s = replace(s, VECTOR, m -> (m.group(1).equalsIgnoreCase("INT") ? "INTEGER" : "FLOAT")
        + "[" + m.group(2) + "]");
    s = replace(s, NUMBER, SnowflakeToDuckDb::numberType);
    s = FLOAT_TYPE.matcher(s).replaceAll("DOUBLE");
    s = TS_NTZ.matcher(s).replaceAll("TIMESTAMP");
    s = TS_TZ.matcher(s).replaceAll("TIMESTAMPTZ");
    s = SEMI_STRUCTURED.matcher(s).replaceAll("JSON");
    s = TRANSIENT.matcher(s).replaceAll("$1$2");
    s = COPY_GRANTS.matcher(s).replaceAll("");
    s = USE_SCHEMA.matcher(s).replaceAll("$1USE ");
    s = CURRENT_TS_CALL.matcher(s).replaceAll("current_timestamp");
    s = replace(s, EPOCH_PART, m -> switch (m.group(1).toUpperCase(Locale.ROOT)) {
      case "SECOND" -> "sf_epoch_second(";
      case "MILLISECOND" -> "epoch_ms(";
      case "MICROSECOND" -> "epoch_us(";
      default -> "epoch_ns(";
    });
    s = replace(s, DATEADD, m -> "sf_dateadd('"
        + DATE_UNITS.getOrDefault(m.group(1).toLowerCase(Locale.ROOT), m.group(1).toLowerCase(
            Locale.ROOT)) + "',");
    s = INFORMATION_SCHEMA.matcher(s).replaceAll(DuckDbCompat.INFORMATION_SCHEMA + ".$1");
    s = replace(s, ALIAS_POSITIONAL,
        m -> m.group(1) + ".col" + (Integer.parseInt(m.group(2)) - 1));
    s = replace(s, BARE_POSITIONAL, m -> "col" + (Integer.parseInt(m.group(1)) - 1));
    s = replace(s, VARIANT_PATH, SnowflakeToDuckDb::variantPath);
    return s;
  }

  private static Map<String, String> dateUnits() {
    Map<String, String> m = new java.util.HashMap<>();
    String[][] aliases = {
      {"year", "y", "yy", "yyy", "yyyy", "yr", "years", "yrs"},
      {"quarter", "q", "qtr", "qtrs", "quarters"},
      {"month", "mm", "mon", "mons", "months"},
      {"week", "w", "wk", "weekofyear", "woy", "wy", "weeks"},
      {"day", "d", "dd", "days", "dayofmonth"},
      {"hour", "h", "hh", "hr", "hours", "hrs"},
      {"minute", "m", "mi", "min", "minutes", "mins"},
      {"second", "s", "sec", "seconds", "secs"},
      {"millisecond", "ms", "msec", "milliseconds"},
      {"microsecond", "us", "usec", "microseconds"},
    };
    for (String[] a : aliases) {
      for (String alias : a) {
        m.put(alias, a[0]);
      }
    }
    return m;
  }

  private static String numberType(Matcher m) {
    if (m.group(1) == null) {
      return "BIGINT";
    }
    int precision = Integer.parseInt(m.group(1));
    int scale = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
    if (scale == 0 && precision <= 18) {
      return "BIGINT";
    }
    return "DECIMAL(" + precision + "," + scale + ")";
  }

  private static String variantPath(Matcher m) {
    String path = "$." + m.group(2);
    if (m.group(3) != null) {
      return "(" + m.group(1) + "->>'" + path + "')::VARCHAR";
    }
    return "(" + m.group(1) + "->'" + path + "')";
  }

  // --- rewrites that must see literals too -------------------------------------------------

  private static final Pattern EMBED_CALL = Pattern.compile(
      "(?<![\\w.])(AI_EMBED|SNOWFLAKE\\.CORTEX\\.EMBED_TEXT_(768|1024))\\s*\\(\\s*'([^']*)'",
      Pattern.CASE_INSENSITIVE);

  /**
   * {@code AI_EMBED('model', x)} with a literal model of known dimension n (and {@code
   * EMBED_TEXT_768/1024}) becomes {@code sf_ai_embed_n('model', x)}, typed {@code FLOAT[n]} like a
   * Snowflake {@code VECTOR(FLOAT, n)}, so it compares with and fills {@code FLOAT[n]} columns.
   */
  private static String typedEmbeddings(String sql) {
    Matcher m = EMBED_CALL.matcher(sql);
    StringBuilder sb = new StringBuilder(sql.length());
    while (m.find()) {
      Integer dim = m.group(2) != null ? Integer.valueOf(m.group(2))
          : CortexStandInFunctions.EMBEDDING_DIMENSIONS.get(m.group(3).toLowerCase(Locale.ROOT));
      String replacement = dim == null || !Segment.isCodeAt(sql, m.start()) ? m.group()
          : CortexStandInFunctions.EMBED + "_" + dim + "('" + m.group(3) + "'";
      m.appendReplacement(sb, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  private static final Pattern FROM_VALUES = Pattern.compile("\\bFROM\\s+VALUES\\s*\\(",
      Pattern.CASE_INSENSITIVE);
  private static final Pattern VALUES_ALIAS = Pattern.compile(
      "^\\s*(?:AS\\s+)?([A-Za-z_]\\w*)(?:\\s*\\(([^)]*)\\))?", Pattern.CASE_INSENSITIVE);
  private static final java.util.Set<String> NOT_AN_ALIAS = java.util.Set.of(
      "WHERE", "GROUP", "ORDER", "QUALIFY", "LIMIT", "UNION", "ON", "JOIN", "LEFT", "INNER",
      "WHEN", "HAVING", "WINDOW", "EXCEPT", "INTERSECT");

  private static String rewriteAcrossSegments(String sql) {
    return dropKeyConstraints(getPath(fromValues(withinGroup(lateralFlatten(sql)))));
  }

  private static final Pattern ORDERED_AGGREGATE = Pattern.compile(
      "(?<![\\w.])(LISTAGG|ARRAY_AGG)\\s*\\(", Pattern.CASE_INSENSITIVE);
  private static final Pattern WITHIN_GROUP = Pattern.compile(
      "^\\s*WITHIN\\s+GROUP\\s*\\(\\s*ORDER\\s+BY\\s", Pattern.CASE_INSENSITIVE);

  /**
   * {@code LISTAGG(x, sep) WITHIN GROUP (ORDER BY o)} becomes {@code string_agg(x, sep ORDER BY o)}
   * and {@code ARRAY_AGG(x) WITHIN GROUP (ORDER BY o)} {@code CAST(array_agg(x ORDER BY o) AS
   * JSON)} (Snowflake's ARRAY is a VARIANT). Without WITHIN GROUP they are left as they are
   * ({@code LISTAGG} works in DuckDB; a bare {@code ARRAY_AGG} gives a DuckDB list).
   */
  private static String withinGroup(String sql) {
    StringBuilder out = new StringBuilder(sql.length());
    int from = 0;
    Matcher m = ORDERED_AGGREGATE.matcher(sql);
    while (m.find(from)) {
      int open = m.end() - 1;
      if (!Segment.isCodeAt(sql, m.start())) {
        out.append(sql, from, m.end());
        from = m.end();
        continue;
      }
      int close = matchingParen(sql, open);
      Matcher g = WITHIN_GROUP.matcher(sql.substring(close + 1));
      if (!g.find()) {
        out.append(sql, from, m.end());
        from = m.end();
        continue;
      }
      int groupOpen = sql.indexOf('(', close + 1);
      int groupClose = matchingParen(sql, groupOpen);
      String args = withinGroup(sql.substring(open + 1, close));
      String orderBy = sql.substring(close + 1 + g.end() - 1, groupClose).strip();
      boolean array = m.group(1).equalsIgnoreCase("ARRAY_AGG");
      out.append(sql, from, m.start())
          .append(array ? "CAST(array_agg(" : "string_agg(").append(args)
          .append(" ORDER BY ").append(orderBy).append(array ? ") AS JSON)" : ")");
      from = groupClose + 1;
    }
    return out.append(sql.substring(from)).toString();
  }

  private static final Pattern LATERAL_FLATTEN = Pattern.compile(
      "(?<![\\w.])LATERAL\\s+FLATTEN\\s*\\(\\s*INPUT\\s*=>\\s*", Pattern.CASE_INSENSITIVE);

  /**
   * {@code LATERAL FLATTEN(input => x) f} becomes {@code LATERAL json_each(x) f}: one row per
   * element of a JSON array (or member of an object) with {@code f.value} (and {@code f.key},
   * {@code f.path}); {@code f.value::STRING} (also VARCHAR, TEXT) becomes {@code
   * json_extract_string(f.value, '$')}, the bare text as in Snowflake. Other FLATTEN arguments ({@code path =>}, {@code outer =>}, ...) and columns
   * ({@code f.index}, {@code f.seq}) are not translated; DuckDB then rejects the statement.
   */
  private static String lateralFlatten(String sql) {
    List<String> aliases = new ArrayList<>();
    StringBuilder out = new StringBuilder(sql.length());
    int from = 0;
    Matcher m = LATERAL_FLATTEN.matcher(sql);
    while (m.find(from)) {
      if (!Segment.isCodeAt(sql, m.start())) {
        out.append(sql, from, m.end());
        from = m.end();
        continue;
      }
      int open = sql.indexOf('(', m.start());
      int close = matchingParen(sql, open);
      out.append(sql, from, m.start()).append("LATERAL json_each(")
          .append(sql, m.end(), close).append(")");
      from = close + 1;
      Matcher alias = FLATTEN_ALIAS.matcher(sql.substring(from));
      if (alias.find()) {
        aliases.add(alias.group(1));
      }
    }
    String result = out.append(sql.substring(from)).toString();
    for (String a : aliases) {
      // a VARIANT string element as text: Snowflake drops the JSON quotes, a DuckDB cast keeps them
      result = Pattern.compile("(?<![\\w.])" + Pattern.quote(a)
              + "\\.value\\s*::\\s*(?:STRING|VARCHAR|TEXT)\\b", Pattern.CASE_INSENSITIVE)
          .matcher(result).replaceAll(Matcher.quoteReplacement("json_extract_string(" + a
              + ".value, '$')"));
    }
    return result;
  }

  private static final Pattern FLATTEN_ALIAS = Pattern.compile(
      "^\\s*(?:AS\\s+)?([A-Za-z_]\\w*)");

  private static final Pattern GET_PATH = Pattern.compile("(?<![\\w.])GET_PATH\\s*\\(",
      Pattern.CASE_INSENSITIVE);
  private static final Pattern TEXT_CAST = Pattern.compile(
      "^\\s*::\\s*(?:VARCHAR|STRING|TEXT)\\b", Pattern.CASE_INSENSITIVE);

  /** {@code GET_PATH(v, 'a.b')} is VARIANT; followed by {@code ::VARCHAR} it is the bare text. */
  private static String getPath(String sql) {
    Matcher m = GET_PATH.matcher(sql);
    StringBuilder out = new StringBuilder(sql.length());
    int from = 0;
    while (m.find(from)) {
      if (!Segment.isCodeAt(sql, m.start())) {
        out.append(sql, from, m.end());
        from = m.end();
        continue;
      }
      int close = matchingParen(sql, m.end() - 1);
      boolean text = TEXT_CAST.matcher(sql.substring(close + 1)).find();
      out.append(sql, from, m.start()).append(text ? "sf_get_path_text(" : "sf_get_path(");
      from = m.end();
    }
    return out.append(sql.substring(from)).toString();
  }

  private static final Pattern CREATE_TABLE = Pattern.compile(
      "^\\s*CREATE\\s+(?:OR\\s+REPLACE\\s+)?TABLE\\b", Pattern.CASE_INSENSITIVE);
  private static final Pattern KEY_CONSTRAINT = Pattern.compile(
      ",\\s*(?:CONSTRAINT\\s+[\\w\"]+\\s+)?(?:PRIMARY\\s+KEY|UNIQUE)\\s*\\([^)]*\\)"
          + "|,\\s*(?:CONSTRAINT\\s+[\\w\"]+\\s+)?FOREIGN\\s+KEY\\s*\\([^)]*\\)\\s*REFERENCES\\s+"
          + "[\\w.\"]+(?:\\s*\\([^)]*\\))?"
          + "|\\s+PRIMARY\\s+KEY\\b(?!\\s*\\()|\\s+UNIQUE\\b(?!\\s*\\()"
          + "|\\s+REFERENCES\\s+[\\w.\"]+(?:\\s*\\([^)]*\\))?",
      Pattern.CASE_INSENSITIVE);

  /**
   * Snowflake does not enforce PRIMARY KEY, UNIQUE or FOREIGN KEY (only NOT NULL); DuckDB would.
   * They are dropped from CREATE TABLE so duplicates behave as on Snowflake.
   */
  private static String dropKeyConstraints(String sql) {
    if (!CREATE_TABLE.matcher(codeOnly(sql)).find()) {
      return sql;
    }
    Matcher m = KEY_CONSTRAINT.matcher(sql);
    StringBuilder out = new StringBuilder(sql.length());
    int from = 0;
    while (m.find()) {
      if (Segment.isCodeAt(sql, m.start() + 1)) {
        out.append(sql, from, m.start());
        from = m.end();
      }
    }
    return out.append(sql.substring(from)).toString();
  }

  /** {@code FROM VALUES (..),(..) [AS] v} becomes {@code FROM (VALUES (..),(..)) AS v}. */
  private static String fromValues(String sql) {
    StringBuilder out = new StringBuilder(sql.length() + 8);
    int from = 0;
    Matcher m = FROM_VALUES.matcher(sql);
    while (m.find(from)) {
      if (!Segment.isCodeAt(sql, m.start())) {
        out.append(sql, from, m.end());
        from = m.end();
        continue;
      }
      int valuesStart = sql.toUpperCase(Locale.ROOT).indexOf("VALUES", m.start());
      int end = endOfRowList(sql, m.end() - 1);
      out.append(sql, from, m.start()).append("FROM (").append(sql, valuesStart, end).append(")");
      Matcher alias = VALUES_ALIAS.matcher(sql.substring(end));
      if (alias.find() && !NOT_AN_ALIAS.contains(alias.group(1).toUpperCase(Locale.ROOT))) {
        out.append(" AS ").append(alias.group(1));
        if (alias.group(2) != null) {
          out.append("(").append(alias.group(2)).append(")");
        }
        from = end + alias.end();
      } else {
        from = end;
      }
    }
    out.append(sql.substring(from));
    return out.toString();
  }

  /** Index just past the last {@code ( ... )} of a comma-separated row list starting at {@code open}. */
  private static int endOfRowList(String sql, int open) {
    int i = open;
    while (true) {
      i = matchingParen(sql, i) + 1;
      int j = i;
      while (j < sql.length() && Character.isWhitespace(sql.charAt(j))) {
        j++;
      }
      if (j < sql.length() && sql.charAt(j) == ',') {
        j++;
        while (j < sql.length() && Character.isWhitespace(sql.charAt(j))) {
          j++;
        }
        if (j < sql.length() && sql.charAt(j) == '(') {
          i = j;
          continue;
        }
      }
      return i;
    }
  }

  private static int matchingParen(String sql, int open) {
    int depth = 0;
    for (Segment s : Segment.split(sql.substring(open))) {
      if (!s.code) {
        continue;
      }
      for (int k = 0; k < s.text.length(); k++) {
        char c = s.text.charAt(k);
        if (c == '(') {
          depth++;
        } else if (c == ')' && --depth == 0) {
          return open + s.offset + k;
        }
      }
    }
    throw new IllegalArgumentException("Unbalanced parentheses from offset " + open);
  }

  private static String replace(String s, Pattern p, Function<Matcher, String> f) {
    Matcher m = p.matcher(s);
    StringBuilder sb = new StringBuilder(s.length());
    while (m.find()) {
      m.appendReplacement(sb, Matcher.quoteReplacement(f.apply(m)));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  /** {@code sql} with literals, quoted identifiers and comments blanked out (same length). */
  static String codeOnly(String sql) {
    StringBuilder sb = new StringBuilder(sql.length());
    for (Segment s : Segment.split(sql)) {
      sb.append(s.code ? s.text : " ".repeat(s.text.length()));
    }
    return sb.toString();
  }

  /** A run of SQL text that is either code or one literal/quoted identifier/comment. */
  static final class Segment {
    final String text;
    final boolean code;
    final int offset;

    private Segment(String text, boolean code, int offset) {
      this.text = text;
      this.code = code;
      this.offset = offset;
    }

    static boolean isCodeAt(String sql, int index) {
      for (Segment s : split(sql)) {
        if (index >= s.offset && index < s.offset + s.text.length()) {
          return s.code;
        }
      }
      return true;
    }

    static List<Segment> split(String sql) {
      List<Segment> out = new ArrayList<>();
      int codeStart = 0;
      int i = 0;
      int n = sql.length();
      while (i < n) {
        char c = sql.charAt(i);
        int end = -1;
        if (c == '\'' || c == '"') {
          end = closeQuote(sql, i, c);
        } else if (c == '$' && i + 1 < n && sql.charAt(i + 1) == '$') {
          int close = sql.indexOf("$$", i + 2);
          end = close < 0 ? n : close + 2;
        } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
          int nl = sql.indexOf('\n', i);
          end = nl < 0 ? n : nl;
        } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
          int close = sql.indexOf("*/", i + 2);
          end = close < 0 ? n : close + 2;
        }
        if (end < 0) {
          i++;
          continue;
        }
        if (i > codeStart) {
          out.add(new Segment(sql.substring(codeStart, i), true, codeStart));
        }
        out.add(new Segment(sql.substring(i, end), false, i));
        i = end;
        codeStart = end;
      }
      if (codeStart < n) {
        out.add(new Segment(sql.substring(codeStart), true, codeStart));
      }
      return out;
    }

    /** Index past the closing quote; a doubled quote (or backslash escape in '') stays inside. */
    private static int closeQuote(String sql, int open, char q) {
      int i = open + 1;
      while (i < sql.length()) {
        char c = sql.charAt(i);
        if (c == '\\' && q == '\'' && i + 1 < sql.length()) {
          i += 2;
          continue;
        }
        if (c == q) {
          if (i + 1 < sql.length() && sql.charAt(i + 1) == q) {
            i += 2;
            continue;
          }
          return i + 1;
        }
        i++;
      }
      return sql.length();
    }
  }
}
