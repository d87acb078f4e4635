package com.gongpipeline.security;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Secrets referenced by a warehouse URL instead of written in it: {@code ${NAME}} in a JDBC URL
 * (e.g. {@code jdbc:snowflake://acct.snowflakecomputing.com/?user=etl&password=${SNOWFLAKE_PASSWORD}})
 * is replaced by the environment variable {@code NAME} (or, failing that, the JVM system property)
 * only when a connection is opened, on the machine that opens it. The URL as a pipeline option,
 * in the runner's job parameters (Flink shows every option in its web UI), in logs and in
 * {@code ETL_JOB_LOGS} holds only the reference.
 */
public final class WarehouseUrls {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_.]*)}");

  private WarehouseUrls() {}

  /**
   * {@code url} with each {@code ${NAME}} replaced by its value.
   *
   * @throws IllegalArgumentException naming (never showing) a reference that is not set here
   */
  public static String resolve(String url) {
    if (url == null || !url.contains("${")) {
      return url;
    }
    Matcher m = PLACEHOLDER.matcher(url);
    StringBuilder sb = new StringBuilder(url.length());
    while (m.find()) {
      String name = m.group(1);
      String value = System.getenv(name);
      if (value == null) {
        value = System.getProperty(name);
      }
      if (value == null) {
        throw new IllegalArgumentException("The warehouse URL refers to ${" + name + "}, which "
            + "is neither an environment variable nor a system property on this machine (set it "
            + "wherever the job runs, e.g. on every Flink TaskManager)");
      }
      m.appendReplacement(sb, Matcher.quoteReplacement(value));
    }
    m.appendTail(sb);
    return sb.toString();
  }
}
