package com.gongpipeline.cortex.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.gongpipeline.snowflake.SnowflakeJwt;
import com.gongpipeline.snowflake.SnowflakeKeys;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Clock;
import java.util.Base64;
import java.util.Locale;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Checks a key-pair JWT the way Snowflake does: RS256 signature against the registered public key,
 * {@code iss = ACCOUNT.USER.SHA256:<fingerprint of that key>}, {@code sub = ACCOUNT.USER}, not
 * expired, issued no later than a minute from now, and living at most an hour.
 */
final class JwtVerifier {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final PublicKey publicKey;
  private final String subject;
  private final String issuer;
  private final Clock clock;

  JwtVerifier(PublicKey publicKey, String account, String user, Clock clock) {
    this.publicKey = publicKey;
    this.subject = SnowflakeJwt.accountForJwt(account) + "." + user.toUpperCase(Locale.ROOT);
    this.issuer = subject + "." + SnowflakeKeys.fingerprint(publicKey);
    this.clock = clock;
  }

  /** Why the token is refused, or null if it is good. Never echoes the token. */
  @Nullable String problem(String token) {
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3) {
      return "not a JWT";
    }
    try {
      JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
      if (!"RS256".equals(header.path("alg").asText())) {
        return "JWT alg must be RS256";
      }
      Signature rs256 = Signature.getInstance("SHA256withRSA");
      rs256.initVerify(publicKey);
      rs256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
      if (!rs256.verify(Base64.getUrlDecoder().decode(parts[2]))) {
        return "JWT signature does not verify against the registered public key";
      }
      JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
      if (!issuer.equals(claims.path("iss").asText())) {
        return "JWT iss is " + claims.path("iss").asText() + ", expected " + issuer;
      }
      if (!subject.equals(claims.path("sub").asText())) {
        return "JWT sub is " + claims.path("sub").asText() + ", expected " + subject;
      }
      long now = clock.instant().getEpochSecond();
      long iat = claims.path("iat").asLong(-1);
      long exp = claims.path("exp").asLong(-1);
      if (iat < 0 || exp < 0) {
        return "JWT needs iat and exp";
      }
      if (exp <= now) {
        return "JWT expired";
      }
      if (iat > now + 60) {
        return "JWT issued in the future";
      }
      if (exp - iat > 3600) {
        return "JWT lifetime above one hour";
      }
      return null;
    } catch (GeneralSecurityException | IllegalArgumentException | java.io.IOException e) {
      return "malformed JWT (" + e.getClass().getSimpleName() + ")";
    }
  }
}
