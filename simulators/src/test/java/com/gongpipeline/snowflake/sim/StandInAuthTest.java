package com.gongpipeline.snowflake.sim;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.gongpipeline.snowflake.SnowflakeKeys;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Login checks on hand-made login bodies and JWTs: claims, expiry, algorithm, signature. */
class StandInAuthTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long NOW = 1_800_000_000L;
  private static KeyPair keys;
  private static StandInAuth auth;

  @BeforeAll
  static void keys() throws Exception {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
    gen.initialize(2048);
    keys = gen.generateKeyPair();
    auth = new StandInAuth(StandInConfig.builder().account("ACME").user("LOADER")
        .password("pw-1").token("pat-1").publicKey(keys.getPublic()).build());
  }

  private static String b64(String s) {
    return Base64.getUrlEncoder().withoutPadding()
        .encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String jwt(String alg, String sub, String iss, long exp, KeyPair signer)
      throws Exception {
    String head = b64("{\"alg\":\"" + alg + "\",\"typ\":\"JWT\"}");
    String claims = b64("{\"sub\":\"" + sub + "\",\"iss\":\"" + iss + "\",\"iat\":" + (NOW - 5)
        + ",\"exp\":" + exp + "}");
    Signature rsa = Signature.getInstance("SHA256withRSA");
    rsa.initSign(signer.getPrivate());
    rsa.update((head + "." + claims).getBytes(StandardCharsets.US_ASCII));
    return head + "." + claims + "."
        + Base64.getUrlEncoder().withoutPadding().encodeToString(rsa.sign());
  }

  private static String issuer() {
    return "ACME.LOADER." + SnowflakeKeys.fingerprint(keys.getPublic());
  }

  private static ObjectNode login(String user, String authenticator, String field, String secret) {
    ObjectNode data = JSON.createObjectNode();
    data.put("LOGIN_NAME", user);
    if (authenticator != null) {
      data.put("AUTHENTICATOR", authenticator);
    }
    data.put(field, secret);
    return data;
  }

  private static Optional<StandInAuth.Refusal> jwtLogin(String token) {
    return auth.check(login("loader", "SNOWFLAKE_JWT", "TOKEN", token), NOW);
  }

  @Test
  void acceptsAValidJwtAndCaseInsensitiveUser() throws Exception {
    assertThat(jwtLogin(jwt("RS256", "ACME.LOADER", issuer(), NOW + 60, keys)).isPresent(),
        is(false));
  }

  @Test
  void refusesExpiredWrongSubjectWrongAlgorithmAndTamperedJwts() throws Exception {
    assertThat(jwtLogin(jwt("RS256", "ACME.LOADER", issuer(), NOW - 1, keys)).get().message(),
        containsString("expired"));
    assertThat(jwtLogin(jwt("RS256", "ACME.OTHER", issuer(), NOW + 60, keys)).get().message(),
        containsString("Subject"));
    assertThat(jwtLogin(jwt("HS256", "ACME.LOADER", issuer(), NOW + 60, keys)).get().message(),
        containsString("RS256"));
    String good = jwt("RS256", "ACME.LOADER", issuer(), NOW + 60, keys);
    String[] parts = good.split("\\.");
    String forged = parts[0] + "." + b64("{\"sub\":\"ACME.LOADER\",\"iss\":\"" + issuer()
        + "\",\"exp\":" + (NOW + 9999) + "}") + "." + parts[2];
    Optional<StandInAuth.Refusal> r = jwtLogin(forged);
    assertThat(r.get().code(), is(StandInAuth.BAD_JWT));
    assertThat(r.get().message(), containsString("Signature"));
    assertThat(r.get().message(), not(containsString(parts[2])));
    assertThat(jwtLogin("not-a-jwt").get().message(), containsString("Not a signed JWT"));
  }

  @Test
  void passwordsAndTokens() {
    assertThat(auth.check(login("LOADER", null, "PASSWORD", "pw-1"), NOW).isPresent(), is(false));
    // a programmatic access token is accepted in the password field, as on Snowflake
    assertThat(auth.check(login("LOADER", null, "PASSWORD", "pat-1"), NOW).isPresent(), is(false));
    assertThat(auth.check(login("LOADER", "PROGRAMMATIC_ACCESS_TOKEN", "TOKEN", "pat-1"), NOW)
        .isPresent(), is(false));
    assertThat(auth.check(login("LOADER", "OAUTH", "TOKEN", "pw-1"), NOW).get().code(),
        is(StandInAuth.BAD_TOKEN));
    assertThat(auth.check(login("SOMEONE", null, "PASSWORD", "pw-1"), NOW).get().code(),
        is(StandInAuth.BAD_PASSWORD));
    StandInAuth.Refusal wrong = auth.check(login("LOADER", null, "PASSWORD", "pw-2-secret"), NOW)
        .get();
    assertThat(wrong.message(), not(containsString("pw-2-secret")));
  }

  @Test
  void unconfiguredSecretsRefuseEverything() {
    StandInAuth none = new StandInAuth(StandInConfig.builder().build());
    assertThat(none.check(login("TEST_USER", null, "PASSWORD", ""), NOW).isPresent(), is(true));
    assertThat(none.check(login("TEST_USER", "OAUTH", "TOKEN", "x"), NOW).isPresent(), is(true));
  }
}
