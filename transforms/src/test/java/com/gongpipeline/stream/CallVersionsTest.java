package com.gongpipeline.stream;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import com.gongpipeline.model.FetchedCall;
import java.time.Instant;
import org.apache.beam.sdk.testing.CoderProperties;
import org.junit.jupiter.api.Test;

/** Content hashing, start-time extraction and the FetchedCall coder, without a pipeline. */
class CallVersionsTest {

  static FetchedCall call(String title, String audioUrl, String transcript) {
    return new FetchedCall(
        "c1",
        "{\"metaData\": {\"id\": \"c1\", \"started\": \"2026-03-02T08:00:00.5-07:00\", \"title\": \""
            + title + "\"}, \"media\": {\"audioUrl\": \"" + audioUrl + "\"}}",
        transcript);
  }

  /** Only the presigned media URL differs, or keys are reordered: same hash. */
  @Test
  void contentHash_ignoresMediaUrlsAndKeyOrder() {
    FetchedCall a = call("Pricing", "https://s3/a?sig=1", "{\"callId\": \"c1\", \"n\": 1}");
    FetchedCall b = call("Pricing", "https://s3/a?sig=2", "{\"n\": 1, \"callId\": \"c1\"}");
    assertThat(CallVersions.contentHash(a), equalTo(CallVersions.contentHash(b)));
  }

  /** A changed title, or a transcript that appeared, changes the hash. */
  @Test
  void contentHash_seesTitleAndTranscriptChanges() {
    FetchedCall base = call("Pricing", "u", null);
    assertThat(
        CallVersions.contentHash(call("Pricing v2", "u", null)),
        not(equalTo(CallVersions.contentHash(base))));
    assertThat(
        CallVersions.contentHash(call("Pricing", "u", "{\"callId\": \"c1\"}")),
        not(equalTo(CallVersions.contentHash(base))));
  }

  /** Malformed JSON hashes by its raw text instead of throwing (parsing dead-letters it later). */
  @Test
  void contentHash_malformedJson_hashesRawText() {
    FetchedCall broken = new FetchedCall("c1", "{\"metaData\": ", null);
    assertThat(CallVersions.contentHash(broken), equalTo(CallVersions.contentHash(broken)));
    assertThat(CallVersions.started(broken), nullValue());
  }

  /** The start time is read with its offset, as an instant. */
  @Test
  void started_parsesOffsetTimestamp() {
    assertThat(
        CallVersions.started(call("t", "u", null)),
        equalTo(Instant.parse("2026-03-02T15:00:00.500Z")));
    assertThat(CallVersions.started(new FetchedCall("c1", "{\"metaData\": {}}", null)), nullValue());
  }

  /** The coder round-trips calls with and without a transcript and is deterministic. */
  @Test
  void fetchedCallCoder_roundTrips() throws Exception {
    CoderProperties.coderDecodeEncodeEqual(FetchedCallCoder.of(), call("t", "u", "{}"));
    CoderProperties.coderDecodeEncodeEqual(FetchedCallCoder.of(), call("t", "u", null));
    CoderProperties.coderDeterministic(FetchedCallCoder.of(), call("t", "u", null), call("t", "u", null));
    CoderProperties.coderSerializable(FetchedCallCoder.of());
  }
}
