package com.gongpipeline.cortex;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.gongpipeline.cortex.sim.CortexSimulator;
import com.gongpipeline.cortex.sim.CortexSimulatorConfig;
import com.gongpipeline.enrich.EmbeddingMath;
import com.gongpipeline.enrich.ModelUnavailableException;
import com.gongpipeline.errors.FailureKind;
import com.gongpipeline.errors.PipelineException;
import com.gongpipeline.snowflake.SnowflakeCredentials;
import com.gongpipeline.snowflake.SnowflakeKeys;
import com.gongpipeline.snowflake.TestKeys;
import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.api.client.testing.http.MockHttpTransport;
import com.google.api.client.testing.http.MockLowLevelHttpResponse;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import org.apache.beam.sdk.util.Sleeper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Cortex REST client over real HTTP against the local Cortex stand-in. */
class CortexEmbedderTest {
  static final String PAT = "pat-7f3a-not-for-logs";
  @TempDir Path dir;
  final List<Long> sleeps = Collections.synchronizedList(new ArrayList<>());
  final Sleeper recordingSleeper = sleeps::add;
  CortexSimulator sim;

  @AfterEach
  void stop() {
    if (sim != null) {
      sim.close();
    }
  }

  CortexSimulator start(CortexSimulatorConfig.Builder b) throws Exception {
    sim = CortexSimulator.start(b.pat(PAT).build());
    return sim;
  }

  CortexEmbedConfig.Builder config(SnowflakeCredentials credentials) {
    return CortexEmbedConfig.builder(sim.baseUrl(), credentials)
        .backoff(Duration.ofMillis(100), Duration.ofSeconds(1));
  }

  CortexEmbedder embedder(CortexEmbedConfig config) {
    return new CortexEmbedder(config, new NetHttpTransport(), recordingSleeper, Clock.systemUTC());
  }

  CortexEmbedder patEmbedder(int batchSize) {
    return embedder(config(SnowflakeCredentials.pat(PAT, null, null)).batchSize(batchSize).build());
  }

