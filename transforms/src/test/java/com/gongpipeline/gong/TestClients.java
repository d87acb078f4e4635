package com.gongpipeline.gong;

import com.gongpipeline.testing.ScriptedGongServer;
import com.google.common.util.concurrent.RateLimiter;
import java.time.Duration;
import java.util.function.UnaryOperator;

/** Builds clients against a {@link ScriptedGongServer} with a fake sleeper and no throttling. */
final class TestClients {
  static final String KEY = "test-key-id";
  static final String SECRET = "s3cr3t-VALUE-do-not-leak";

  private TestClients() {}

  static GongClientConfig.Builder config(ScriptedGongServer server) {
    return GongClientConfig.builder()
        .baseUrl(server.baseUrl())
        .credentials(GongCredentials.of(KEY, SECRET))
        .connectTimeout(Duration.ofSeconds(2))
        .readTimeout(Duration.ofSeconds(2));
  }

  static HttpGongClient client(ScriptedGongServer server, RecordingSleeper sleeper) {
    return client(server, sleeper, b -> b);
  }

  static HttpGongClient client(
      ScriptedGongServer server, RecordingSleeper sleeper, UnaryOperator<GongClientConfig.Builder> tweak) {
    return HttpGongClient.builder(tweak.apply(config(server)).build())
        .sleeper(sleeper)
        .rateLimiter(RateLimiter.create(10_000))
        .build();
  }
}
