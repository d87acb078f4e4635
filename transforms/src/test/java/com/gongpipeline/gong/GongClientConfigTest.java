package com.gongpipeline.gong;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class GongClientConfigTest {

  private static GongClientConfig.Builder valid() {
    return GongClientConfig.builder()
        .baseUrl("https://us-12345.api.gong.io")
        .credentials(GongCredentials.fromEnv());
  }

  @Test
  void defaultsMatchGongLimits() {
    GongClientConfig c = valid().build();
    assertThat(c.requestsPerSecond(), is(2.5));
    assertThat(c.maxAttempts(), is(8));
    assertThat(c.initialBackoff(), is(Duration.ofMillis(500)));
    assertThat(c.maxBackoff(), is(Duration.ofSeconds(60)));
    assertThat(c.maxRetryAfter(), is(Duration.ofMinutes(5)));
    assertThat(c.connectTimeout(), is(Duration.ofSeconds(10)));
    assertThat(c.readTimeout(), is(Duration.ofSeconds(60)));
    assertThat(c.includePrivateCalls(), is(false));
    assertThat(c.maxCallIdsPerRequest(), is(100));
    assertThat(c.cursorExpiryRestarts(), is(3));
  }

  @Test
  void trailingSlashIsDropped() {
    assertThat(
        valid().baseUrl("https://us-12345.api.gong.io/").build().baseUrl(),
        is("https://us-12345.api.gong.io"));
  }

  @Test
  void baseUrlIsRequiredAndMustBeHttpHostOnly() {
    assertThrows(IllegalArgumentException.class, () -> valid().baseUrl(null).build());
    assertThrows(IllegalArgumentException.class, () -> valid().baseUrl("ftp://x.gong.io").build());
    assertThrows(IllegalArgumentException.class, () -> valid().baseUrl("us-12345.api.gong.io").build());
    IllegalArgumentException withPath =
        assertThrows(
            IllegalArgumentException.class,
            () -> valid().baseUrl("https://us-12345.api.gong.io/v2").build());
    assertThat(withPath.getMessage(), containsString("host only"));
  }

  @Test
  void credentialsInTheUrlAreRejectedWithoutEchoingThem() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> valid().baseUrl("https://key:topsecret@us-1.api.gong.io").build());
    assertThat(e.getMessage(), not(containsString("topsecret")));
  }

  @Test
  void invalidNumbersAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> valid().requestsPerSecond(0).build());
    assertThrows(IllegalArgumentException.class, () -> valid().maxAttempts(0).build());
    assertThrows(IllegalArgumentException.class, () -> valid().maxCallIdsPerRequest(0).build());
    assertThrows(IllegalArgumentException.class, () -> valid().cursorExpiryRestarts(-1).build());
    assertThrows(
        IllegalArgumentException.class,
        () -> valid().initialBackoff(Duration.ofSeconds(5)).maxBackoff(Duration.ofSeconds(1)).build());
    assertThrows(IllegalArgumentException.class, () -> valid().credentials(null).build());
  }

  @Test
  void survivesJavaSerializationUnchanged() throws Exception {
    GongClientConfig c =
        valid().includePrivateCalls(true).maxRetryAfter(Duration.ofMinutes(5)).build();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(c);
    }
    Object back =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray())).readObject();
    assertThat(back, is(c));
    assertThat(((GongClientConfig) back).toBuilder().build(), is(c));
  }

  @Test
  void toStringHidesTheSecret() {
    GongClientConfig c = valid().credentials(GongCredentials.of("key-1", "hush-hush")).build();
    assertThat(c.toString(), containsString("key-1"));
    assertThat(c.toString(), not(containsString("hush-hush")));
  }
}
