package com.gongpipeline.parse;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The entities a transcript turn names, as the JSON of {@code STG_GONG_CALL_TRANSCRIPTS
 * .EXTRACTED_ENTITIES}: {@code {"method": "rules-v1", "organisations": [...], "money": [{text,
 * amount, currency}]}}.
 * Deterministic and model-free (method {@value #METHOD}):
 *
 * <ul>
 *   <li>organisations are the names the call's own data knows (its CRM account name, and the
 *       phrases of its competitor and product trackers), found case-insensitively as whole words
 *       (no boundary is needed at an edge in Han, kana or Thai, scripts written without spaces)
 *       in the NFC-normalised text and reported in their known spelling, first mention first;
 *   <li>money amounts are a currency symbol or ISO code ({@code $ € £ ¥}, USD, EUR, GBP, JPY) next
 *       to a number, or a number followed by a currency word (dollars, euros, pounds, yen), with
 *       an optional multiplier (k, m, bn, thousand, million, billion); {@code amount} is the
 *       exact decimal value.
 * </ul>
 */
public final class EntityExtractor {
  /** The method recorded with the entities. */
  public static final String METHOD = "rules-v1";

  private static final String NUMBER = "(?<num>\\d{1,3}(?:,\\d{3})+|\\d+)(?:\\.(?<dec>\\d+))?";
  private static final String MULT =
      "(?:\\s?(?<mult>thousand|million|billion|bn|k|m)(?![\\p{L}\\p{N}]))?";
  private static final Pattern SYMBOL_FIRST = Pattern.compile(
      "(?<![\\p{L}\\p{N}])(?<cur>[$€£¥]|USD|EUR|GBP|JPY)\\s?" + NUMBER + MULT
          + "(?![\\p{N}]|[.,]\\d)",
      Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
  private static final Pattern WORD_AFTER = Pattern.compile(
      "(?<![\\p{L}\\p{N}.,])" + NUMBER + MULT
          + "\\s?(?<cur>dollars?|euros?|pounds?|yen|USD|EUR|GBP|JPY)(?![\\p{L}\\p{N}])",
      Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
  private static final Map<String, String> CURRENCY = Map.ofEntries(
      Map.entry("$", "USD"), Map.entry("€", "EUR"), Map.entry("£", "GBP"), Map.entry("¥", "JPY"),
      Map.entry("usd", "USD"), Map.entry("eur", "EUR"), Map.entry("gbp", "GBP"),
      Map.entry("jpy", "JPY"), Map.entry("dollar", "USD"), Map.entry("dollars", "USD"),
      Map.entry("euro", "EUR"), Map.entry("euros", "EUR"), Map.entry("pound", "GBP"),
      Map.entry("pounds", "GBP"), Map.entry("yen", "JPY"));
  private static final Map<String, BigDecimal> MULTIPLIER = Map.of(
      "k", BigDecimal.valueOf(1_000), "thousand", BigDecimal.valueOf(1_000),
      "m", BigDecimal.valueOf(1_000_000), "million", BigDecimal.valueOf(1_000_000),
      "bn", BigDecimal.valueOf(1_000_000_000), "billion", BigDecimal.valueOf(1_000_000_000));

  private final List<Known> organisations;

  private record Known(String name, Pattern pattern) {}

  private EntityExtractor(List<Known> organisations) {
    this.organisations = organisations;
  }

  /** An extractor for these organisation names (blank and duplicate names are ignored). */
  public static EntityExtractor of(Collection<String> organisationNames) {
    Map<String, Known> known = new LinkedHashMap<>();
    for (String raw : organisationNames) {
      if (raw == null || raw.isBlank()) {
        continue;
      }
      String name = Normalizer.normalize(raw.strip(), Normalizer.Form.NFC);
      // Whole words, except at an edge written in a script without spaces (Han, kana), where
      // a name is followed directly by the next word ("東京商事の件").
      String before = unspaced(name.codePointAt(0)) ? "" : "(?<![\\p{L}\\p{N}])";
      String after = unspaced(name.codePointBefore(name.length())) ? "" : "(?![\\p{L}\\p{N}])";
      known.putIfAbsent(name.toLowerCase(Locale.ROOT), new Known(name, Pattern.compile(
          before + Pattern.quote(name) + after,
          Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE)));
    }
    // Longer names first, so "Ostrava Data Cloud" wins over "Ostrava Data" at the same place.
    List<Known> list = new ArrayList<>(known.values());
    list.sort(Comparator.comparingInt((Known k) -> -k.name().length()));
    return new EntityExtractor(List.copyOf(list));
  }

  /** The entities of one text as JSON (empty arrays when it names none). */
  public String extractJson(String text) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode out = f.objectNode();
    out.put("method", METHOD);
    ArrayNode orgs = out.putArray("organisations");
    organisations(text).forEach(orgs::add);
    ArrayNode money = out.putArray("money");
    for (Money m : money(text)) {
      money.addObject().put("text", m.text()).put("amount", m.amount())
          .put("currency", m.currency());
    }
    return JsonSupport.write(out);
  }

  /** The known organisations the text names, in order of first mention, each once. */
  public List<String> organisations(String text) {
    if (text == null || text.isEmpty() || organisations.isEmpty()) {
      return List.of();
    }
    String nfc = Normalizer.normalize(text, Normalizer.Form.NFC);
    TreeMap<Integer, String> byPosition = new TreeMap<>();
    boolean[] taken = new boolean[nfc.length() + 1];
    for (Known k : organisations) {
      Matcher m = k.pattern().matcher(nfc);
      while (m.find()) {
        if (!overlaps(taken, m.start(), m.end())) {
          mark(taken, m.start(), m.end());
          byPosition.putIfAbsent(m.start(), k.name());
        }
      }
    }
    List<String> out = new ArrayList<>();
    for (String name : byPosition.values()) {
      if (!out.contains(name)) {
        out.add(name);
      }
    }
    return out;
  }

  /** A money amount as written, its exact value and ISO currency. */
  public record Money(String text, BigDecimal amount, String currency) {}

  /** The money amounts of a text, in order. */
  public static List<Money> money(String text) {
    if (text == null || text.isEmpty()) {
      return List.of();
    }
    String nfc = Normalizer.normalize(text, Normalizer.Form.NFC);
    TreeMap<Integer, Money> found = new TreeMap<>();
    boolean[] taken = new boolean[nfc.length() + 1];
    for (Pattern p : List.of(SYMBOL_FIRST, WORD_AFTER)) {
      Matcher m = p.matcher(nfc);
      while (m.find()) {
        if (overlaps(taken, m.start(), m.end())) {
          continue;
        }
        mark(taken, m.start(), m.end());
        BigDecimal amount = new BigDecimal(m.group("num").replace(",", "")
            + (m.group("dec") == null ? "" : "." + m.group("dec")));
        String mult = m.group("mult");
        if (mult != null) {
          amount = amount.multiply(MULTIPLIER.get(mult.toLowerCase(Locale.ROOT)));
        }
        String currency = CURRENCY.get(m.group("cur").toLowerCase(Locale.ROOT));
        BigDecimal plain = amount.stripTrailingZeros();
        found.put(m.start(), new Money(m.group().strip(),
            plain.scale() < 0 ? plain.setScale(0) : plain, currency));
      }
    }
    return List.copyOf(found.values());
  }

  private static boolean unspaced(int codePoint) {
    Character.UnicodeScript s = Character.UnicodeScript.of(codePoint);
    return s == Character.UnicodeScript.HAN || s == Character.UnicodeScript.HIRAGANA
        || s == Character.UnicodeScript.KATAKANA || s == Character.UnicodeScript.THAI;
  }

  private static boolean overlaps(boolean[] taken, int from, int to) {
    for (int i = from; i < to; i++) {
      if (taken[i]) {
        return true;
      }
    }
    return false;
  }

  private static void mark(boolean[] taken, int from, int to) {
    for (int i = from; i < to; i++) {
      taken[i] = true;
    }
  }
}
