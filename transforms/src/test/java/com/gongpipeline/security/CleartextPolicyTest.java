package com.gongpipeline.security;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.gongpipeline.cortex.CortexEmbedConfig;
import com.gongpipeline.gong.GongClientConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Plain http:// carries credentials only to loopback hosts, both ways, for Gong and Cortex. */
class CleartextPolicyTest {

  @ParameterizedTest
  @ValueSource(strings = {"https://us-12345.api.gong.io", "http://127.0.0.1:8089",
      "http://127.1.2.3:1", "http://localhost:80", "http://LOCALHOST", "http://[::1]:9000",
      "HTTP://127.0.0.1", "https://10.0.0.5"})
  void acceptsHttpsAnywhereAndHttpOnlyToLoopback(String url) {
    CleartextPolicy.requireSecureTransport("--gongBaseUrl", url);
    assertThat(GongClientConfig.builder().baseUrl(url).credentials(com.gongpipeline.gong.GongCredentials.of("k", "s")).build().baseUrl(),
        is(url.replaceAll("/+$", "")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://us-12345.api.gong.io", "http://10.0.0.5:8080",
      "http://128.0.0.1", "http://127.0.0.1.evil.example", "http://localhost.evil.example",
      "http://[::2]", "http://0.0.0.0:8089", "ftp://127.0.0.1"})
  void refusesCleartextToAnyOtherHost(String url) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> CleartextPolicy.requireSecureTransport("--gongBaseUrl", url));
    assertThat(e.getMessage(), containsString("--gongBaseUrl must use https://"));
  }

  @Test
  void gongAndCortexConfigsRefusePlainHttpOffTheMachineWithAClearMessage() {
    IllegalArgumentException gong = assertThrows(IllegalArgumentException.class,
        () -> GongClientConfig.builder().baseUrl("http://us-12345.api.gong.io")
            .credentials(com.gongpipeline.gong.GongCredentials.of("k", "s")).build());
    assertThat(gong.getMessage(), containsString("--gongBaseUrl"));
    assertThat(gong.getMessage(), containsString(
        "plain http:// to us-12345.api.gong.io would send credentials in cleartext"));

    IllegalArgumentException cortex = assertThrows(IllegalArgumentException.class,
        () -> CortexEmbedConfig.builder("http://myorg-acct.snowflakecomputing.com", null));
    assertThat(cortex.getMessage(), containsString("--cortexUrl must use https://"));
    assertThat(cortex.getMessage(), not(containsString("snowflakecomputing.com/")));
  }
}
