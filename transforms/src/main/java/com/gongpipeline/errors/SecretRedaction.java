package com.gongpipeline.errors;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks secrets in text before it is logged, printed or stored: JDBC URLs with
 * {@code password=}, {@code token=}, {@code private_key…=} and similar parameters (any case,
 * separated by {@code ?}, {@code ;}, {@code &} or spaces, also inside exception messages and
 * option maps), and passwords in a URL's user-info ({@code scheme://user:secret@host}).
 *
 * <p>The one place that knows what a secret looks like: the job log's {@code OPTIONS} and error,
 * the CLI's messages and stack traces, warehouse descriptions and dead-letter errors all pass
 * through it. Keys stay readable ({@code password=***}) so a reader still sees what was set.
 */
public final class SecretRedaction {
  /** What a secret value becomes. */
  public static final String MASK = "***";

  /**
   * A {@code key=value} whose key names a secret: the key may have a prefix or suffix
   * ({@code motherduck_token}, {@code private_key_file_pwd}, {@code client_secret}); the value
   * runs to the next separator, or is quoted.
   */
  private static final Pattern SECRET_PARAMETER = Pattern.compile(
      "(?i)(?<![A-Za-z0-9])([A-Za-z0-9_.-]*?"
          + "(?:password|passwd|passphrase|passcode|pwd|token(?!s)|secret|private_?key|privatekey"
          + "|api_?key|access_?key|credential|signature)"
          + "[A-Za-z0-9_.-]*)"
          + "(\\s*=\\s*)"
          + "(\"[^\"]*\"|'[^']*'|[^;&\\s\"',)}\\]]+)");

  /** {@code scheme://user:password@host}: the password part. */
  private static final Pattern USER_INFO = Pattern.compile(
      "(?i)(\\b[a-z][a-z0-9+.-]*://[^/\\s:@?#]*:)([^@\\s/?#]+)(@)");

  private SecretRedaction() {}

  /** {@code text} with every secret parameter value and URL password replaced by {@link #MASK}. */
  public static String redact(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String out = replace(SECRET_PARAMETER, text, 3);
    return replace(USER_INFO, out, 2);
  }

  /**
   * {@code text} with each secret parameter value and URL password replaced by what {@code
   * replacement} makes of it (the same places {@link #redact(String)} masks): how the CLI moves a
   * literal secret out of {@code --warehouse} before it becomes a pipeline option.
   */
  public static String replaceSecrets(String text,
      java.util.function.UnaryOperator<String> replacement) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    return replace(USER_INFO, replace(SECRET_PARAMETER, text, 3, replacement), 2, replacement);
  }

  /** A copy of {@code options} with each value {@linkplain #redact(String) redacted}. */
  public static Map<String, String> redact(Map<String, String> options) {
    Map<String, String> out = new LinkedHashMap<>();
    options.forEach((k, v) -> out.put(k, redact(v)));
    return out;
  }

  /** The throwable's stack trace (messages and causes) as text, redacted. */
  public static String stackTrace(Throwable t) {
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w));
    return redact(w.toString());
  }

  /** {@code t.toString()} redacted (class name and message). */
  public static String describe(Throwable t) {
    return redact(String.valueOf(t));
  }

  private static String replace(Pattern pattern, String text, int valueGroup) {
    return replace(pattern, text, valueGroup, value -> MASK);
  }

  private static String replace(Pattern pattern, String text, int valueGroup,
      java.util.function.UnaryOperator<String> replacement) {
    Matcher m = pattern.matcher(text);
    if (!m.find()) {
      return text;
    }
    StringBuilder sb = new StringBuilder(text.length());
    int last = 0;
    do {
      sb.append(text, last, m.start(valueGroup)).append(replacement.apply(m.group(valueGroup)));
      last = m.end(valueGroup);
    } while (m.find());
    return sb.append(text, last, text.length()).toString();
  }
}
