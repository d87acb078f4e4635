package com.gongpipeline.chunking;

import com.gongpipeline.model.Sentence;
import com.gongpipeline.model.TranscriptTurn;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces PII in transcript text with type placeholders before it is embedded or stored: emails
 * {@code [EMAIL]}, US-style SSNs {@code [SSN]}, card numbers {@code [CARD]}, phone numbers
 * {@code [PHONE]} (applied in that order).
 *
 * <p>Written to keep ordinary sales-call numbers: prices ($48,000), percentages, years, quarters,
 * durations, ISO dates (2026-03-01), versions and long contiguous ids. The trade-offs:
 *
 * <ul>
 *   <li>Cards: grouped as people read them (4-4-4-x, Amex 4-6-5, Diners 4-6-4, with one consistent
 *       space or dash, or every digit separated) are redacted without a checksum; a contiguous run
 *       of 13–19 digits only if it passes the Luhn check, because such runs are also ids (a Gong
 *       call id is 19 digits). Runs longer than 19 digits are never touched.
 *   <li>Phones: North American numbers need separators or parentheses ({@code 415-555-0134},
 *       {@code 415.555.0134}, {@code (212) 555 0199}, optional {@code +1}/{@code 1-}); others need
 *       a leading {@code +} and 8–15 digits ({@code +44 20 7946 0958}), or a trunk 0 and three
 *       groups ({@code 020 7946 0958}). A bare 10-digit run and 7-digit local numbers are kept.
 *   <li>Not handled: spoken forms ("john at acme dot com", "four one five ..."), non-ASCII digits,
 *       names and addresses.
 * </ul>
 *
 * <p>Pure and static; all patterns are linear-time on ordinary text and never throw on odd
 * unicode (emoji, RTL marks, combining characters, lone surrogates).
 */
public final class PiiRedactor {
  public static final String EMAIL = "[EMAIL]";
  public static final String PHONE = "[PHONE]";
  public static final String SSN = "[SSN]";
  public static final String CARD = "[CARD]";

  private static final String LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";

  private static final Pattern EMAIL_RE =
      Pattern.compile(
          "(?<![\\w.%+-])[\\w.%+-]{1,64}@" + LABEL + "(?:\\." + LABEL + "){0,8}\\.[A-Za-z]{2,24}"
              + "(?![A-Za-z0-9-])");

  private static final Pattern SSN_RE = Pattern.compile("(?<![\\w-])\\d{3}-\\d{2}-\\d{4}(?![\\w-])");

  /** Not preceded by a digit (or digit + separator), a '+', or a word character. */
  private static final String NUM_START = "(?<![\\w+])(?<!\\d[ .-])";
  /** Not followed by a word character or a separator that continues the number. */
  private static final String NUM_END = "(?![\\w])(?![ .-]\\d)";

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

  private static final Pattern PHONE_INTL_RE =
      Pattern.compile(
          "(?<![\\w+])\\+\\d{1,3}(?:[ .-]?(?:\\(\\d{1,4}\\)|\\d{1,4})){1,6}+" + "(?![\\w])");

  private static final Pattern PHONE_TRUNK_RE =
      Pattern.compile(NUM_START + "0\\d{2,4}[ .-]\\d{3,4}[ .-]\\d{3,4}" + NUM_END);

  private PiiRedactor() {}

  /** The text with PII replaced by placeholders. */
  public static String redact(String text) {
    return redactCounting(text).text();
  }

  /** Redacts and counts replacements by type. */
  public static RedactionResult redactCounting(String text) {
    Objects.requireNonNull(text, "text");
    int[] n = new int[4];
    String s = text;
    s = replace(EMAIL_RE, s, m -> true, EMAIL, n, 0);
    s = replace(SSN_RE, s, m -> true, SSN, n, 2);
    s = replace(CARD_GROUPED_RE, s, m -> true, CARD, n, 3);
    s = replace(CARD_CONTIGUOUS_RE, s, m -> luhnValid(m.group()), CARD, n, 3);
    s = replace(PHONE_NANP_RE, s, m -> true, PHONE, n, 1);
    s = replace(PHONE_INTL_RE, s, m -> digitCount(m.group()) >= 8 && digitCount(m.group()) <= 15,
        PHONE, n, 1);
    s = replace(PHONE_TRUNK_RE, s, m -> true, PHONE, n, 1);
    return new RedactionResult(s, n[0], n[1], n[2], n[3]);
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

  private interface Accept {
    boolean test(MatchResult m);
  }

  private static String replace(
      Pattern p, String s, Accept accept, String placeholder, int[] counts, int slot) {
    Matcher m = p.matcher(s);
    if (!m.find()) {
      return s;
    }
    m.reset();
    return m.replaceAll(
        r -> {
          if (accept.test(r)) {
            counts[slot]++;
            return Matcher.quoteReplacement(placeholder);
          }
          return Matcher.quoteReplacement(r.group());
        });
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
