package com.gongpipeline.gong;

import static com.gongpipeline.testing.ScriptedGongServer.Reply.json;
import static com.gongpipeline.testing.ScriptedGongServer.Reply.ok;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.gongpipeline.errors.FailureKind;
import com.gongpipeline.errors.RetryPolicy;
import com.gongpipeline.testing.ScriptedGongServer;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 11 item 8: one Gong request never waits more than {@link RetryPolicy#MAX_WAIT} in all
 * (it used to sit through up to 60 Retry-Afters of up to 30 minutes each inside a DoFn).
 */
class GongWaitCapTest {
  @RegisterExtension final ScriptedGongServer server = new ScriptedGongServer();
  private final RecordingSleeper sleeper = new RecordingSleeper();

  @Test
  void retryAftersAddingUpToMoreThanMaxWaitFailTheRequestRateLimited() throws Exception {
    server.enqueue(
        "/v2/calls",
        json(429, GongPages.error("a", "Too many")).header("Retry-After", "240"),
        json(429, GongPages.error("b", "Too many")).header("Retry-After", "240"),
        ok(GongPages.callsPage(null, "1")));
    try (HttpGongClient client = TestClients.client(server, sleeper)) {
      GongApiException e = assertThrows(GongApiException.class, () -> client.listCalls(
          Instant.parse("2026-03-01T00:00:00Z"), Instant.parse("2026-03-02T00:00:00Z"), p -> {}));
      assertThat(e.kind(), is(FailureKind.RATE_LIMITED));
    }
    assertThat(sleeper.sleeps(), contains(240_000L));
  }

  @Test
  void theDefaultLongestRetryAfterIsWithinTheCap() {
    assertThat(GongClientConfig.DEFAULT_MAX_RETRY_AFTER.compareTo(RetryPolicy.MAX_WAIT) <= 0,
        is(true));
    assertThrows(IllegalArgumentException.class, () -> GongClientConfig.builder()
        .baseUrl("https://us-12345.api.gong.io").credentials(GongCredentials.fromEnv())
        .maxRetryAfter(java.time.Duration.ofMinutes(30)).build());
  }
}
