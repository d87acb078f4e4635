package com.gongpipeline.chunking;

import com.gongpipeline.model.Sentence;
import com.gongpipeline.model.TranscriptTurn;
import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces PII in transcript text with type placeholders before it is embedded or stored: emails
 * {@code [EMAIL]}, IBANs {@code [IBAN]}, SSN-like numbers {@code [SSN]}, card numbers
 * {@code [CARD]}, phone numbers {@code [PHONE]} (detected in that order).
 *
 * <p>Detection runs on a same-length normalized copy of the text, so full-width and other
 * non-ASCII digits ({@code １２３}, {@code ٠١٢}), full-width {@code ＋ － ＠ （ ）} and no-break or
 * ideographic spaces are recognized; what is not PII is returned exactly as it came in.
 *
 * <p>Written to keep ordinary sales-call numbers: prices ($48,000, €1.299,00), percentages,
 * years, quarters, durations and timestamps (10:30, 1:30:00, 2026-03-01T10:30:00Z), dates
 * (2026-03-01, 03.04.2026), versions and long contiguous ids. The rules:
 *
 * <ul>
 *   <li>Emails: unicode local parts and domains ({@code josé@acme.com}, {@code user@bücher.de},
 *       punycode TLDs).
 *   <li>IBANs: country code, check digits and 11–30 letters/digits, grouped by 4 or not, only when
 *       the ISO 7064 mod-97 checksum holds.
 *   <li>SSN-like: {@code 123-45-6789} or {@code 123 45 6789} (not area 000, group 00, serial 0000).
 *   <li>Cards: grouped as people read them (4-4-4-x, Amex 4-6-5, Diners 4-6-4, with one consistent
 *       space or dash, or every digit separated) are redacted without a checksum; a contiguous run
 *       of 13–19 digits only if it passes the Luhn check, because such runs are also ids (a Gong
 *       call id is 19 digits). Runs longer than 19 digits are never touched.
 *   <li>Phones: North American numbers need separators or parentheses ({@code 415-555-0134},
 *       {@code (212) 555 0199}, optional {@code +1}/{@code 1-}); international ones a leading
 *       {@code +} or {@code 00} ({@code +44 20 7946 0958}, {@code 0044 20 7946 0958}) and a length
 *       libphonenumber deems possible; national ones a trunk {@code 0} and a separator
 *       ({@code 06 12 34 56 78}, {@code 07700 900123}, {@code 030 12345678}) and must be a valid
 *       number of one of {@link #NATIONAL_REGIONS} by libphonenumber's metadata. A bare 10-digit
 *       run, 7-digit local numbers and date-shaped numbers are kept.
 *   <li>Not handled: spoken forms ("john at acme dot com", "four one five ..."), names and
 *       addresses.
 * </ul>
 *
 * <p>Pure and static; all patterns are linear-time on ordinary text and never throw on odd
 * unicode (emoji, RTL marks, combining characters, lone surrogates). Text with no digit and no
 * {@code @} is returned at once; libphonenumber only sees candidates the patterns found.
 */
public final class PiiRedactor {
  public static final String EMAIL = "[EMAIL]";
  public static final String PHONE = "[PHONE]";
  public static final String SSN = "[SSN]";
  public static final String CARD = "[CARD]";
  public static final String IBAN = "[IBAN]";

  /**
   * Regions whose national formats (trunk 0) are recognized, in the order tried: the UK, the
   * larger EU countries and the other common trunk-0 numbering plans.
   */
  public static final List<String> NATIONAL_REGIONS = List.of("GB", "DE", "FR", "IT", "ES", "NL",
      "BE", "CH", "AT", "IE", "SE", "DK", "NO", "FI", "PL", "PT", "AU", "NZ", "IL", "ZA", "IN",
      "JP", "BR");

  private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();

  /** Stands for an already redacted span in the working copy: not a letter, digit or separator. */
  private static final char TAKEN = '\uE000';

  private static final int T_EMAIL = 0;
  private static final int T_PHONE = 1;
  private static final int T_SSN = 2;
  private static final int T_CARD = 3;
  private static final int T_IBAN = 4;
  private static final String[] PLACEHOLDER = {EMAIL, PHONE, SSN, CARD, IBAN};

  private static final String WORD = "\\p{L}\\p{M}\\p{N}";
  private static final String LABEL = "[\\p{L}\\p{N}](?:[" + WORD + "-]{0,61}[" + WORD + "])?";

  private static final Pattern EMAIL_RE =
      Pattern.compile(
          "(?<![" + WORD + "_.%+-])[" + WORD + "_.%+-]{1,64}@" + LABEL + "(?:\\." + LABEL
              + "){0,8}\\.(?:\\p{L}[\\p{L}\\p{M}]{1,23}|xn--[A-Za-z0-9-]{1,59})"
              + "(?![" + WORD + "-])");

  private static final Pattern IBAN_RE =
      Pattern.compile(
          "(?<![" + WORD + "])[A-Za-z]{2}\\d{2}(?:[ -]?[A-Za-z0-9]{4}){2,7}+"
              + "(?:[ -]?[A-Za-z0-9]{1,3})?(?![" + WORD + "])");

  /** Not preceded by a digit (or digit + separator), a '+', or a word character. */
  private static final String NUM_START = "(?<![\\w+])(?<!\\d[ .-])";
  /** Not followed by a word character or a separator that continues the number. */
  private static final String NUM_END = "(?![\\w])(?![ .-]\\d)";

  private static final Pattern SSN_RE =
      Pattern.compile(NUM_START + "(?!000)\\d{3}([- ])(?!00)\\d{2}\\1(?!0000)\\d{4}" + NUM_END);

  private static final Pattern CARD_GROUPED_RE =
      Pattern.compile(
          NUM_START
              + "(?:\\d{4}([ -])\\d{4}\\1\\d{4}\\1\\d{1,7}" // 4-4-4-x: Visa, MC, Discover, 19-digit
              + "|\\d{4}([ -])\\d{6}\\2\\d{4,5}" // Amex 4-6-5, Diners 4-6-4
              + "|\\d(?:([ -])\\d){12,18}" // every digit separated: "4 1 1 1 ..."
              + ")"
              + NUM_END);

  private static final Pattern CARD_CONTIGUOUS_RE = Pattern.compile("(?<![\\w+])\\d{13,19}(?!\\w)");

  private static final Pattern PHONE_NANP_RE =
      Pattern.compile(
          NUM_START
              + "(?:\\+?1[ .-]?)?(?:\\(\\d{3}\\)[ .-]?|\\d{3}[ .-])\\d{3}[ .-]\\d{4}"
              + NUM_END);

  /** {@code +} or the {@code 00} international prefix, a country code and groups. */
  private static final Pattern PHONE_INTL_RE =
      Pattern.compile(
          NUM_START + "(?:\\+|00(?=[1-9]))\\d{1,3}(?:[ .-]?(?:\\(\\d{1,4}\\)|\\d{1,4})){1,6}+"
              + "(?![\\w])");

  /** A trunk 0 (optionally in parentheses) and groups: a national number to validate. */
  private static final Pattern PHONE_NATIONAL_RE =
      Pattern.compile(
          NUM_START + "(?:\\(0\\d{1,4}\\)[ ./-]?|0\\d{1,4}[ ./-])\\d{2,8}(?:[ ./-]\\d{2,8}){0,3}+"
              + NUM_END);

  /** Day-month-year or year-month-day: kept even when it would parse as a phone number. */
  private static final Pattern DATE_LIKE =
      Pattern.compile("\\d{1,2}([./-])\\d{1,2}\\1\\d{2,4}|\\d{4}([./-])\\d{1,2}\\2\\d{1,2}");

  private PiiRedactor() {}

  /** The text with PII replaced by placeholders. */
  public static String redact(String text) {
    return redactCounting(text).text();
  }

  /** Redacts and counts replacements by type. */
  public static RedactionResult redactCounting(String text) {
    Objects.requireNonNull(text, "text");
    if (!mayHavePii(text)) {
      return new RedactionResult(text, 0, 0, 0, 0, 0);
    }
    Work w = new Work(text);
    if (w.current.indexOf('@') >= 0) {
      w.pass(EMAIL_RE, m -> true, T_EMAIL);
    }
    // Every number rule needs at least 7 digits (IBANs too: their account part is mostly
    // digits): most sentences have fewer and skip the patterns.
    if (digitCount(w.current) >= 7) {
      w.pass(IBAN_RE, m -> ibanValid(m.group()), T_IBAN);
      w.pass(SSN_RE, m -> true, T_SSN);
      w.pass(CARD_GROUPED_RE, m -> true, T_CARD);
      w.pass(CARD_CONTIGUOUS_RE, m -> luhnValid(m.group()), T_CARD);
      w.pass(PHONE_NANP_RE, m -> true, T_PHONE);
      w.pass(PHONE_INTL_RE, m -> internationalPhone(m.group()), T_PHONE);
      w.pass(PHONE_NATIONAL_RE, m -> nationalPhone(m.group()), T_PHONE);
    }
    return w.result();
  }

  /**
   * The turn with every sentence redacted. Redact before chunking so token counts and chunk
   * boundaries are those of the text that is actually embedded.
   */
  public static TranscriptTurn redactTurn(TranscriptTurn turn) {
    List<Sentence> out = new ArrayList<>(turn.sentences().size());
    for (Sentence s : turn.sentences()) {
      out.add(s.text() == null ? s : new Sentence(s.startMs(), s.endMs(), redact(s.text())));
    }
    return new TranscriptTurn(
        turn.callId(), turn.turnIndex(), turn.speakerId(), turn.speakerName(), turn.affiliation(),
        turn.topic(), out);
  }

  /** Every rule needs a digit or an {@code @} (in any script or width). */
  private static boolean mayHavePii(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if ((c >= '0' && c <= '9') || c == '@' || c == '\uFF20'
          || (c > 127 && Character.isDigit(c))) {
        return true;
      }
    }
    return false;
  }

  /**
   * A same-length copy for matching: non-ASCII digits to ASCII, full-width ASCII forms to ASCII,
   * dashes and unusual spaces to {@code -} and {@code ' '}. Offsets stay those of the original.
   */
  static String normalize(String text) {
    char[] out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 128) {
        continue;
      }
      char n = c;
      if (c >= '\uFF01' && c <= '\uFF5E') {
        n = (char) (c - 0xFEE0);
      } else if (Character.isDigit(c)) {
        n = (char) ('0' + Character.digit(c, 10));
      } else if (c == '\u2010' || c == '\u2011' || c == '\u2012' || c == '\u2013'
          || c == '\u2212') {
        n = '-';
      } else if (c == '\u00A0' || c == '\u2007' || c == '\u2009' || c == '\u202F'
          || c == '\u3000') {
        n = ' ';
      } else if (c == '\u3002') {
        n = '.';
      }
      if (n != c) {
        if (out == null) {
          out = text.toCharArray();
        }
        out[i] = n;
      }
    }
    return out == null ? text : new String(out);
  }

  /** The working copy, the spans found so far and their types. */
  private static final class Work {
    private final String original;
    private String current;
    private final int[] counts = new int[PLACEHOLDER.length];
    private int[] spans = new int[12]; // start, end, type triples
    private int n;

    Work(String original) {
      this.original = original;
      this.current = normalize(original);
    }

    void pass(Pattern p, Accept accept, int type) {
      Matcher m = p.matcher(current);
      char[] taken = null;
      while (m.find()) {
        if (!accept.test(m)) {
          continue;
        }
        if (taken == null) {
          taken = current.toCharArray();
        }
        Arrays.fill(taken, m.start(), m.end(), TAKEN);
        add(m.start(), m.end(), type);
      }
      if (taken != null) {
        current = new String(taken);
      }
    }

    private void add(int start, int end, int type) {
      if (n + 3 > spans.length) {
        spans = Arrays.copyOf(spans, spans.length * 2);
      }
      spans[n++] = start;
      spans[n++] = end;
      spans[n++] = type;
      counts[type]++;
    }

    RedactionResult result() {
      if (n == 0) {
        return new RedactionResult(original, 0, 0, 0, 0, 0);
      }
      // Spans never overlap (a found span is TAKEN for later passes): sort by start.
      Integer[] order = new Integer[n / 3];
      for (int i = 0; i < order.length; i++) {
        order[i] = i;
      }
      Arrays.sort(order, (a, b) -> Integer.compare(spans[a * 3], spans[b * 3]));
      StringBuilder sb = new StringBuilder(original.length());
      int last = 0;
      for (int i : order) {
        sb.append(original, last, spans[i * 3]).append(PLACEHOLDER[spans[i * 3 + 2]]);
        last = spans[i * 3 + 1];
      }
      sb.append(original, last, original.length());
      return new RedactionResult(sb.toString(), counts[T_EMAIL], counts[T_PHONE], counts[T_SSN],
          counts[T_CARD], counts[T_IBAN]);
    }
  }

  private interface Accept {
    boolean test(MatchResult m);
  }

  /**
   * {@code +…}: 8–15 digits, or a number libphonenumber deems possible; {@code 00…}: grouped (a
   * contiguous run is more often an id) and possible.
   */
  static boolean internationalPhone(String candidate) {
    int digits = digitCount(candidate);
    boolean plus = candidate.charAt(0) == '+';
    if (plus && digits >= 8 && digits <= 15) {
      return true;
    }
    if (!plus && digits == candidate.length()) {
      return false;
    }
    String e164ish = plus ? candidate : "+" + candidate.substring(2);
    try {
      PhoneNumber number = PHONES.parse(e164ish, "ZZ");
      return PHONES.isPossibleNumber(number) && digitCount(e164ish) >= 8;
    } catch (NumberParseException e) {
      return false;
    }
  }

  /** A trunk-0 number that is a valid number of one of {@link #NATIONAL_REGIONS}, not a date. */
  static boolean nationalPhone(String candidate) {
    int digits = digitCount(candidate);
    if (digits < 9 || digits > 13 || DATE_LIKE.matcher(candidate).matches()) {
      return false;
    }
    for (String region : NATIONAL_REGIONS) {
      try {
        PhoneNumber number = PHONES.parse(candidate, region);
        if (PHONES.isValidNumberForRegion(number, region)) {
          return true;
        }
      } catch (NumberParseException e) {
        // not a number of this region: try the next
      }
    }
    return false;
  }

  /** ISO 13616: 15–34 characters, and the number with its first four moved last is 1 mod 97. */
  static boolean ibanValid(String candidate) {
    StringBuilder s = new StringBuilder(candidate.length());
    for (int i = 0; i < candidate.length(); i++) {
      char c = candidate.charAt(i);
      if (c != ' ' && c != '-') {
        s.append(Character.toUpperCase(c));
      }
    }
    if (s.length() < 15 || s.length() > 34) {
      return false;
    }
    String rearranged = s.substring(4) + s.substring(0, 4);
    StringBuilder digits = new StringBuilder(rearranged.length() * 2);
    for (int i = 0; i < rearranged.length(); i++) {
      char c = rearranged.charAt(i);
      digits.append(Character.isDigit(c) ? String.valueOf(c - '0') : String.valueOf(c - 'A' + 10));
    }
    return new BigInteger(digits.toString()).mod(BigInteger.valueOf(97)).intValue() == 1;
  }

  static boolean luhnValid(String digits) {
    int sum = 0;
    boolean dbl = false;
    for (int i = digits.length() - 1; i >= 0; i--) {
      int d = digits.charAt(i) - '0';
      if (dbl) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      dbl = !dbl;
    }
    return sum % 10 == 0;
  }

  private static int digitCount(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= '0' && c <= '9') {
        n++;
      }
    }
    return n;
  }
}
