package com.gongpipeline.snowflake;

import java.security.PrivateKey;
import java.util.Optional;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Resolved Snowflake credentials on a worker: a bearer token for the REST APIs (a PAT, or a
 * key-pair JWT renewed before it expires) and, for JDBC, the user and the private key or PAT.
 * Not serializable; build it in {@code @Setup} from {@link SnowflakeCredentials}. Thread-safe.
 */
public final class SnowflakeAuth {
  /** {@code X-Snowflake-Authorization-Token-Type} values. */
  public static final String TYPE_PAT = "PROGRAMMATIC_ACCESS_TOKEN";

  public static final String TYPE_KEYPAIR_JWT = "KEYPAIR_JWT";

  private final String tokenType;
  private final @Nullable String account;
  private final @Nullable String user;
  private final @Nullable String pat;
  private final SnowflakeKeys.@Nullable RsaKeyPair keys;
  private final @Nullable SnowflakeJwt jwt;

  private SnowflakeAuth(String tokenType, @Nullable String account, @Nullable String user,
      @Nullable String pat, SnowflakeKeys.@Nullable RsaKeyPair keys, @Nullable SnowflakeJwt jwt) {
    this.tokenType = tokenType;
    this.account = account;
    this.user = user;
    this.pat = pat;
    this.keys = keys;
    this.jwt = jwt;
  }

  static SnowflakeAuth pat(String token, @Nullable String account, @Nullable String user) {
    return new SnowflakeAuth(TYPE_PAT, account, user, token, null, null);
  }

  static SnowflakeAuth keyPair(String account, String user, SnowflakeKeys.RsaKeyPair keys,
      SnowflakeJwt jwt) {
    return new SnowflakeAuth(TYPE_KEYPAIR_JWT, account, user, null, keys, jwt);
  }

  /** {@link #TYPE_PAT} or {@link #TYPE_KEYPAIR_JWT}. */
  public String tokenType() {
    return tokenType;
  }

  /** The bearer token for {@code Authorization: Bearer …}; never log it. */
  public String bearerToken() {
    return jwt != null ? jwt.token() : pat;
  }

  /** {@code SNOWFLAKE_ACCOUNT} as given (may be absent with a PAT). */
  public Optional<String> account() {
    return Optional.ofNullable(account);
  }

  /** {@code SNOWFLAKE_USER} as given (may be absent with a PAT). */
  public Optional<String> user() {
    return Optional.ofNullable(user);
  }

  /** For JDBC key-pair auth ({@code privateKey} connection property). */
  public Optional<PrivateKey> privateKey() {
    return keys == null ? Optional.empty() : Optional.of(keys.privateKey());
  }

  /** For JDBC PAT auth ({@code authenticator=PROGRAMMATIC_ACCESS_TOKEN}, {@code token=…}). */
  public Optional<String> programmaticAccessToken() {
    return Optional.ofNullable(pat);
  }

  /** The JWT's issuer when key-pair auth is used (no secret in it). */
  public Optional<String> jwtIssuer() {
    return jwt == null ? Optional.empty() : Optional.of(jwt.issuer());
  }

  @Override
  public String toString() {
    return "SnowflakeAuth{" + tokenType + ", account=" + account + ", user=" + user
        + ", secret=****}";
  }
}
