package com.gongpipeline.snowflake;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * JDBC connection properties for Snowflake, from the environment (never from pipeline options,
 * so secrets stay out of options, logs and the job log).
 *
 * <table>
 *   <caption>Environment variables</caption>
 *   <tr><td>{@code SNOWFLAKE_USER}</td><td>required</td></tr>
 *   <tr><td>{@code SNOWFLAKE_PRIVATE_KEY_FILE}</td><td>key-pair auth ({@code
 *       authenticator=SNOWFLAKE_JWT}): an unencrypted PKCS#8 PEM is loaded into {@code
 *       privateKey}; with {@code SNOWFLAKE_PRIVATE_KEY_PASSPHRASE} the driver decrypts the file
 *       ({@code private_key_file} + {@code private_key_pwd})</td></tr>
 *   <tr><td>{@code SNOWFLAKE_PAT}</td><td>programmatic access token ({@code
 *       authenticator=PROGRAMMATIC_ACCESS_TOKEN}, {@code token})</td></tr>
 *   <tr><td>{@code SNOWFLAKE_PASSWORD}</td><td>password (last resort)</td></tr>
 *   <tr><td>{@code SNOWFLAKE_ROLE}, {@code SNOWFLAKE_WAREHOUSE}, {@code
 *       SNOWFLAKE_DATABASE}</td><td>optional session defaults</td></tr>
 *   <tr><td>{@code SNOWFLAKE_ACCOUNT}</td><td>for {@link #urlFromEnvironment()} (tests)</td></tr>
 * </table>
 *
 * <p>The first of key file, PAT and password that is set wins. The properties also set the
 * session's {@code JDBC_QUERY_RESULT_FORMAT=JSON}: the driver's default Arrow result format needs
 * {@code --add-opens=java.base/java.nio=ALL-UNNAMED} on JDK 17 (the other way to make it work).
 *
 * <p>Errors name the missing variables, never a value; {@link #describe(Properties)} is the only
 * safe way to print the properties.
 */
public final class SnowflakeConnections {
  public static final String USER = "SNOWFLAKE_USER";
  public static final String PRIVATE_KEY_FILE = "SNOWFLAKE_PRIVATE_KEY_FILE";
  public static final String PRIVATE_KEY_PASSPHRASE = "SNOWFLAKE_PRIVATE_KEY_PASSPHRASE";
  public static final String PAT = "SNOWFLAKE_PAT";
  public static final String PASSWORD = "SNOWFLAKE_PASSWORD";
  public static final String ROLE = "SNOWFLAKE_ROLE";
  public static final String WAREHOUSE = "SNOWFLAKE_WAREHOUSE";
  public static final String DATABASE = "SNOWFLAKE_DATABASE";
  public static final String ACCOUNT = "SNOWFLAKE_ACCOUNT";

  /** Property keys whose values are secrets. */
  private static final Set<String> SECRET_KEYS =
      Set.of("privateKey", "private_key_pwd", "token", "password");

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
    String keyFile = value(env, PRIVATE_KEY_FILE);
    String pat = value(env, PAT);
    String password = value(env, PASSWORD);
    if (keyFile != null) {
      p.setProperty("authenticator", "SNOWFLAKE_JWT");
      String passphrase = value(env, PRIVATE_KEY_PASSPHRASE);
      if (passphrase != null) {
        p.setProperty("private_key_file", keyFile);
        p.setProperty("private_key_pwd", passphrase);
      } else {
        p.put("privateKey", readPkcs8(Path.of(keyFile)));
      }
    } else if (pat != null) {
      p.setProperty("authenticator", "PROGRAMMATIC_ACCESS_TOKEN");
      p.setProperty("token", pat);
    } else if (password != null) {
      p.setProperty("password", password);
    } else {
      throw new IllegalArgumentException("Snowflake: " + USER + " is set but no credential:"
          + " set " + PRIVATE_KEY_FILE + " (key pair), " + PAT + " (programmatic access token)"
          + " or " + PASSWORD);
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
        && value(env, PASSWORD) == null) {
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

  /** Reads an unencrypted PKCS#8 RSA key ({@code -----BEGIN PRIVATE KEY-----}). */
  static PrivateKey readPkcs8(Path file) {
    String pem;
    try {
      pem = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new IllegalArgumentException(PRIVATE_KEY_FILE + " cannot be read: "
          + e.getClass().getSimpleName());
    }
    if (pem.contains("ENCRYPTED")) {
      throw new IllegalArgumentException(PRIVATE_KEY_FILE + " holds an encrypted key: set "
          + PRIVATE_KEY_PASSPHRASE + " too");
    }
    if (!pem.contains("-----BEGIN PRIVATE KEY-----")) {
      throw new IllegalArgumentException(PRIVATE_KEY_FILE
          + " is not a PKCS#8 PEM key (-----BEGIN PRIVATE KEY-----); convert it with"
          + " `openssl pkcs8 -topk8 -nocrypt`");
    }
    String base64 = pem.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
    try {
      byte[] der = Base64.getDecoder().decode(base64);
      return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      throw new IllegalArgumentException(PRIVATE_KEY_FILE + " is not a readable RSA key: "
          + e.getClass().getSimpleName());
    }
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
