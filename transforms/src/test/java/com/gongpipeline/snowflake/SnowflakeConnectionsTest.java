package com.gongpipeline.snowflake;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnowflakeConnectionsTest {
  private static final String SECRET = "s3cr3t-value-never-printed";

  @Test
  void programmaticAccessTokenWithSessionDefaults() {
    Properties p = SnowflakeConnections.fromEnvironment(Map.of(
        "SNOWFLAKE_USER", "GONG_PIPELINE", "SNOWFLAKE_PAT", SECRET, "SNOWFLAKE_ROLE", "GONG_INGEST",
        "SNOWFLAKE_WAREHOUSE", "GONG_WH", "SNOWFLAKE_DATABASE", "GONG"));
    assertThat(p.getProperty("user"), is("GONG_PIPELINE"));
    assertThat(p.getProperty("authenticator"), is(nullValue()));
    assertThat(p.getProperty("password"), is(SECRET));
    assertThat(p.getProperty("role"), is("GONG_INGEST"));
    assertThat(p.getProperty("warehouse"), is("GONG_WH"));
    assertThat(p.getProperty("db"), is("GONG"));
    assertThat(p.getProperty("JDBC_QUERY_RESULT_FORMAT"), is("JSON"));
    assertThat(SnowflakeConnections.describe(p), not(containsString(SECRET)));
    assertThat(SnowflakeConnections.describe(p), containsString("password=***"));
  }

  @Test
  void keyPairFileIsLoadedIntoPrivateKeyAndWinsOverAPassword(@TempDir Path dir) throws Exception {
    KeyPair pair = TestKeys.rsa2048();
    Path pem = TestKeys.writePlainPem(pair, dir.resolve("rsa_key.p8"));
    Properties p = SnowflakeConnections.fromEnvironment(Map.of("SNOWFLAKE_ACCOUNT", "acct",
        "SNOWFLAKE_USER", "U", "SNOWFLAKE_PRIVATE_KEY_FILE", pem.toString(),
        "SNOWFLAKE_PASSWORD", SECRET));
    assertThat(p.getProperty("authenticator"), is("SNOWFLAKE_JWT"));
    assertThat(p.get("privateKey"), instanceOf(PrivateKey.class));
    assertThat(((PrivateKey) p.get("privateKey")).getEncoded(), is(pair.getPrivate().getEncoded()));
    assertThat(p.getProperty("password"), is((String) null));
    assertThat(SnowflakeConnections.describe(p), containsString("privateKey=***"));
  }

  @Test
  void encryptedKeyFilesAreDecryptedWithTheirPassphrase(@TempDir Path dir) throws Exception {
    Path pem = TestKeys.resource("test_rsa_key_encrypted.p8", dir);
    Properties p = SnowflakeConnections.fromEnvironment(Map.of("SNOWFLAKE_ACCOUNT", "acct",
        "SNOWFLAKE_USER", "U", "SNOWFLAKE_PRIVATE_KEY_FILE", pem.toString(),
        "SNOWFLAKE_PRIVATE_KEY_PASSPHRASE", "test-only-passphrase"));
    assertThat(p.get("privateKey"), instanceOf(PrivateKey.class));
    assertThat(SnowflakeConnections.describe(p), not(containsString("test-only-passphrase")));
  }

  @Test
  void aTokenWinsOverAKeyFileAsForTheCortexClient() {
    Properties p = SnowflakeConnections.fromEnvironment(Map.of("SNOWFLAKE_USER", "U",
        "SNOWFLAKE_PAT", SECRET, "SNOWFLAKE_PRIVATE_KEY_FILE", "/does/not/exist.p8"));
    assertThat(p.getProperty("password"), is(SECRET));
    assertThat(p.get("privateKey"), is(nullValue()));
  }

  @Test
  void passwordIsTheLastResort() {
    Properties p = SnowflakeConnections.fromEnvironment(
        Map.of("SNOWFLAKE_USER", "U", "SNOWFLAKE_PASSWORD", SECRET));
    assertThat(p.getProperty("password"), is(SECRET));
    assertThat(p.getProperty("authenticator"), is((String) null));
    assertThat(SnowflakeConnections.describe(p), not(containsString(SECRET)));
  }

  @Test
  void missingSettingsAreNamedWithoutValues() {
    IllegalArgumentException noUser = assertThrows(IllegalArgumentException.class,
        () -> SnowflakeConnections.fromEnvironment(Map.of("SNOWFLAKE_PAT", SECRET)));
    assertThat(noUser.getMessage(), containsString("SNOWFLAKE_USER"));
    assertThat(noUser.getMessage(), not(containsString(SECRET)));
    IllegalArgumentException noCredential = assertThrows(IllegalArgumentException.class,
        () -> SnowflakeConnections.fromEnvironment(Map.of("SNOWFLAKE_USER", "U")));
    assertThat(noCredential.getMessage(), containsString("SNOWFLAKE_PAT"));
    Map<String, String> env = new HashMap<>(Map.of("SNOWFLAKE_USER", "U"));
    assertThat(SnowflakeConnections.missing(env), is(List.of("SNOWFLAKE_ACCOUNT",
        "SNOWFLAKE_PRIVATE_KEY_FILE | SNOWFLAKE_PAT | SNOWFLAKE_PASSWORD")));
    env.put("SNOWFLAKE_ACCOUNT", "xy12345.eu-central-1");
    assertThat(SnowflakeConnections.urlFromEnvironment(env).orElseThrow(),
        is("jdbc:snowflake://xy12345.eu-central-1.snowflakecomputing.com/"));
  }

  @Test
  void unreadableKeyFilesFailWithoutPrintingTheKey(@TempDir Path dir) throws Exception {
    Path bad = dir.resolve("k.p8");
    Files.writeString(bad, "-----BEGIN PRIVATE KEY-----\n" + SECRET + "\n-----END PRIVATE KEY-----");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SnowflakeConnections.fromEnvironment(Map.of("SNOWFLAKE_ACCOUNT", "acct",
            "SNOWFLAKE_USER", "U", "SNOWFLAKE_PRIVATE_KEY_FILE", bad.toString())));
    assertThat(e.getMessage(), containsString("private key"));
    assertThat(e.getMessage(), not(containsString(SECRET)));
    IllegalArgumentException noAccount = assertThrows(IllegalArgumentException.class,
        () -> SnowflakeConnections.fromEnvironment(
            Map.of("SNOWFLAKE_USER", "U", "SNOWFLAKE_PRIVATE_KEY_FILE", bad.toString())));
    assertThat(noAccount.getMessage(), containsString("SNOWFLAKE_ACCOUNT"));
  }
}
