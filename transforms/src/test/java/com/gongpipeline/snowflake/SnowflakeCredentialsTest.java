package com.gongpipeline.snowflake;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnowflakeCredentialsTest {
  static KeyPair keys;
  @TempDir Path dir;

  @BeforeAll
  static void generate() throws Exception {
    keys = TestKeys.rsa2048();
  }

  static Clock at(Instant t) {
    return Clock.fixed(t, ZoneOffset.UTC);
  }

  @Test
  void patFromEnvironmentIsSentAsProgrammaticAccessToken() {
    Map<String, String> env = Map.of("SNOWFLAKE_PAT", " pat-value-1 ", "SNOWFLAKE_USER", "svc");
    SnowflakeAuth auth = SnowflakeCredentials.fromEnv().resolve(env::get, Clock.systemUTC());
    assertThat(auth.tokenType(), equalTo("PROGRAMMATIC_ACCESS_TOKEN"));
    assertThat(auth.bearerToken(), equalTo("pat-value-1"));
    assertThat(auth.user().orElseThrow(), equalTo("svc"));
    assertThat(auth.toString(), not(containsString("pat-value-1")));
  }

  @Test
  void patFileIsReadWhenNoPatVariable() throws Exception {
    Path f = Files.writeString(dir.resolve("pat"), "pat-from-file\n");
    SnowflakeAuth auth = SnowflakeCredentials.fromEnv()
        .resolve(Map.of("SNOWFLAKE_PAT_FILE", f.toString())::get, Clock.systemUTC());
    assertThat(auth.bearerToken(), equalTo("pat-from-file"));
  }

  @Test
  void missingVariablesAreNamedButNoValueIsShown() {
    Map<String, String> env = Map.of("SNOWFLAKE_ACCOUNT", "acct-secretish");
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> SnowflakeCredentials.fromEnv().resolve(env::get, Clock.systemUTC()));
    assertThat(e.getMessage(), allOf(containsString("SNOWFLAKE_PAT"),
        containsString("not set: SNOWFLAKE_USER, SNOWFLAKE_PRIVATE_KEY_FILE")));
    assertThat(e.getMessage(), not(containsString("acct-secretish")));
    assertThat(SnowflakeCredentials.fromEnv().missing(Map.of("SNOWFLAKE_PAT", "x")::get),
        nullValue());
  }

  @Test
  void keyPairFromEnvironmentSignsAJwtWithSnowflakesClaims() throws Exception {
    Path pem = TestKeys.writePlainPem(keys, dir.resolve("k.p8"));
    Instant now = Instant.parse("2026-11-22T10:00:00Z");
    Map<String, String> env = new HashMap<>();
    env.put("SNOWFLAKE_ACCOUNT", "xy12345.us-east-2.aws");
    env.put("SNOWFLAKE_USER", "svc_pipeline");
    env.put("SNOWFLAKE_PRIVATE_KEY_FILE", pem.toString());
    SnowflakeAuth auth = SnowflakeCredentials.fromEnv().resolve(env::get, at(now));
    assertThat(auth.tokenType(), equalTo("KEYPAIR_JWT"));

    String[] parts = auth.bearerToken().split("\\.");
    JsonNode claims = new ObjectMapper().readTree(Base64.getUrlDecoder().decode(parts[1]));
    String fp = "SHA256:" + Base64.getEncoder().encodeToString(
        MessageDigest.getInstance("SHA-256").digest(keys.getPublic().getEncoded()));
    assertThat(claims.get("iss").asText(), equalTo("XY12345.SVC_PIPELINE." + fp));
    assertThat(claims.get("sub").asText(), equalTo("XY12345.SVC_PIPELINE"));
    assertThat(claims.get("iat").asLong(), equalTo(now.getEpochSecond()));
    assertThat(claims.get("exp").asLong(), equalTo(now.getEpochSecond() + 3600));
    Signature rs256 = Signature.getInstance("SHA256withRSA");
    rs256.initVerify(keys.getPublic());
    rs256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
    assertThat(rs256.verify(Base64.getUrlDecoder().decode(parts[2])), is(true));
  }

  @Test
  void jwtIsReusedThenRenewedBeforeItExpires() throws Exception {
    SnowflakeKeys.RsaKeyPair pair = SnowflakeKeys.readPrivateKey(
        TestKeys.writePlainPem(keys, dir.resolve("k.p8")), null);
    Instant t0 = Instant.parse("2026-11-22T10:00:00Z");
    Instant[] now = {t0};
    Clock clock = new Clock() {
      @Override public java.time.ZoneId getZone() { return ZoneOffset.UTC; }
      @Override public Clock withZone(java.time.ZoneId z) { return this; }
      @Override public Instant instant() { return now[0]; }
    };
    SnowflakeJwt jwt = new SnowflakeJwt("myorg-myacct", "u", pair, clock);
    String first = jwt.token();
    now[0] = t0.plus(Duration.ofMinutes(50));
    assertThat(jwt.token(), equalTo(first));
    now[0] = t0.plus(Duration.ofMinutes(56));
    assertThat(jwt.token(), not(equalTo(first)));
  }

  @Test
  void opensslKeysLoadAndTheirFingerprintMatchesOpenssls() throws Exception {
    String expected = "SHA256:" + Files.readString(
        TestKeys.resource("test_rsa_key.fingerprint", dir)).trim();
    SnowflakeKeys.RsaKeyPair plain = SnowflakeKeys.readPrivateKey(
        TestKeys.resource("test_rsa_key.p8", dir), null);
    assertThat(SnowflakeKeys.fingerprint(plain.publicKey()), equalTo(expected));

    Path encrypted = TestKeys.resource("test_rsa_key_encrypted.p8", dir);
    SnowflakeKeys.RsaKeyPair decrypted =
        SnowflakeKeys.readPrivateKey(encrypted, "test-only-passphrase".toCharArray());
    assertThat(decrypted.privateKey(), equalTo(plain.privateKey()));
    assertThat(SnowflakeKeys.fingerprint(decrypted.publicKey()), equalTo(expected));

    IllegalStateException noPass = assertThrows(IllegalStateException.class,
        () -> SnowflakeKeys.readPrivateKey(encrypted, null));
    assertThat(noPass.getMessage(), containsString("SNOWFLAKE_PRIVATE_KEY_PASSPHRASE"));
    IllegalStateException wrong = assertThrows(IllegalStateException.class,
        () -> SnowflakeKeys.readPrivateKey(encrypted, "battery staple".toCharArray()));
    assertThat(wrong.getMessage(), not(containsString("battery staple")));
  }

  @Test
  void pkcs1KeyIsRefusedWithTheConversionCommand() throws Exception {
    Path pem = Files.writeString(dir.resolve("rsa.pem"),
        "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> SnowflakeKeys.readPrivateKey(pem, null));
    assertThat(e.getMessage(), containsString("openssl pkcs8 -topk8"));
  }

  @Test
  void accountIsNormalisedAsSnowflakeConnectorsDo() {
    assertThat(SnowflakeJwt.accountForJwt("xy12345.us-east-2.aws"), equalTo("XY12345"));
    assertThat(SnowflakeJwt.accountForJwt("myorg-myacct"), equalTo("MYORG-MYACCT"));
    assertThat(SnowflakeJwt.accountForJwt("https://myorg-myacct.snowflakecomputing.com"),
        equalTo("MYORG-MYACCT"));
    assertThat(SnowflakeJwt.accountForJwt("myorg-myacct.global"), equalTo("MYORG"));
  }

  @Test
  void toStringNeverShowsTheSecret() {
    assertThat(SnowflakeCredentials.pat("pat-zzz", "a", "u").toString(),
        allOf(containsString("****"), not(containsString("pat-zzz"))));
    assertThat(SnowflakeCredentials.keyPair("a", "u", Path.of("/k.p8"), "pp-zzz").toString(),
        not(containsString("pp-zzz")));
  }
}
