package com.gongpipeline.snowflake;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * JDBC connection properties for Snowflake, from the environment (never from pipeline options,
 * so secrets stay out of options, logs and the job log). The credential itself comes from {@link
 * SnowflakeCredentials} (the same precedence and key handling as the Cortex REST client);
 * this class maps it onto the driver's properties and adds the session defaults.
 *
 * <table>
 *   <caption>Environment variables</caption>
 *   <tr><td>{@code SNOWFLAKE_USER}</td><td>required</td></tr>
 *   <tr><td>{@code SNOWFLAKE_PAT} or {@code SNOWFLAKE_PAT_FILE}</td><td>programmatic access
 *       token, sent as {@code password} (how Snowflake takes a PAT from a driver)</td></tr>
 *   <tr><td>{@code SNOWFLAKE_ACCOUNT} + {@code SNOWFLAKE_PRIVATE_KEY_FILE} (PKCS#8 PEM, {@code
 *       SNOWFLAKE_PRIVATE_KEY_PASSPHRASE} if encrypted)</td><td>key pair: {@code
 *       authenticator=SNOWFLAKE_JWT}, the key loaded into {@code privateKey}</td></tr>
 *   <tr><td>{@code SNOWFLAKE_PASSWORD}</td><td>password, only when neither of the above is
 *       set (JDBC only)</td></tr>
 *   <tr><td>{@code SNOWFLAKE_ROLE}, {@code SNOWFLAKE_WAREHOUSE}, {@code
 *       SNOWFLAKE_DATABASE}</td><td>optional session defaults</td></tr>
 *   <tr><td>{@code SNOWFLAKE_ACCOUNT}</td><td>also for {@link #urlFromEnvironment} (tests)</td></tr>
 * </table>
 *
 * <p>The properties also set the session's {@code JDBC_QUERY_RESULT_FORMAT=JSON}: the driver's
 * default Arrow result format needs {@code --add-opens=java.base/java.nio=ALL-UNNAMED} on JDK 17
 * (the other way to make it work).
 *
 * <p>Errors name the missing variables, never a value; {@link #describe(Properties)} is the only
 * safe way to print the properties.
 */
public final class SnowflakeConnections {
  public static final String USER = SnowflakeCredentials.ENV_USER;
  public static final String PRIVATE_KEY_FILE = SnowflakeCredentials.ENV_PRIVATE_KEY_FILE;
  public static final String PAT = SnowflakeCredentials.ENV_PAT;
  public static final String PAT_FILE = SnowflakeCredentials.ENV_PAT_FILE;
  public static final String PASSWORD = "SNOWFLAKE_PASSWORD";
  public static final String ROLE = "SNOWFLAKE_ROLE";
  public static final String WAREHOUSE = "SNOWFLAKE_WAREHOUSE";
  public static final String DATABASE = "SNOWFLAKE_DATABASE";
  public static final String ACCOUNT = SnowflakeCredentials.ENV_ACCOUNT;

  /** Property keys whose values are secrets. */
  private static final Set<String> SECRET_KEYS =
      Set.of("privateKey", "token", "password");

  private SnowflakeConnections() {}

  /** Properties from this process's environment. */
  public static Properties fromEnvironment() {
    return fromEnvironment(System.getenv());
  }

  /**
   * Properties from the given environment.
   *
   * @throws IllegalArgumentException naming the variables to set when the user or every
   *     credential is missing, or when the key file cannot be read (the message names the file's
   *     variable and the problem, not the key)
   */
  public static Properties fromEnvironment(Map<String, String> env) {
    Properties p = new Properties();
    String user = value(env, USER);
    if (user == null) {
      throw new IllegalArgumentException("Snowflake: set " + USER
          + " and one of " + PRIVATE_KEY_FILE + ", " + PAT + " or " + PASSWORD);
    }
    p.setProperty("user", user);
    if (value(env, PAT) != null || value(env, PAT_FILE) != null
        || value(env, PRIVATE_KEY_FILE) != null) {
      SnowflakeAuth auth;
      try {
        auth = SnowflakeCredentials.fromEnv().resolve(env::get, Clock.systemUTC());
      } catch (IllegalStateException e) {
        throw new IllegalArgumentException(e.getMessage()); // names variables and files only
      }
      Optional<String> token = auth.programmaticAccessToken();
      if (token.isPresent()) {
        // Snowflake takes a PAT in the password field; driver 3.23.1 refuses
        // authenticator=PROGRAMMATIC_ACCESS_TOKEN unless SF_ENABLE_EXPERIMENTAL_AUTHENTICATION=true.
        p.setProperty("password", token.get());
      } else {
        p.setProperty("authenticator", "SNOWFLAKE_JWT");
        p.put("privateKey", auth.privateKey().orElseThrow());
      }
    } else if (value(env, PASSWORD) != null) {
      p.setProperty("password", value(env, PASSWORD));
    } else {
      throw new IllegalArgumentException("Snowflake: " + USER + " is set but no credential:"
          + " set " + PAT + " (programmatic access token), " + PRIVATE_KEY_FILE + " + " + ACCOUNT
          + " (key pair) or " + PASSWORD);
    }
    putIfSet(p, "role", value(env, ROLE));
    putIfSet(p, "warehouse", value(env, WAREHOUSE));
    putIfSet(p, "db", value(env, DATABASE));
    // Session parameters travel with the login: JSON results need no --add-opens on JDK 17.
    p.setProperty("JDBC_QUERY_RESULT_FORMAT", "JSON");
    p.setProperty("application", "gong-pipeline");
    return p;
  }

  /** {@code jdbc:snowflake://<SNOWFLAKE_ACCOUNT>.snowflakecomputing.com/} when the account is set. */
  public static Optional<String> urlFromEnvironment(Map<String, String> env) {
    String account = value(env, ACCOUNT);
    return account == null ? Optional.empty()
        : Optional.of("jdbc:snowflake://" + account + ".snowflakecomputing.com/");
  }

  /** The environment variables still missing for a connection (empty when it can be made). */
  public static List<String> missing(Map<String, String> env) {
    List<String> out = new ArrayList<>();
    for (String k : List.of(ACCOUNT, USER)) {
      if (value(env, k) == null) {
        out.add(k);
      }
    }
    if (value(env, PRIVATE_KEY_FILE) == null && value(env, PAT) == null
        && value(env, PAT_FILE) == null && value(env, PASSWORD) == null) {
      out.add(PRIVATE_KEY_FILE + " | " + PAT + " | " + PASSWORD);
    }
    return out;
  }

  /** The properties with secret values replaced by {@code ***}, safe to log. */
  public static String describe(Properties p) {
    StringBuilder sb = new StringBuilder("{");
    for (String k : new TreeSet<>(p.stringPropertyNames())) {
      append(sb, k, SECRET_KEYS.contains(k) ? "***" : p.getProperty(k));
    }
    for (Object k : p.keySet()) {
      if (!(p.get(k) instanceof String)) {
        append(sb, String.valueOf(k), "***");
      }
    }
    return sb.append('}').toString();
  }

  private static void append(StringBuilder sb, String k, String v) {
    if (sb.length() > 1) {
      sb.append(", ");
    }
    sb.append(k).append('=').append(v);
  }

  private static @Nullable String value(Map<String, String> env, String key) {
    String v = env.get(key);
    return v == null || v.isBlank() ? null : v.strip();
  }

  private static void putIfSet(Properties p, String key, @Nullable String value) {
    if (value != null) {
      p.setProperty(key, value);
    }
  }
}
