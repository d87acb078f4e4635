package com.gongpipeline.transforms;

import static com.gongpipeline.testing.ScriptedGongServer.Reply.json;
import static com.gongpipeline.testing.ScriptedGongServer.Reply.ok;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

import com.gongpipeline.errors.DeadLetter;
import com.gongpipeline.errors.DeadLetterStage;
import com.gongpipeline.errors.RetryPolicy;
import com.gongpipeline.errors.StageResult;
import com.gongpipeline.gong.GongClientConfig;
import com.gongpipeline.gong.GongCredentials;
import com.gongpipeline.model.FetchedCall;
import com.gongpipeline.model.TimeWindow;
import com.gongpipeline.testing.ScriptedGongServer;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.util.Sleeper;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Over real HTTP ({@link ScriptedGongServer}): Gong answers a transcript request for a call with
 * its "No … found corresponding to the provided filters" 404, which the client reads as an empty
 * result. That is a missing transcript, not an empty one: the call is asked for again, then
 * dead-lettered by id, and never emitted (so nothing stored for it is replaced).
 */
class FetchMissingTranscriptOverHttpTest {
  @RegisterExtension final TestPipelineExtension pipelineExtension = TestPipelineExtension.create();
  @RegisterExtension final ScriptedGongServer server = new ScriptedGongServer();

  private static final Instant FROM = Instant.parse("2026-03-01T00:00:00Z");

  private static final class NoSleep implements Sleeper, Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public void sleep(long millis) {}
  }

  private static String records(int n) {
    return "\"records\":{\"totalRecords\":" + n + ",\"currentPageSize\":" + n
        + ",\"currentPageNumber\":0}";
  }

  @Test
  void aNoResults404ForTheTranscriptIsMissingNotEmpty(TestPipeline p) {
    String noResults = "{\"requestId\":\"nf\",\"errors\":[\"No calls found corresponding to the "
        + "provided filters\"]}";
    server.enqueue("/v2/calls", ok("{\"requestId\":\"l\"," + records(2) + ",\"calls\":["
        + "{\"id\":\"1\",\"isPrivate\":false},{\"id\":\"2\",\"isPrivate\":false}]}"));
    server.enqueue("/v2/calls/extensive", ok("{\"requestId\":\"e\"," + records(2) + ",\"calls\":["
        + "{\"metaData\":{\"id\":\"1\"}},{\"metaData\":{\"id\":\"2\"}}]}"));
    server.enqueue("/v2/calls/transcript",
        ok("{\"requestId\":\"t\"," + records(1) + ",\"callTranscripts\":["
            + "{\"callId\":\"1\",\"transcript\":[]}]}"),
        json(404, noResults), json(404, noResults));
    GongClientConfig config = GongClientConfig.builder().baseUrl(server.baseUrl())
        .credentials(GongCredentials.of("k", "s")).requestsPerSecond(1000.0)
        .connectTimeout(Duration.ofSeconds(5)).readTimeout(Duration.ofSeconds(5)).build();

    StageResult<FetchedCall> result = p.apply("ReadGongCalls", GongIO.readCalls()
        .withClientConfig(config)
        .withWindow(new TimeWindow(FROM, FROM.plus(Duration.ofDays(1))))
        .withMissingDetailsRetry(RetryPolicy.builder().withMaxAttempts(3)
            .withSleeper(new NoSleep()).build()));

    PAssert.that(result.output().apply(MapElements.into(TypeDescriptors.strings())
        .via(FetchedCall::callId))).containsInAnyOrder("1");
    PAssert.that(result.deadLetters()).satisfies(dls -> {
      List<DeadLetter> list = new ArrayList<>();
      dls.forEach(list::add);
      assertThat(list, hasSize(1));
      assertThat(list.get(0).stage(), is(DeadLetterStage.FETCH_CALLS));
      assertThat(list.get(0).recordKey(), is("2"));
      assertThat(list.get(0).errorMessage(), containsString(
          "transcript of call 2 not returned by /v2/calls/transcript after 3 attempts"));
      return null;
    });
    p.run().waitUntilFinish();
    assertThat("details once; transcripts for both, then twice more for call 2 alone",
        server.requests("/v2/calls/transcript"), hasSize(3));
    assertThat(server.requests("/v2/calls/transcript").get(2).body, containsString("[\"2\"]"));
  }
}
