package com.gongpipeline.gong;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GongCredentialsTest {

  @Test
  void literalCredentialsBuildTheBasicHeader() {
    GongCredentials c = GongCredentials.of("key", "sec:ret");
    String header = c.basicAuthorizationHeader();
    assertThat(
        new String(Base64.getDecoder().decode(header.substring("Basic ".length())), StandardCharsets.UTF_8),
        is("key:sec:ret"));
    assertThat(c.accessKey(), is("key"));
  }

  @Test
  void toStringShowsKeyButMasksSecret() {
    GongCredentials c = GongCredentials.of("key-id-1", "very-secret");
    assertThat(c.toString(), allOf(containsString("key-id-1"), containsString("****")));
    assertThat(c.toString(), not(containsString("very-secret")));
  }

  @Test
  void missingEnvironmentVariablesNameTheVariables() {
    GongCredentials c =
        GongCredentials.fromEnv("GONG_TEST_UNSET_KEY_8d1f", "GONG_TEST_UNSET_SECRET_8d1f");
    IllegalStateException e = assertThrows(IllegalStateException.class, c::accessKey);
    assertThat(
        e.getMessage(),
        allOf(containsString("GONG_TEST_UNSET_KEY_8d1f"), containsString("GONG_TEST_UNSET_SECRET_8d1f")));
  }

  @Test
  void envCredentialsAreResolvedAtUseTimeNotAtConstruction() {
    // Building the reference must not read (or require) the variables.
    GongCredentials c = GongCredentials.fromEnv();
    assertThat(c.toString(), containsString(GongCredentials.ENV_ACCESS_KEY));
  }

  @Test
  void fileCredentialsAreReadFromProperties(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("gong.properties");
    Files.writeString(file, "accessKey=file-key\naccessKeySecret=file-secret\n");
    GongCredentials c = GongCredentials.fromFile(file);
    assertThat(c.accessKey(), is("file-key"));
    assertThat(c.basicAuthorizationHeader(), is(GongCredentials.basicHeader("file-key", "file-secret")));
    assertThat(c.toString(), not(containsString("file-secret")));
  }

  @Test
  void incompleteFileIsAClearErrorWithoutValues(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("gong.properties");
    Files.writeString(file, "accessKey=file-key\n");
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> GongCredentials.fromFile(file).accessKey());
    assertThat(e.getMessage(), containsString("accessKeySecret"));
    assertThat(e.getMessage(), not(containsString("file-key")));
  }

  @Test
  void blankLiteralsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> GongCredentials.of("k", " "));
    assertThrows(IllegalArgumentException.class, () -> GongCredentials.of(null, "s"));
  }
}
