package com.gongpipeline.gong;

import static com.gongpipeline.testing.ScriptedGongServer.Reply.ok;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.gongpipeline.errors.DeadLetter;
import com.gongpipeline.errors.DeadLetterStage;
import com.gongpipeline.errors.FailureKind;
import com.gongpipeline.errors.StageResult;
import com.gongpipeline.model.FetchedCall;
import com.gongpipeline.model.TimeWindow;
import com.gongpipeline.testing.ScriptedGongServer;
import com.gongpipeline.testing.ScriptedGongServer.Reply;
import com.gongpipeline.transforms.GongIO;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 11 item 10: a Gong response body above {@code maxResponseBytes} fails its request with
 * kind BODY_TOO_LARGE (not read further, not retried) and the calls it was for are dead-lettered
 * with that kind; a body under the cap reads as before.
 */
class ResponseBodyCapTest {
  private static final Instant FROM = Instant.parse("2026-03-01T00:00:00Z");
  private static final Instant TO = Instant.parse("2026-03-02T00:00:00Z");
  private static final long CAP = 64 * 1024;

  @RegisterExtension final ScriptedGongServer server = new ScriptedGongServer();
  @RegisterExtension final TestPipelineExtension pipelineExtension = TestPipelineExtension.create();
  private final RecordingSleeper sleeper = new RecordingSleeper();

  /** A valid details page of about {@code bytes} bytes (a long title). */
  private static String bigExtensivePage(int bytes, String... ids) {
    String page = GongPages.extensivePage(null, ids);
    return page.replaceFirst("\\{", "{\"padding\":\"" + "x".repeat(bytes) + "\",");
  }

  private GongApiException fetchDetails(Reply reply) {
    server.enqueue("/v2/calls/extensive", reply);
    try (HttpGongClient client =
        TestClients.client(server, sleeper, b -> b.maxResponseBytes(CAP))) {
      return assertThrows(GongApiException.class, () -> client.callsExtensive(List.of("c1")));
    }
  }

  @Test
  void aBodyAnnouncedAboveTheCapFailsAtOnceWithBodyTooLarge() {
    GongApiException e = fetchDetails(ok(bigExtensivePage((int) CAP * 2, "c1")));
    assertThat(e.gongKind(), is(GongApiException.Kind.BODY_TOO_LARGE));
    assertThat(e.kind(), is(FailureKind.BODY_TOO_LARGE));
    assertThat(e.getMessage(), containsString("exceeds the cap of " + CAP + " bytes"));
    assertThat("not retried: it would be as big again",
        server.requests("/v2/calls/extensive"), hasSize(1));
  }

  @Test
  void aChunkedBodyIsCutOffAtTheCapWhileReading() {
    GongApiException e = fetchDetails(ok(bigExtensivePage((int) CAP * 4, "c1")).chunked());
    assertThat(e.gongKind(), is(GongApiException.Kind.BODY_TOO_LARGE));
    assertThat(e.getMessage(), containsString("stopped reading it"));
    assertThat(server.requests("/v2/calls/extensive"), hasSize(1));
  }

  @Test
  void aBodyUnderTheCapReadsAsBefore() throws Exception {
    server.enqueue("/v2/calls/extensive", ok(bigExtensivePage((int) CAP / 2, "c1")).chunked());
    try (HttpGongClient client =
        TestClients.client(server, sleeper, b -> b.maxResponseBytes(CAP))) {
      assertThat(client.callsExtensive(List.of("c1")), hasSize(1));
    }
  }

  @Test
  void inThePipeline_theBatchOfATooLargeBodyIsDeadLetteredWithTheKind(TestPipeline p) {
    server.enqueue("/v2/calls", ok(GongPages.callsPage(null, "c1", "c2")));
    server.enqueue("/v2/calls/extensive", ok(bigExtensivePage((int) CAP * 2, "c1", "c2")));
    GongClientConfig config = TestClients.config(server).maxResponseBytes(CAP).build();

    StageResult<FetchedCall> result = p.apply("ReadGongCalls",
        GongIO.readCalls().withClientConfig(config).withWindow(new TimeWindow(FROM, TO)));

    PAssert.that(result.output()).empty();
    PAssert.that(result.deadLetters()).satisfies(dls -> {
      TreeMap<String, DeadLetter> byId = new TreeMap<>();
      dls.forEach(dl -> byId.put(dl.recordKey(), dl));
      assertThat(new ArrayList<>(byId.keySet()), is(List.of("c1", "c2")));
      for (DeadLetter dl : byId.values()) {
        assertThat(dl.stage(), is(DeadLetterStage.FETCH_CALLS));
        assertThat(dl.kind(), is(FailureKind.BODY_TOO_LARGE));
        assertThat(dl.errorMessage(), containsString("--gongMaxResponseBytes"));
      }
      return null;
    });
    p.run().waitUntilFinish();
    assertThat(server.requests("/v2/calls/extensive"), hasSize(1));
  }
}
