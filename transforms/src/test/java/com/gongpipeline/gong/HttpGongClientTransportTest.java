package com.gongpipeline.gong;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;

/** The JDK's silent POST re-send would bypass the rate limiter and the daily ledger. */
class HttpGongClientTransportTest {

  @Test
  void loadingTheClientSwitchesOffTheJdksSilentPostRetry() throws Exception {
    Class.forName(HttpGongClient.class.getName(), true, getClass().getClassLoader());
    assertThat(System.getProperty("sun.net.http.retryPost"), equalTo("false"));
  }
}
