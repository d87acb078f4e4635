package com.gongpipeline.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.gongpipeline.chunking.PiiRedactor;
import com.gongpipeline.errors.SecretRedaction;
import com.gongpipeline.parse.JsonSupport;
import com.gongpipeline.warehouse.ReportSql;
import com.gongpipeline.warehouse.Warehouse;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code brief --account=NAME [--days=90] [--asOf=ISO] [--warehouse=URL] [--json]}: the pre-meeting
 * brief of one account, printed from the warehouse's tables by the report {@code
 * sql/<dialect>/reports/pre_meeting_brief.sql} (no language model): the latest calls with Gong's
 * summary and key points, the action items of the latest calls, the risks and objections the
 * customer raised, the people met and the weekly sentiment trend, each cited by call title, date,
 * call id, speaker and mm:ss.
 *
 * <p>The account is matched case-insensitively against STG's accounts; an unknown one is a usage
 * error (exit 2) that lists the nearest names. Like {@code search}, the brief shows no verbatim
 * PII: every quoted text (summaries, key points, next steps, customer turns) goes through {@link
 * PiiRedactor} (emails, phones, card numbers, SSNs, IBANs become placeholders) and participants
 * appear by name and title only, never by email or phone.
 */
public final class BriefCommand {
  static final int DEFAULT_DAYS = 90;
  static final String USAGE = "usage: brief --account=NAME [--days=" + DEFAULT_DAYS
      + "] [--asOf=ISO] [--warehouse=URL] [--json]";
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final int SUMMARY_CHARS = 400;

  private BriefCommand() {}

  public static ObjectNode run(String[] args, PrintStream out) {
    return run(args, out, Warehouse::open);
  }

  /** With the way a --warehouse URL is opened (tests: a Snowflake stand-in's credentials). */
  static ObjectNode run(String[] args, PrintStream out,
      java.util.function.Function<String, Warehouse> open) {
    CliArgs a = CliArgs.parse(args);
    String account = a.get("account", null);
    if (account == null || account.isBlank() || "true".equals(account) || !a.positional.isEmpty()) {
      throw new IllegalArgumentException(USAGE);
    }
    int days = a.getInt("days", DEFAULT_DAYS);
    if (days < 1 || days > 3660) {
      throw new IllegalArgumentException("--days must be between 1 and 3660, not " + days);
    }
    Instant asOf = a.flags.containsKey("asOf") ? Instants.parse("asOf", a.get("asOf", null))
        : Instant.now();
    String url = a.get("warehouse", SearchCommand.DEFAULT_WAREHOUSE);
    try (Warehouse wh = open.apply(url)) {
      String name = resolveAccount(wh, account.strip(), url);
      Map<String, String> params = new LinkedHashMap<>();
      params.put("account", ReportSql.text(name));
      params.put("days", ReportSql.integer(days));
      params.put("as_of", ReportSql.timestamp(asOf));
      List<Map<String, Object>> rows = new ArrayList<>();
      for (Map<String, Object> r : wh.query(ReportSql.render(ReportSql.dialectOf(url),
          "pre_meeting_brief", params))) {
        Map<String, Object> lower = new LinkedHashMap<>();
        r.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
        rows.add(lower);
      }
      ObjectNode brief = toJson(name, days, asOf, rows);
      if (a.has("json")) {
        out.println(JsonSupport.write(brief));
      } else {
        print(brief, out);
      }
      return brief;
    }
  }

  /**
   * The account's name as STG spells it: the one equal to {@code wanted} ignoring case, or a usage
   * error listing the nearest names.
   */
  static String resolveAccount(Warehouse wh, String wanted, String url) {
    List<String> names = new ArrayList<>();
    for (Map<String, Object> r : wh.query("SELECT DISTINCT ACCOUNT_NAME AS NAME"
        + " FROM STG_TRANSFORMED.STG_GONG_CALLS WHERE ACCOUNT_NAME IS NOT NULL"
        + " AND IS_DELETED IS NOT TRUE AND IS_PRIVATE IS NOT TRUE")) {
      names.add(String.valueOf(r.values().iterator().next()));
    }
    List<String> exact = names.stream().filter(n -> n.equalsIgnoreCase(wanted)).sorted().toList();
    if (exact.size() == 1) {
      return exact.get(0);
    }
    if (exact.size() > 1) {
      throw new IllegalArgumentException("account \"" + wanted + "\" is ambiguous: "
          + String.join(", ", exact) + " differ only in case");
    }
    if (names.isEmpty()) {
      throw new IllegalArgumentException("no accounts in " + SecretRedaction.redact(url)
          + ": run a backfill (or the demo) first");
    }
    throw new IllegalArgumentException("unknown account \"" + wanted + "\"; nearest: "
        + String.join(", ", nearest(wanted, names, 5)));
  }

