package com.gongpipeline.snowflake.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.gongpipeline.snowflake.SnowflakeKeys;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/**
 * Checks the {@code data} of a {@code login-request} against {@link StandInConfig}, as Snowflake
 * does for the authenticators our code uses: {@code SNOWFLAKE} (password), {@code
 * PROGRAMMATIC_ACCESS_TOKEN} and {@code OAUTH} (token), {@code SNOWFLAKE_JWT} (key pair). As
 * Snowflake does, a password login also accepts the programmatic access token as the password
 * (driver 3.23.1 refuses {@code authenticator=PROGRAMMATIC_ACCESS_TOKEN} unless the environment
 * variable {@code SF_ENABLE_EXPERIMENTAL_AUTHENTICATION=true} is set). A
 * refusal is a Snowflake error code and a message that never contains the presented secret.
 */
final class StandInAuth {
  /** Snowflake's codes: bad user/password, bad JWT, bad OAuth token / PAT. */
  static final int BAD_PASSWORD = 390100;
  static final int BAD_JWT = 390144;
  static final int BAD_TOKEN = 390303;

  record Refusal(int code, String message) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private final StandInConfig config;

  StandInAuth(StandInConfig config) {
    this.config = config;
  }

  /** Empty if the login is accepted. */
  Optional<Refusal> check(JsonNode data, long nowEpochSeconds) {
    String user = data.path("LOGIN_NAME").asText("");
    String authenticator = data.path("AUTHENTICATOR").asText("SNOWFLAKE").toUpperCase(Locale.ROOT);
    if (!user.equalsIgnoreCase(config.user())) {
      return Optional.of(new Refusal(BAD_PASSWORD,
          "Incorrect username or password was specified."));
    }
    switch (authenticator) {
      case "SNOWFLAKE":
        // Snowflake also takes a programmatic access token in the password field.
        String presented = data.path("PASSWORD").asText(null);
        return secretMatches(config.password(), presented)
            || secretMatches(config.token(), presented)
            ? Optional.empty()
            : Optional.of(new Refusal(BAD_PASSWORD,
                "Incorrect username or password was specified."));
      case "PROGRAMMATIC_ACCESS_TOKEN":
      case "OAUTH":
        return secretMatches(config.token(), data.path("TOKEN").asText(null))
            ? Optional.empty()
            : Optional.of(new Refusal(BAD_TOKEN,
                "Invalid OAuth access token or programmatic access token."));
      case "SNOWFLAKE_JWT":
        return checkJwt(data.path("TOKEN").asText(""), user, nowEpochSeconds)
            .map(why -> new Refusal(BAD_JWT, "JWT token is invalid. " + why));
      default:
        return Optional.of(new Refusal(BAD_PASSWORD,
            "Authenticator " + authenticator + " is not supported by the stand-in."));
    }
  }

  private static boolean secretMatches(String expected, String presented) {
    return expected != null && presented != null
        && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
            presented.getBytes(StandardCharsets.UTF_8));
  }

  /** Why the JWT is refused, or empty; the reason names claims, never the token. */
  private Optional<String> checkJwt(String jwt, String user, long now) {
    if (!config.jwtAllowed()) {
      return Optional.of("Key-pair authentication is not enabled for this user.");
    }
    String[] parts = jwt.split("\\.");
    if (parts.length != 3) {
      return Optional.of("Not a signed JWT.");
    }
    JsonNode header;
    JsonNode claims;
    try {
      Base64.Decoder b64 = Base64.getUrlDecoder();
      header = JSON.readTree(b64.decode(parts[0]));
      claims = JSON.readTree(b64.decode(parts[1]));
    } catch (java.io.IOException | IllegalArgumentException e) {
      return Optional.of("Malformed JWT.");
    }
    if (!"RS256".equals(header.path("alg").asText())) {
      return Optional.of("Algorithm must be RS256.");
    }
    String prefix = (config.account() + "." + user).toUpperCase(Locale.ROOT);
    String sub = claims.path("sub").asText("");
    String iss = claims.path("iss").asText("");
    if (!sub.equalsIgnoreCase(prefix)) {
      return Optional.of("Subject must be ACCOUNT.USER.");
    }
    if (!iss.toUpperCase(Locale.ROOT).startsWith(prefix + ".SHA256:")) {
      return Optional.of("Issuer must be ACCOUNT.USER.SHA256:<fingerprint>.");
    }
    long exp = claims.path("exp").asLong(0);
    if (exp != 0 && exp < now) {
      return Optional.of("JWT has expired.");
    }
    PublicKey key = config.publicKey();
    if (key == null) {
      return Optional.empty();
    }
    String fingerprint = iss.substring(prefix.length() + ".SHA256:".length());
    if (!fingerprint.equals(SnowflakeKeys.fingerprint(key).substring("SHA256:".length()))) {
      return Optional.of("Public key fingerprint does not match the registered key.");
    }
    try {
      Signature rsa = Signature.getInstance("SHA256withRSA");
      rsa.initVerify(key);
      rsa.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
      if (!rsa.verify(Base64.getUrlDecoder().decode(parts[2]))) {
        return Optional.of("Signature does not verify.");
      }
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return Optional.of("Signature does not verify.");
    }
    return Optional.empty();
  }
}
