package com.gongpipeline.transforms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.gongpipeline.errors.DeadLetter;
import com.gongpipeline.errors.FailureKind;
import com.gongpipeline.errors.StageResult;
import com.gongpipeline.gong.GongClientConfig;
import com.gongpipeline.gong.GongCredentials;
import com.gongpipeline.gong.sim.GongSimulator;
import com.gongpipeline.gong.sim.GroundTruth;
import com.gongpipeline.gong.sim.SimulatorConfig;
import com.gongpipeline.gong.sim.SimulatorStats;
import com.gongpipeline.model.FetchedCall;
import com.gongpipeline.model.TimeWindow;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link GongIO#readCalls()} end to end on the DirectRunner against a started {@link
 * GongSimulator}: the DoFns get HTTP clients from the default factory, made from the serializable
 * {@link GongClientConfig} (the fake-client seam is tested in transforms' {@code GongIOReadCallsTest}). Both output
 * tags are asserted in every test.
 */
class ReadGongCallsTest {
  @RegisterExtension final TestPipelineExtension pipelineExtension = TestPipelineExtension.create();

  private static final Instant FROM = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant TO = Instant.parse("2026-01-31T00:00:00Z");
  private static final Instant NOW = Instant.parse("2026-02-01T00:00:00Z");
  private static final TimeWindow WINDOW = new TimeWindow(FROM, TO);
  private static final Duration SUB_WINDOW = Duration.ofDays(10);
  private static final String KEY = "sim-key";
  private static final String SECRET = "sim-secret";

  private GongSimulator sim;

  @AfterEach
  void stopSimulator() {
    if (sim != null) {
      sim.close();
    }
  }

  private static SimulatorConfig.Builder simConfig() {
    return SimulatorConfig.builder()
        .seed(11)
        .calls(60)
        .callsFrom(FROM)
        .callsTo(TO)
        .accessKey(KEY)
        .accessKeySecret(SECRET)
        .callsPageSize(6)
        .extensivePageSize(7)
        .transcriptsPageSize(5)
        .privateCallRate(0.1)
        .requestsPerSecond(0)
        .clock(Clock.fixed(NOW, ZoneOffset.UTC));
  }

  private GongClientConfig.Builder clientConfig() {
    return GongClientConfig.builder()
        .baseUrl(sim.baseUrl())
        .credentials(GongCredentials.of(KEY, SECRET))
        .requestsPerSecond(500)
        .maxAttempts(10)
        .initialBackoff(Duration.ofMillis(20))
        .maxBackoff(Duration.ofMillis(200))
        .connectTimeout(Duration.ofSeconds(2))
        .readTimeout(Duration.ofSeconds(5));
  }

  private static List<DeadLetter> list(Iterable<DeadLetter> it) {
    List<DeadLetter> out = new ArrayList<>();
    it.forEach(out::add);
    return out;
  }

  /**
   * With 5xx, connection resets and truncated pages injected, the output is exactly the ground
   * truth's non-private calls, each once, with details and (when there was speech) the full
   * transcript; nothing is dead-lettered.
   */
  @Test
  void givenTransientFaults_outputEqualsGroundTruthAndNoDeadLetters(TestPipeline p)
      throws Exception {
    sim =
        GongSimulator.start(
            simConfig()
                .serverErrorRate(0.15)
                .connectionResetRate(0.1)
                .malformedPageRate(0.1)
                .build());
    GroundTruth truth = sim.groundTruth(FROM, TO);
    // Serializable expectations for the PAssert closures: call id -> monologue count.
    TreeMap<String, Integer> expected = new TreeMap<>();
    for (String id : truth.nonPrivateCallIds()) {
      expected.put(id, truth.call(id).monologues().size());
    }
    assertThat(expected.size(), greaterThan(40));
    assertThat("some calls are private", truth.callIds().size(), greaterThan(expected.size()));
    assertThat("some calls have speech",
        expected.values().stream().filter(n -> n > 0).count(), greaterThan(40L));

    StageResult<FetchedCall> result =
        p.apply("ReadGongCalls", GongIO.readCalls().withClientConfig(clientConfig().build())
            .withWindow(WINDOW).withListWindow(SUB_WINDOW));

    PAssert.that(result.output())
        .satisfies(
            calls -> {
              ObjectMapper json = new ObjectMapper();
              Map<String, Integer> seen = new TreeMap<>();
              for (FetchedCall call : calls) {
                assertThat("fetched twice: " + call.callId(),
                    seen.containsKey(call.callId()), is(false));
                try {
                  JsonNode details = json.readTree(call.callJson());
                  assertThat(details.path("metaData").path("id").asText(),
                      equalTo(call.callId()));
                  assertThat(details.path("metaData").path("isPrivate").asBoolean(), is(false));
                  int monologues = -1;
                  if (call.transcriptJson() != null) {
                    JsonNode t = json.readTree(call.transcriptJson());
                    assertThat(t.path("callId").asText(), equalTo(call.callId()));
                    monologues = t.path("transcript").size();
                  } else {
                    assertThat("no transcript for a call with speech: " + call.callId(),
                        expected.get(call.callId()), is(0));
                    monologues = 0;
                  }
                  seen.put(call.callId(), monologues);
                } catch (java.io.IOException e) {
                  throw new AssertionError("unparseable JSON for " + call.callId(), e);
                }
              }
              assertThat(seen, equalTo(expected));
              return null;
            });
    PAssert.that(result.deadLetters()).empty();
    p.run().waitUntilFinish();

    SimulatorStats served = sim.stats();
    assertThat("5xx were injected", served.faults("SERVER_ERROR"), greaterThan(0L));
    assertThat("resets were injected", served.faults("CONNECTION_RESET"), greaterThan(0L));
    assertThat("truncated pages were injected", served.faults("MALFORMED_PAGE"), greaterThan(0L));
  }

  /**
   * When every request fails, each sub-window becomes exactly one {@code list_calls} dead letter
   * naming the window, after maxAttempts requests each; nothing is output or fetched.
   */
  @Test
  void givenServerErrorsOnEveryRequest_oneListCallsDeadLetterPerSubWindow(TestPipeline p)
      throws Exception {
    sim = GongSimulator.start(simConfig().serverErrorRate(1.0).build());
    List<TimeWindow> subWindows = WINDOW.split(SUB_WINDOW);
    assertThat(subWindows.size(), is(3));
    Map<String, String> expectedKeys = new HashMap<>();
    for (TimeWindow w : subWindows) {
      expectedKeys.put(w.toString(), w.toString());
    }

    StageResult<FetchedCall> result =
        p.apply("ReadGongCalls", GongIO.readCalls()
            .withClientConfig(clientConfig().maxAttempts(2).build())
            .withWindow(WINDOW).withListWindow(SUB_WINDOW));

    PAssert.that(result.output()).empty();
    PAssert.that(result.deadLetters())
        .satisfies(
            dls -> {
              List<DeadLetter> all = list(dls);
              Map<String, String> keys = new HashMap<>();
              for (DeadLetter dl : all) {
                assertThat(dl.stage().stageName(), equalTo("list_calls"));
                assertThat("5xx after the client's retries", dl.kind(),
                    equalTo(FailureKind.RETRYABLE));
                assertThat("one dead letter per window", keys.put(dl.recordKey(), dl.payload()),
                    is((String) null));
                assertThat(dl.errorMessage(),
                    allOf(containsString("GongApiException"), containsString("GET /v2/calls"),
                        containsString("SERVER"), containsString("attempts=2")));
                assertThat(dl.stackTrace(), notNullValue());
              }
              assertThat(keys, equalTo(expectedKeys));
              return null;
            });
    p.run().waitUntilFinish();

    SimulatorStats served = sim.stats();
    assertThat("2 attempts per sub-window", served.requestsTo("GET /v2/calls"), is(6L));
    assertThat(served.totalRequests(), is(6L));
    assertThat(served.requests().keySet().stream()
        .filter(k -> !k.startsWith("GET /v2/calls ")).toList(), empty());
  }

  /**
   * The demo's shape (30 one-day sub-windows of about nine calls): details and transcripts are
   * fetched in batches of 100 across sub-windows, so the whole read costs the list pages plus
   * {@code 2 × ceil(calls / 100)} requests, not one details and one transcript request per
   * sub-window (30 + 30).
   */
  @Test
  void thirtyDailySubWindows_fetchDetailsAndTranscriptsInBatchesOf100(TestPipeline p)
      throws Exception {
    sim = GongSimulator.start(simConfig().calls(270).callsPageSize(37).extensivePageSize(100)
        .transcriptsPageSize(100).build());
    int listed = sim.groundTruth(FROM, TO).nonPrivateCallIds().size();
    assertThat(listed, greaterThan(200));
    long batches = (listed + 99) / 100;

    StageResult<FetchedCall> result =
        p.apply("ReadGongCalls", GongIO.readCalls().withClientConfig(clientConfig().build())
            .withWindow(WINDOW).withListWindow(Duration.ofDays(1)));
    PAssert.that(result.deadLetters()).empty();
    p.run().waitUntilFinish();

    SimulatorStats served = sim.stats();
    assertThat(served.requestsTo("POST /v2/calls/extensive"), is(batches));
    assertThat(served.requestsTo("POST /v2/calls/transcript"), is(batches));
    long listPages = served.requestsTo("GET /v2/calls");
    assertThat("one page per daily sub-window of ~9 calls", listPages, is(30L));
    assertThat(served.totalRequests(), is(listPages + 2 * batches));
  }
}