  /** Up to {@code k} names closest to {@code wanted}: containing it first, then by edit distance. */
  static List<String> nearest(String wanted, List<String> names, int k) {
    String w = wanted.toLowerCase(Locale.ROOT);
    return names.stream().sorted(Comparator
        .comparing((String n) -> {
          String l = n.toLowerCase(Locale.ROOT);
          return l.contains(w) || w.contains(l) ? 0 : 1;
        })
        .thenComparingInt(n -> distance(w, n.toLowerCase(Locale.ROOT)))
        .thenComparing(n -> n))
        .limit(k).toList();
  }

  /** Levenshtein distance. */
  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  /** The report's rows as one JSON document, every quoted text PII-redacted. */
  static ObjectNode toJson(String account, int days, Instant asOf,
      List<Map<String, Object>> rows) {
    ObjectNode o = F.objectNode();
    o.put("account", account);
    o.put("days", days);
    o.put("as_of", asOf.toString());
    ArrayNode calls = o.putArray("calls");
    ArrayNode steps = o.putArray("next_steps");
    ObjectNode risks = F.objectNode();
    ArrayNode people = o.putArray("people");
    ArrayNode trend = o.putArray("sentiment");
    for (Map<String, Object> r : rows) {
      String section = String.valueOf(r.get("section"));
      switch (section) {
        case "call" -> {
          ObjectNode c = calls.addObject();
          cite(c, r);
          c.put("sentiment", number(r.get("value")));
          c.put("summary", clip(redact(str(r.get("text"))), SUMMARY_CHARS));
          ArrayNode points = c.putArray("key_points");
          JsonNode kp = parse(r.get("detail"));
          if (kp.isArray()) {
            kp.forEach(p -> points.add(redact(p.isTextual() ? p.asText() : p.toString())));
          }
        }
        case "next_step" -> {
          for (JsonNode s : parse(r.get("detail"))) {
            ObjectNode n = steps.addObject();
            n.put("text", redact(s.path("text").asText("")));
            n.put("speaker", s.path("speaker_name").asText(null));
            Long ms = s.hasNonNull("start_ms") ? s.get("start_ms").asLong() : null;
            n.put("start_ms", ms);
            n.put("at", ms == null ? null : SearchCommand.mmss(ms));
            cite(n, r);
          }
        }
        case "risk" -> {
          String category = str(r.get("item"));
          ObjectNode cat = (ObjectNode) risks.get(category);
          if (cat == null) {
            cat = risks.putObject(category);
            cat.put("category", category);
            cat.put("mentions", number(r.get("value")) == null ? null
                : number(r.get("value")).longValue());
            cat.putArray("citations");
          }
          ObjectNode c = ((ArrayNode) cat.get("citations")).addObject();
          c.put("text", redact(str(r.get("text"))));
          c.put("speaker", str(r.get("speaker")));
          c.put("at", str(r.get("at")));
          c.put("start_ms", number(r.get("start_ms")) == null ? null
              : number(r.get("start_ms")).longValue());
          // where the risk comes from: the classifier's method, gong-trackers, segment-sentiment
          c.put("source", str(r.get("detail")));
          cite(c, r);
        }
        case "person" -> {
          ObjectNode p = people.addObject();
          p.put("name", str(r.get("speaker")));
          p.put("title", str(r.get("detail")));
          p.put("affiliation", str(r.get("item")));
          p.put("calls", number(r.get("value")) == null ? 0 : number(r.get("value")).longValue());
          p.put("last_met", day(r.get("call_at")));
        }
        case "sentiment" -> {
          ObjectNode s = trend.addObject();
          s.put("week", day(r.get("period")));
          s.put("average", number(r.get("value")));
          s.put("calls", Long.parseLong(String.valueOf(r.get("detail"))));
        }
        default -> { } // a section a newer report adds: not shown by this version
      }
    }
    ArrayNode riskList = o.putArray("risks");
    risks.forEach(riskList::add);
    return o;
  }

  private static void cite(ObjectNode n, Map<String, Object> r) {
    n.put("call_id", str(r.get("call_id")));
    n.put("call_title", str(r.get("call_title")));
    n.put("call_date", day(r.get("call_at")));
  }

