package com.gongpipeline.snowflake;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code --snowflakeStatementTimeout} travels in the warehouse JDBC URL as our own parameter
 * {@value #PARAMETER} (seconds), which is removed before the driver sees the URL. Here, in the
 * {@code snowflake} package, so the warehouse and the Cortex SQL scorer share it without a package
 * cycle.
 */
public final class SnowflakeStatementTimeout {
  /** The URL parameter carrying {@code --snowflakeStatementTimeout} (seconds). */
  public static final String PARAMETER = "gongStatementTimeout";

  /**
   * Default statement timeout: 5 minutes, as {@code RetryPolicy.MAX_WAIT}, below the 10-minute
   * Flink checkpoint timeout.
   */
  public static final int DEFAULT_SECONDS = 300;

  private static final Pattern PARAM = Pattern.compile("([?&;])" + PARAMETER + "=(\\d+)(&?)");

  private SnowflakeStatementTimeout() {}

  /** The statement timeout a URL asks for ({@value #PARAMETER}), else the default. */
  public static int seconds(String jdbcUrl) {
    Matcher m = PARAM.matcher(jdbcUrl);
    return m.find() ? Integer.parseInt(m.group(2)) : DEFAULT_SECONDS;
  }

  /** The URL with {@code seconds} as its statement timeout (replacing any). */
  public static String with(String jdbcUrl, int seconds) {
    if (seconds < 1) {
      throw new IllegalArgumentException("--snowflakeStatementTimeout must be >= 1 s, got "
          + seconds);
    }
    String base = without(jdbcUrl);
    return base + (base.contains("?") ? (base.endsWith("?") || base.endsWith("&") ? "" : "&")
        : "?") + PARAMETER + "=" + seconds;
  }

  /** The URL as the driver gets it: without our own parameter. */
  public static String without(String jdbcUrl) {
    Matcher m = PARAM.matcher(jdbcUrl);
    if (!m.find()) {
      return jdbcUrl;
    }
    String before = jdbcUrl.substring(0, m.start());
    String after = jdbcUrl.substring(m.end());
    if (m.group(1).equals("?")) {
      return before + (after.isEmpty() ? "" : "?" + after);
    }
    return before + (after.isEmpty() ? "" : m.group(1) + after);
  }
}
