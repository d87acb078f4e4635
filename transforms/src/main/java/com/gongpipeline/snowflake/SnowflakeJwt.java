package com.gongpipeline.snowflake;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;

/**
 * Snowflake key-pair JWTs (RS256), made with the JDK only.
 *
 * <p>Claims, as Snowflake's "Authenticating Snowflake REST APIs" page and its connectors set them:
 * {@code iss = ACCOUNT.USER.SHA256:<fingerprint>}, {@code sub = ACCOUNT.USER} (upper case; the
 * account without region or domain, see {@link #accountForJwt}), {@code iat} now and {@code exp}
 * one hour later. An instance caches its token and signs a new one once less than {@link
 * #RENEW_BEFORE} of the lifetime is left, so long jobs never send an expired token.
 */
public final class SnowflakeJwt {
  /** Token lifetime; Snowflake accepts at most one hour. */
  public static final Duration LIFETIME = Duration.ofHours(1);
  /** A cached token is replaced when it has less than this left. */
  public static final Duration RENEW_BEFORE = Duration.ofMinutes(5);

  private final String qualifiedUser;
  private final String issuer;
  private final PrivateKey privateKey;
  private final Clock clock;
  private String token;
  private Instant expires = Instant.MIN;

  public SnowflakeJwt(String account, String user, SnowflakeKeys.RsaKeyPair keys, Clock clock) {
    this.qualifiedUser = accountForJwt(account) + "." + user.trim().toUpperCase(Locale.ROOT);
    this.issuer = qualifiedUser + "." + SnowflakeKeys.fingerprint(keys.publicKey());
    this.privateKey = keys.privateKey();
    this.clock = clock;
  }

  /** {@code ACCOUNT.USER}, the {@code sub} claim. */
  public String subject() {
    return qualifiedUser;
  }

  /** {@code ACCOUNT.USER.SHA256:…}, the {@code iss} claim. */
  public String issuer() {
    return issuer;
  }

  /** A valid token, signed anew when the cached one is close to expiry. */
  public synchronized String token() {
    Instant now = clock.instant();
    if (token == null || !now.plus(RENEW_BEFORE).isBefore(expires)) {
      Instant iat = Instant.ofEpochSecond(now.getEpochSecond());
      expires = iat.plus(LIFETIME);
      token = sign(iat, expires);
    }
    return token;
  }

  private String sign(Instant iat, Instant exp) {
    String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";
    String claims = "{\"iss\":\"" + issuer + "\",\"sub\":\"" + qualifiedUser + "\",\"iat\":"
        + iat.getEpochSecond() + ",\"exp\":" + exp.getEpochSecond() + "}";
    String signingInput = base64Url(header.getBytes(StandardCharsets.UTF_8)) + "."
        + base64Url(claims.getBytes(StandardCharsets.UTF_8));
    try {
      Signature rs256 = Signature.getInstance("SHA256withRSA");
      rs256.initSign(privateKey);
      rs256.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + base64Url(rs256.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Cannot sign the Snowflake JWT for " + qualifiedUser + " ("
          + e.getClass().getSimpleName() + ")");
    }
  }

  /**
   * The account part of the claims, by the rule Snowflake's connectors apply: upper case, any
   * {@code https://} and {@code .snowflakecomputing.com…} removed; for a {@code .global} account
   * the part before the first hyphen; otherwise the part before the first dot (a locator such as
   * {@code xy12345.us-east-2.aws} becomes {@code XY12345}; an {@code org-account} name stays whole).
   */
  public static String accountForJwt(String account) {
    String a = account.trim();
    a = a.replaceFirst("(?i)^https?://", "");
    int domain = a.toLowerCase(Locale.ROOT).indexOf(".snowflakecomputing.");
    if (domain >= 0) {
      a = a.substring(0, domain);
    }
    if (a.toLowerCase(Locale.ROOT).contains(".global")) {
      int hyphen = a.indexOf('-');
      a = hyphen > 0 ? a.substring(0, hyphen) : a;
    } else {
      int dot = a.indexOf('.');
      a = dot > 0 ? a.substring(0, dot) : a;
    }
    if (a.isBlank()) {
      throw new IllegalArgumentException("Snowflake account must be non-empty");
    }
    return a.toUpperCase(Locale.ROOT);
  }

  static String base64Url(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  @Override
  public String toString() {
    return "SnowflakeJwt{iss=" + issuer + "}";
  }
}
