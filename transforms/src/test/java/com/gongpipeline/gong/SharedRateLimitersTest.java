package com.gongpipeline.gong;

import static com.gongpipeline.testing.ScriptedGongServer.Reply.ok;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.sameInstance;

import com.gongpipeline.testing.ScriptedGongServer;
import com.google.common.util.concurrent.RateLimiter;
import java.util.List;
import org.junit.jupiter.api.Test;

class SharedRateLimitersTest {

  @Test
  void clientsOfTheSameTenantAndKeyShareOneLimiter() {
    String tenant = "https://us-shared-" + System.nanoTime() + ".api.gong.io";
    RateLimiter a = SharedRateLimiters.forTenant(tenant, "key", 2.5);
    RateLimiter b = SharedRateLimiters.forTenant(tenant, "key", 2.5);
    RateLimiter otherKey = SharedRateLimiters.forTenant(tenant, "other-key", 2.5);
    assertThat(b, sameInstance(a));
    assertThat(otherKey, not(sameInstance(a)));
  }

  @Test
  void theLowerRequestedRateWins() {
    String tenant = "https://us-lower-" + System.nanoTime() + ".api.gong.io";
    SharedRateLimiters.forTenant(tenant, "key", 2.5);
    RateLimiter limiter = SharedRateLimiters.forTenant(tenant, "key", 1.0);
    assertThat(limiter.getRate(), is(1.0));
    assertThat(SharedRateLimiters.forTenant(tenant, "key", 5.0).getRate(), is(1.0));
  }

  @Test
  void requestsFromTwoClientsAreSpacedByTheSharedBudget() throws Exception {
    double rate = 10; // 100 ms apart
    int perClient = 3;
    try (ScriptedGongServer server = ScriptedGongServer.start()) {
      for (int i = 0; i < 2 * perClient; i++) {
        server.enqueue("/v2/workspaces", ok(GongPages.workspaces("w")));
      }
      GongClientConfig config = TestClients.config(server).requestsPerSecond(rate).build();
      RecordingSleeper sleeper = new RecordingSleeper();
      HttpGongClient first = HttpGongClient.builder(config).sleeper(sleeper).build();
      HttpGongClient second = HttpGongClient.builder(config).sleeper(sleeper).build();
      for (int i = 0; i < perClient; i++) {
        first.workspaces();
        second.workspaces();
      }
      List<ScriptedGongServer.Recorded> reqs = server.requests();
      assertThat(reqs, hasSize(2 * perClient));
      long elapsedMillis = (reqs.get(reqs.size() - 1).nanoTime - reqs.get(0).nanoTime) / 1_000_000;
      long expected = (long) ((2 * perClient - 1) * 1000 / rate); // 500 ms
      assertThat(elapsedMillis, greaterThanOrEqualTo((long) (expected * 0.8)));
      long throttled = first.stats().throttleWaitMillis() + second.stats().throttleWaitMillis();
      assertThat(throttled, greaterThan(0L));
    }
  }
}
