package com.gongpipeline.snowflake;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Where Snowflake credentials come from, for the Cortex REST API and the Snowflake JDBC warehouse
 * alike. Like {@code GongCredentials} this travels inside a Serializable pipeline graph, so {@link
 * #fromEnv()} stores only the fact "read the environment"; the secret is read by {@link #resolve()}
 * on the worker.
 *
 * <p>Environment, first match wins:
 *
 * <ol>
 *   <li>{@code SNOWFLAKE_PAT}: a programmatic access token;
 *   <li>{@code SNOWFLAKE_PAT_FILE}: a file holding one;
 *   <li>{@code SNOWFLAKE_ACCOUNT} + {@code SNOWFLAKE_USER} + {@code SNOWFLAKE_PRIVATE_KEY_FILE}
 *       (PKCS#8 PEM; {@code SNOWFLAKE_PRIVATE_KEY_PASSPHRASE} if encrypted): key-pair JWT.
 * </ol>
 *
 * {@code SNOWFLAKE_ACCOUNT} and {@code SNOWFLAKE_USER} are passed on with a PAT too (JDBC needs the
 * user). Secrets never appear in {@link #toString()} or in any exception message.
 */
public final class SnowflakeCredentials implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final String ENV_PAT = "SNOWFLAKE_PAT";
  public static final String ENV_PAT_FILE = "SNOWFLAKE_PAT_FILE";
  public static final String ENV_ACCOUNT = "SNOWFLAKE_ACCOUNT";
  public static final String ENV_USER = "SNOWFLAKE_USER";
  public static final String ENV_PRIVATE_KEY_FILE = "SNOWFLAKE_PRIVATE_KEY_FILE";
  public static final String ENV_PRIVATE_KEY_PASSPHRASE = "SNOWFLAKE_PRIVATE_KEY_PASSPHRASE";

  private enum Source { ENV, PAT, KEY_PAIR }

  private final Source source;
  private final @Nullable String account;
  private final @Nullable String user;
  /** PAT: the token; KEY_PAIR: the PEM path. */
  private final @Nullable String secretOrPath;
  private final @Nullable String passphrase;

  private SnowflakeCredentials(Source source, @Nullable String account, @Nullable String user,
      @Nullable String secretOrPath, @Nullable String passphrase) {
    this.source = source;
    this.account = account;
    this.user = user;
    this.secretOrPath = secretOrPath;
    this.passphrase = passphrase;
  }

  /** Reads the {@code SNOWFLAKE_*} environment when {@link #resolve()} runs (on the worker). */
  public static SnowflakeCredentials fromEnv() {
    return new SnowflakeCredentials(Source.ENV, null, null, null, null);
  }

  /**
   * A literal programmatic access token, for tests and the local stand-in; it is then part of the
   * serialized pipeline, so use {@link #fromEnv()} in production.
   */
  public static SnowflakeCredentials pat(String token, @Nullable String account,
      @Nullable String user) {
    requireNonBlank(token, "token");
    return new SnowflakeCredentials(Source.PAT, account, user, token.trim(), null);
  }

  /** Key-pair auth from a PKCS#8 PEM file (passphrase null when unencrypted). */
  public static SnowflakeCredentials keyPair(String account, String user, Path pemFile,
      @Nullable String passphrase) {
    requireNonBlank(account, "account");
    requireNonBlank(user, "user");
    Objects.requireNonNull(pemFile, "pemFile");
    return new SnowflakeCredentials(Source.KEY_PAIR, account, user, pemFile.toString(), passphrase);
  }

  /** Reads the secret now (the environment, the PAT file or the key file). */
  public SnowflakeAuth resolve() {
    return resolve(System::getenv, Clock.systemUTC());
  }

  /**
   * Like {@link #resolve()} with the environment and clock given: the seam tests use.
   */
  public SnowflakeAuth resolve(Function<String, @Nullable String> env, Clock clock) {
    switch (source) {
      case PAT:
        return SnowflakeAuth.pat(secretOrPath, account, user);
      case KEY_PAIR:
        return keyPairAuth(account, user, Paths.get(secretOrPath), passphrase, clock);
      case ENV:
        return fromEnvironment(env, clock);
      default:
        throw new AssertionError(source);
    }
  }

  /** Which variables are missing, or null if {@link #resolve()} has what it needs. */
  public @Nullable String missing() {
    return missing(System::getenv);
  }

  @Nullable String missing(Function<String, @Nullable String> env) {
    if (source != Source.ENV || present(env, ENV_PAT) || present(env, ENV_PAT_FILE)) {
      return null;
    }
    List<String> absent = new ArrayList<>();
    for (String name : List.of(ENV_ACCOUNT, ENV_USER, ENV_PRIVATE_KEY_FILE)) {
      if (!present(env, name)) {
        absent.add(name);
      }
    }
    if (absent.isEmpty()) {
      return null;
    }
    return "Snowflake credentials: set " + ENV_PAT + " (or " + ENV_PAT_FILE + "), or "
        + ENV_ACCOUNT + " + " + ENV_USER + " + " + ENV_PRIVATE_KEY_FILE
        + " for key-pair auth; not set: " + String.join(", ", absent);
  }

  private static SnowflakeAuth fromEnvironment(Function<String, @Nullable String> env,
      Clock clock) {
    String account = value(env, ENV_ACCOUNT);
    String user = value(env, ENV_USER);
    String pat = value(env, ENV_PAT);
    if (pat != null) {
      return SnowflakeAuth.pat(pat, account, user);
    }
    String patFile = value(env, ENV_PAT_FILE);
    if (patFile != null) {
      String token;
      try {
        token = Files.readString(Paths.get(patFile), StandardCharsets.UTF_8).trim();
      } catch (IOException e) {
        throw new IllegalStateException(ENV_PAT_FILE + "=" + patFile + " cannot be read ("
            + e.getClass().getSimpleName() + ")");
      }
      if (token.isEmpty()) {
        throw new IllegalStateException(ENV_PAT_FILE + "=" + patFile + " is empty");
      }
      return SnowflakeAuth.pat(token, account, user);
    }
    String problem = new SnowflakeCredentials(Source.ENV, null, null, null, null).missing(env);
    if (problem != null) {
      throw new IllegalStateException(problem);
    }
    return keyPairAuth(account, user, Paths.get(value(env, ENV_PRIVATE_KEY_FILE)),
        value(env, ENV_PRIVATE_KEY_PASSPHRASE), clock);
  }

  private static SnowflakeAuth keyPairAuth(String account, String user, Path pem,
      @Nullable String passphrase, Clock clock) {
    char[] pass = passphrase == null ? null : passphrase.toCharArray();
    try {
      SnowflakeKeys.RsaKeyPair keys = SnowflakeKeys.readPrivateKey(pem, pass);
      return SnowflakeAuth.keyPair(account, user, keys, new SnowflakeJwt(account, user, keys, clock));
    } finally {
      SnowflakeKeys.wipe(pass);
    }
  }

  private static boolean present(Function<String, @Nullable String> env, String name) {
    return value(env, name) != null;
  }

  private static @Nullable String value(Function<String, @Nullable String> env, String name) {
    String v = env.apply(name);
    return v == null || v.isBlank() ? null : v.trim();
  }

  private static void requireNonBlank(@Nullable String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " must be non-empty");
    }
  }

  /** Never shows a secret. */
  @Override
  public String toString() {
    switch (source) {
      case ENV:
        return "SnowflakeCredentials{env SNOWFLAKE_*}";
      case PAT:
        return "SnowflakeCredentials{pat=****, account=" + account + ", user=" + user + "}";
      case KEY_PAIR:
        return "SnowflakeCredentials{keyPair=" + secretOrPath + ", account=" + account + ", user="
            + user + (passphrase != null ? ", passphrase=****" : "") + "}";
      default:
        throw new AssertionError(source);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SnowflakeCredentials that && source == that.source
        && Objects.equals(account, that.account) && Objects.equals(user, that.user)
        && Objects.equals(secretOrPath, that.secretOrPath)
        && Objects.equals(passphrase, that.passphrase);
  }

  @Override
  public int hashCode() {
    return Objects.hash(source, account, user, secretOrPath);
  }
}