  static List<String> texts(int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add("customer asked about pricing tier " + i + (i % 2 == 0 ? " and SOC 2" : " and SSO"));
    }
    return out;
  }

  /** Body shape, prefixes, batching, PAT headers, and vectors put back in index order. */
  @Test
  void givenSevenTextsAndBatchOfThree_sendsThreeRequestsAndOrdersVectorsByIndex() throws Exception {
    start(CortexSimulatorConfig.builder().reverseDataOrder(true));
    CortexEmbedder e = patEmbedder(3);
    List<String> in = texts(7);
    List<float[]> batched = e.embedPassages(in);

    List<CortexSimulator.ReceivedRequest> got = sim.received();
    assertThat(got.stream().map(r -> r.texts().size()).toList(), contains(3, 3, 1));
    assertThat(got.stream().map(CortexSimulator.ReceivedRequest::model).toList(),
        everyItem(equalTo("e5-base-v2")));
    assertThat(got.get(0).texts().get(0), equalTo("passage: " + in.get(0)));
    assertThat(got.get(2).texts().get(0), equalTo("passage: " + in.get(6)));
    assertThat(got.get(0).contentType(), containsString("application/json"));
    assertThat(got.get(0).tokenType(), equalTo("PROGRAMMATIC_ACCESS_TOKEN"));
    assertThat(got.get(0).bearerSha256(), equalTo(HexFormat.of().formatHex(
        MessageDigest.getInstance("SHA-256").digest(PAT.getBytes(StandardCharsets.UTF_8)))));

    assertThat(batched, hasSize(7));
    for (int i = 0; i < 7; i++) {
      assertThat(batched.get(i).length, equalTo(768));
      assertThat(EmbeddingMath.l2Norm(batched.get(i)), closeTo(1.0, 1e-4));
      float[] alone = e.embedPassages(List.of(in.get(i))).get(0);
      assertArrayEquals(alone, batched.get(i), 1e-6f, "vector " + i + " out of order");
    }
    CortexStats stats = e.stats();
    assertThat(stats.requests(), equalTo(3L + 7L));
    assertThat(stats.requestsByStatus().get(200), equalTo(10L));
    assertThat(stats.texts(), equalTo(14L));
    assertThat(stats.tokens(), greaterThan(14L * 5));
  }

  @Test
  void nestedAndFlatEmbeddingArraysGiveTheSameVectors() throws Exception {
    List<String> in = texts(3);
    start(CortexSimulatorConfig.builder().nestedEmbeddings(true));
    List<float[]> nested = patEmbedder(8).embedPassages(in);
    sim.close();
    start(CortexSimulatorConfig.builder().nestedEmbeddings(false));
    List<float[]> flat = patEmbedder(8).embedPassages(in);
    for (int i = 0; i < in.size(); i++) {
      assertArrayEquals(nested.get(i), flat.get(i), 1e-6f);
    }
  }

  /** Key-pair JWT: the stand-in verifies RS256, iss (with the fingerprint) and sub. */
  @Test
  void givenKeyPairCredentials_standInVerifiesTheJwt() throws Exception {
    Path pem = TestKeys.resource("test_rsa_key.p8", dir);
    SnowflakeKeys.RsaKeyPair keys = SnowflakeKeys.readPrivateKey(pem, null);
    start(CortexSimulatorConfig.builder().account("XY12345").user("SVC_CORTEX")
        .publicKey(keys.publicKey()));
    CortexEmbedder ok = embedder(config(SnowflakeCredentials.keyPair(
        "xy12345.us-east-2.aws", "svc_cortex", pem, null)).build());
    assertThat(ok.embedPassages(texts(2)), hasSize(2));
    assertThat(sim.received().get(0).tokenType(), equalTo("KEYPAIR_JWT"));

    CortexEmbedder wrongUser = embedder(config(SnowflakeCredentials.keyPair(
        "xy12345", "someone_else", pem, null)).build());
    ModelUnavailableException e = assertThrows(ModelUnavailableException.class,
        () -> wrongUser.embedPassages(texts(1)));
    assertThat(e.getMessage(), containsString("401"));
    assertThat(e.kind(), equalTo(FailureKind.FATAL_CONFIG));
    assertThat(sim.authRefusals(), contains(containsString("JWT iss is XY12345.SOMEONE_ELSE")));
    assertThat(sim.requestsByStatus().get(401), equalTo(1L));
  }

  @Test
  void givenOtherKeyPair_signatureIsRefused() throws Exception {
    Path pem = TestKeys.resource("test_rsa_key.p8", dir);
    start(CortexSimulatorConfig.builder().account("XY12345").user("U")
        .publicKey(TestKeys.rsa2048().getPublic()));
    CortexEmbedder e = embedder(config(SnowflakeCredentials.keyPair("xy12345", "u", pem, null))
        .build());
    ModelUnavailableException ex = assertThrows(ModelUnavailableException.class,
        () -> e.embedPassages(texts(1)));
    assertThat(ex.getMessage(), containsString("401"));
    assertThat(sim.authRefusals(), contains(containsString("signature does not verify")));
  }

  /** A wrong PAT fails at once (no retries), and the token appears in neither logs nor message. */
  @Test
  void givenWrongPat_failsWithoutRetryAndNeverPrintsTheToken() throws Exception {
    start(CortexSimulatorConfig.builder());
    String wrong = "pat-WRONG-secret-91c2";
    CortexEmbedder e = embedder(config(SnowflakeCredentials.pat(wrong, null, null)).build());
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    ModelUnavailableException ex;
    try {
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      ex = assertThrows(ModelUnavailableException.class, () -> e.embedPassages(texts(1)));
      sim.failNext(503, null, 1);
      patEmbedder(4).embedPassages(texts(1)); // a logged retry, with the right PAT
    } finally {
      System.setErr(original);
    }
    String logs = captured.toString(StandardCharsets.UTF_8);
    assertThat(logs, containsString("retrying"));
    assertThat(sim.requestsByStatus().get(401), equalTo(1L));
    for (String secret : List.of(wrong, PAT)) {
      assertThat(ex.getMessage(), not(containsString(secret)));
      assertThat(logs, not(containsString(secret)));
      assertThat(e.toString(), not(containsString(secret)));
    }
  }

  @Test
  void givenNoCredentials_failsAsUnavailableNamingTheVariables() throws Exception {
    start(CortexSimulatorConfig.builder());
    CortexEmbedder e = new CortexEmbedder(CortexEmbedConfig.builder(sim.baseUrl(),
        SnowflakeCredentials.keyPair("acct", "u", dir.resolve("absent.p8"), null)).build());
    ModelUnavailableException ex = assertThrows(ModelUnavailableException.class,
        () -> e.embedPassages(texts(1)));
    assertThat(ex.getMessage(), containsString("absent.p8"));
    assertThat(sim.requests(), equalTo(0L));
  }

  @Test
  void given429WithRetryAfter_waitsExactlyThatLongThenSucceeds() throws Exception {
    start(CortexSimulatorConfig.builder());
    sim.failNext(429, "2", 1);
    CortexEmbedder e = patEmbedder(4);
    assertThat(e.embedPassages(texts(2)), hasSize(2));
    assertThat(sleeps, contains(2000L));
    assertThat(e.stats().throttled(), equalTo(1L));
    assertThat(e.stats().retries(), equalTo(1L));
    assertThat(e.stats().requestsByStatus().get(429), equalTo(1L));
  }

  @Test
  void given429WithoutRetryAfter_backsOffExponentially() throws Exception {
    start(CortexSimulatorConfig.builder());
    sim.failNext(429, null, 2);
    CortexEmbedder e = patEmbedder(4);
    assertThat(e.embedPassages(texts(1)), hasSize(1));
    assertThat(sleeps, hasSize(2));
    // RetryPolicy's FluentBackoff: initial 100 ms, then ×1.5 (150 ms), each with ±50 % jitter
    assertThat(sleeps.get(0), allOf(greaterThanOrEqualTo(50L), lessThanOrEqualTo(150L)));
    assertThat(sleeps.get(1), allOf(greaterThanOrEqualTo(75L), lessThanOrEqualTo(225L)));
  }

  /** Throttling is not failure: more 429s than maxAttempts are waited out. */
  @Test
  void given429sBeyondMaxAttempts_waitsThemOutWithinTheWaitBudget() throws Exception {
    start(CortexSimulatorConfig.builder());
    sim.failNext(429, "1", 4);
    CortexEmbedder e = embedder(config(SnowflakeCredentials.pat(PAT, null, null))
        .maxAttempts(2).build());
    assertThat(e.embedPassages(texts(1)), hasSize(1));
    assertThat(sleeps, contains(1000L, 1000L, 1000L, 1000L));

    sim.failNext(429, "1", 10);
    CortexEmbedder tight = embedder(config(SnowflakeCredentials.pat(PAT, null, null))
        .maxTotalWait(Duration.ofMillis(2500)).build());
    ModelUnavailableException ex = assertThrows(ModelUnavailableException.class,
        () -> tight.embedPassages(texts(1)));
    assertThat(ex.getMessage(), containsString("HTTP 429"));
    assertThat(tight.stats().requestsByStatus().get(429), equalTo(3L));
  }

  @Test
  void given429AskingForTooLong_failsAtOnce() throws Exception {
    start(CortexSimulatorConfig.builder());
    sim.failNext(429, "3600", 1);
    ModelUnavailableException e = assertThrows(ModelUnavailableException.class,
        () -> patEmbedder(4).embedPassages(texts(1)));
    assertThat(e.getMessage(), containsString("429"));
    assertThat(e.kind(), equalTo(FailureKind.RATE_LIMITED));
    assertThat(sleeps, hasSize(0));
  }

  @Test
  void given5xxTwice_retriesThenSucceeds() throws Exception {
    start(CortexSimulatorConfig.builder());
    sim.failNext(503, null, 1);
    sim.failNext(500, null, 1);
    CortexEmbedder e = patEmbedder(4);
    assertThat(e.embedPassages(texts(3)), hasSize(3));
    assertThat(sim.requests(), equalTo(3L));
    assertThat(e.stats().retries(), equalTo(2L));
  }

  @Test
  void given5xxBeyondMaxAttempts_givesUpAsUnavailableAfterExactlyMaxAttempts() throws Exception {
    start(CortexSimulatorConfig.builder());
    sim.failNext(503, null, 10);
    CortexEmbedder e = embedder(config(SnowflakeCredentials.pat(PAT, null, null))
        .maxAttempts(3).build());
    ModelUnavailableException ex = assertThrows(ModelUnavailableException.class,
        () -> e.embedPassages(texts(2)));
    assertThat(ex.attempts(), equalTo(3));
    assertThat(ex.kind(), equalTo(FailureKind.RETRYABLE));
    assertThat(sim.requests(), equalTo(3L));
    assertThat(e.stats().failures(), equalTo(1L));
  }

  @Test
  void given400_rejectsWithoutRetry() throws Exception {
    start(CortexSimulatorConfig.builder());
    sim.rejectTextsContaining("BADTEXT");
    CortexEmbedder e = patEmbedder(4);
    CortexRejectedException ex = assertThrows(CortexRejectedException.class,
        () -> e.embedPassages(List.of("fine", "this is BADTEXT")));
    assertThat(ex.status(), equalTo(400));
    assertThat(ex.kind(), equalTo(FailureKind.PERMANENT));
    assertThat(ex.getMessage(), containsString("text[1]"));
    assertThat(sim.requests(), equalTo(1L));
  }

  /** A passage the stand-in's local model cannot take is a 400 (this input), not a 500. */
  @Test
  void givenTextTheStandInsLocalModelRefuses_rejectsItAsPermanentWithoutRetry() throws Exception {
    start(CortexSimulatorConfig.builder());
    // 509 words + [CLS]/[SEP] fit arctic-m (no prefix) but not the local e5 ("passage: " + text)
    CortexEmbedder arctic = embedder(config(SnowflakeCredentials.pat(PAT, null, null))
        .model("snowflake-arctic-embed-m-v1.5").build());
    String text = "word ".repeat(509).strip();
    assertThat(arctic.invalidPassageReason(text), equalTo(null));
    CortexRejectedException ex = assertThrows(CortexRejectedException.class,
        () -> arctic.embedPassages(List.of(text)));
    assertThat(ex.status(), equalTo(400));
    assertThat(ex.kind(), equalTo(FailureKind.PERMANENT));
    assertThat(sim.requests(), equalTo(1L));
  }

  /** A query Cortex refuses is the user's argument at fault (the CLI says "error:", exit 2). */
  @Test
  void givenARefusedQuery_throwsIllegalArgument() throws Exception {
    start(CortexSimulatorConfig.builder());
    sim.rejectTextsContaining("BADTEXT");
    IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
        () -> patEmbedder(4).embedQuery("what about BADTEXT"));
    assertThat(ex.getMessage(), containsString("400"));
    assertThat(sleeps, hasSize(0));
  }

  @Test
  void overLongTextIsRefusedBeforeAnyRequest() throws Exception {
    start(CortexSimulatorConfig.builder());
    String longText = "word ".repeat(600);
    PipelineException ex = assertThrows(PipelineException.class,
        () -> patEmbedder(4).embedPassages(List.of("ok", longText)));
    assertThat(ex.kind(), equalTo(FailureKind.PERMANENT));
    assertThat(ex.getMessage(), containsString("512"));
    assertThat(sim.requests(), equalTo(0L));
  }

  @Test
  void givenWrongDimension_refusesTheVectors() {
    String body = "{\"data\":[{\"object\":\"embedding\",\"index\":0,\"embedding\":[[0.1,0.2,0.3]]}],"
        + "\"usage\":{\"total_tokens\":3}}";
    MockHttpTransport transport = new MockHttpTransport.Builder()
        .setLowLevelHttpResponse(new MockLowLevelHttpResponse().setStatusCode(200)
            .setContentType("application/json").setContent(body))
        .build();
    CortexEmbedder e = new CortexEmbedder(CortexEmbedConfig.builder("https://x.invalid",
        SnowflakeCredentials.pat(PAT, null, null)).build(), transport, recordingSleeper,
        Clock.systemUTC());
    ModelUnavailableException ex = assertThrows(ModelUnavailableException.class,
        () -> e.embedPassages(List.of("hello")));
    assertThat(ex.getMessage(), allOf(containsString("3-dimensional"), containsString("768")));
  }

  @Test
  void standInChecksModelAndLengthItself() throws Exception {
    start(CortexSimulatorConfig.builder());
    CortexEmbedder arctic = embedder(config(SnowflakeCredentials.pat(PAT, null, null))
        .model("snowflake-arctic-embed-l-v2.0").build());
    assertThat(arctic.embedPassages(texts(1)).get(0).length, equalTo(1024));
    assertThat(arctic.tokenCounter().countTokens("ab cd"), equalTo(2 + 2 + 2 + 2));
    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
        () -> CortexModel.named("text-embedding-3"));
    assertThat(unknown.getMessage(), containsString("e5-base-v2"));
  }
}