  static void print(ObjectNode b, PrintStream out) {
    int calls = b.get("calls").size();
    out.printf("Brief: %s, calls of the %d days before %s (%d shown; quotes PII-redacted)%n",
        b.get("account").asText(), b.get("days").asInt(), b.get("as_of").asText().substring(0, 10),
        calls);
    if (calls == 0) {
      out.println("\nNo calls with this account in that window (try a larger --days).");
      return;
    }
    out.println("\nLast calls");
    for (JsonNode c : b.get("calls")) {
      out.printf(Locale.ROOT, "  %s  %s  [call %s]  sentiment %s%n", c.path("call_date").asText(),
          c.path("call_title").asText(), c.path("call_id").asText(),
          c.hasNonNull("sentiment") ? String.format(Locale.ROOT, "%+.2f",
              c.get("sentiment").asDouble()) : "n/a");
      out.printf("     %s%n", c.hasNonNull("summary") ? c.get("summary").asText()
          : "(no summary from Gong)");
      int shown = 0;
      for (JsonNode p : c.get("key_points")) {
        if (shown++ < 3 && !p.asText().equals(c.path("summary").asText())) {
          out.printf("     * %s%n", clip(p.asText(), 200));
        }
      }
    }
    out.println("\nOpen next steps (action items of the latest calls)");
    if (b.get("next_steps").isEmpty()) {
      out.println("  (none recorded)");
    }
    for (JsonNode n : b.get("next_steps")) {
      out.printf("  - %s%n      %s%n", n.path("text").asText(), citation(n));
    }
    out.println("\nRisks and objections (said by the customer)");
    if (b.get("risks").isEmpty()) {
      out.println("  (none found)");
    }
    for (JsonNode r : b.get("risks")) {
      long m = r.path("mentions").asLong();
      out.printf("  %s (%d mention%s)%n", r.path("category").asText(), m, m == 1 ? "" : "s");
      for (JsonNode c : r.get("citations")) {
        out.printf("  - \"%s\"%n      %s%s%n", clip(c.path("text").asText(), 240), citation(c),
            c.hasNonNull("source") ? " via " + c.get("source").asText() : "");
      }
    }
    out.println("\nPeople met");
    for (JsonNode p : b.get("people")) {
      long n = p.path("calls").asLong();
      out.printf("  %s: %s%s (%d call%s, last %s)%n", p.path("affiliation").asText(),
          p.path("name").asText(), p.hasNonNull("title") ? ", " + p.get("title").asText() : "",
          n, n == 1 ? "" : "s", p.path("last_met").asText());
    }
    out.println("\nSentiment trend (average call score per week, -1 to 1)");
    for (JsonNode s : b.get("sentiment")) {
      long n = s.path("calls").asLong();
      out.printf(Locale.ROOT, "  week of %s  %s  (%d call%s)%n", s.path("week").asText(),
          s.hasNonNull("average") ? String.format(Locale.ROOT, "%+.2f",
              s.get("average").asDouble()) : "  n/a", n, n == 1 ? "" : "s");
    }
  }

  /** {@code Speaker @ mm:ss, "Title" 2026-06-05 [call id]}. */
  static String citation(JsonNode n) {
    String who = n.hasNonNull("speaker") ? n.get("speaker").asText() : "Unknown speaker";
    String at = n.hasNonNull("at") ? " @ " + n.get("at").asText() : "";
    return who + at + ", \"" + n.path("call_title").asText() + "\" " + n.path("call_date").asText()
        + " [call " + n.path("call_id").asText() + "]";
  }

  private static String redact(String s) {
    return s == null ? null : PiiRedactor.redact(s);
  }

  private static String clip(String s, int max) {
    return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }

  private static String str(Object v) {
    return v == null ? null : String.valueOf(v);
  }

  private static Double number(Object v) {
    if (v == null) {
      return null;
    }
    return v instanceof Number n ? n.doubleValue() : new BigDecimal(String.valueOf(v)).doubleValue();
  }

  private static JsonNode parse(Object json) {
    if (json == null) {
      return F.arrayNode();
    }
    try {
      return JsonSupport.MAPPER.readTree(String.valueOf(json));
    } catch (Exception e) {
      return F.arrayNode();
    }
  }

  /** The UTC date of a timestamp or date value as the warehouses return them. */
  static String day(Object v) {
    if (v == null) {
      return null;
    }
    if (v instanceof Instant i) {
      return LocalDate.ofInstant(i, ZoneOffset.UTC).toString();
    }
    if (v instanceof java.sql.Timestamp t) {
      return t.toLocalDateTime().toLocalDate().toString();
    }
    if (v instanceof java.sql.Date d) {
      return d.toLocalDate().toString();
    }
    String s = String.valueOf(v);
    return s.length() >= 10 ? s.substring(0, 10) : s;
  }
}
