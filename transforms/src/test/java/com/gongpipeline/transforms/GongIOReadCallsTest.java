package com.gongpipeline.transforms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import com.gongpipeline.errors.DeadLetter;
import com.gongpipeline.errors.DeadLetterStage;
import com.gongpipeline.errors.FailureKind;
import com.gongpipeline.errors.RetryPolicy;
import com.gongpipeline.errors.StageResult;
import com.gongpipeline.model.FetchedCall;
import com.gongpipeline.model.TimeWindow;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.util.Sleeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link GongIO#readCalls()} on the DirectRunner with an in-memory fake client handed in through
 * {@code withClientFactory}: no HTTP server. Three daily sub-windows: one lists two calls, one
 * fails to list (a dead letter with its kind), one lists a call whose details arrive only on the
 * second request (the transcript race) and one that never gets details (a dead letter after the
 * missing-details retries).
 */
class GongIOReadCallsTest {
  @RegisterExtension final TestPipelineExtension pipelineExtension = TestPipelineExtension.create();

  private static final Instant DAY1 = Instant.parse("2026-03-01T00:00:00Z");
  private static final Instant DAY2 = DAY1.plus(Duration.ofDays(1));
  private static final Instant DAY3 = DAY2.plus(Duration.ofDays(1));
  private static final TimeWindow WINDOW = new TimeWindow(DAY1, DAY3.plus(Duration.ofDays(1)));

  /** Records nothing and returns at once; serializable, as it travels inside the DoFn. */
  private static final class NoSleep implements Sleeper, Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public void sleep(long millis) {}
  }

  @Test
  void givenAFakeClient_readsCallsAndDeadLettersAFailedListingWithItsKind(TestPipeline p) {
    FakeGongClients fake = new FakeGongClients("readCalls")
        .listing(DAY1, "c1", "c2")
        .failListing(DAY2, FailureKind.RATE_LIMITED)
        .listing(DAY3, "c3", "c4")
        .transcript("c1")
        .transcript("c4")
        .detailsLag("c4", 1)
        .detailsLag("c3", Integer.MAX_VALUE);

    StageResult<FetchedCall> result = p.apply("ReadGongCalls", GongIO.readCalls()
        .withClientFactory(fake)
        .withWindow(WINDOW)
        .withListWindow(Duration.ofDays(1))
        .withMissingDetailsRetry(RetryPolicy.builder().withMaxAttempts(2)
            .withSleeper(new NoSleep()).build()));

    PAssert.that(result.output()).satisfies(calls -> {
      Map<String, Boolean> hasTranscript = new TreeMap<>();
      for (FetchedCall c : calls) {
        assertThat("fetched twice: " + c.callId(),
            hasTranscript.put(c.callId(), c.transcriptJson().contains("speakerId")), nullValue());
        assertThat(c.callJson(), containsString("\"id\":\"" + c.callId() + "\""));
      }
      assertThat(hasTranscript, equalTo(new TreeMap<>(Map.of("c1", true, "c2", false, "c4", true))));
      return null;
    });
    PAssert.that(result.deadLetters()).satisfies(dls -> {
      Map<String, DeadLetter> byKey = new TreeMap<>();
      dls.forEach(dl -> assertThat(byKey.put(dl.recordKey(), dl), nullValue()));
      assertThat(byKey.keySet().toString(), byKey.size(), is(2));

      DeadLetter listing = byKey.get(new TimeWindow(DAY2, DAY3).toString());
      assertThat(listing, notNullValue());
      assertThat(listing.stage(), is(DeadLetterStage.LIST_CALLS));
      assertThat(listing.kind(), is(FailureKind.RATE_LIMITED));
      assertThat(listing.errorMessage(), containsString("listing " + DAY2 + " fails"));

      DeadLetter missing = byKey.get("c3");
      assertThat(missing.stage(), is(DeadLetterStage.FETCH_CALLS));
      assertThat(missing.kind(), is(FailureKind.RETRYABLE));
      assertThat(missing.errorMessage(),
          containsString("not returned by /v2/calls/extensive after 2 attempts"));
      // The batch spans the sub-windows: every listed id, sorted.
      assertThat(missing.payload(), is("c1,c2,c3,c4"));
      return null;
    });
    p.run().waitUntilFinish();

    assertThat("one details request for the ids of all sub-windows, then one retry for c3, c4"
            + " (one per sub-window would have been 3)",
        FakeGongClients.count("readCalls", "requests/extensive"), is(2));
    assertThat("c4 asked for again after it was missing",
        FakeGongClients.count("readCalls", "extensive/c4"), is(2));
    assertThat("c3 asked for once per attempt, no nested retries",
        FakeGongClients.count("readCalls", "extensive/c3"), is(2));
    assertThat("every client made in @Setup is closed in @Teardown",
        FakeGongClients.count("readCalls", "closed"),
        is(FakeGongClients.count("readCalls", "created")));
  }

  @Test
  void withMaxCallIdsPerRequest_batchesTheListedIdsThatSmall(TestPipeline p) {
    FakeGongClients fake = new FakeGongClients("batches")
        .listing(DAY1, "c1", "c2", "c3")
        .detailsLag("c1", Integer.MAX_VALUE)
        .detailsLag("c2", Integer.MAX_VALUE)
        .detailsLag("c3", Integer.MAX_VALUE);

    StageResult<FetchedCall> result = p.apply("ReadGongCalls", GongIO.readCalls()
        .withMaxCallIdsPerRequest(2)
        .withClientFactory(fake)
        .withWindow(new TimeWindow(DAY1, DAY2))
        .withMissingDetailsRetry(RetryPolicy.builder().withMaxAttempts(1).build()));

    PAssert.that(result.output()).empty();
    PAssert.that(result.deadLetters()).satisfies(dls -> {
      // Two batches, {2 ids, 1 id}; which ids share a batch is the runner's choice.
      Map<String, String> payloadById = new TreeMap<>();
      dls.forEach(dl -> payloadById.put(dl.recordKey(), dl.payload()));
      assertThat(payloadById.keySet(), equalTo(java.util.Set.of("c1", "c2", "c3")));
      java.util.List<Integer> sizes = new java.util.ArrayList<>();
      payloadById.forEach((id, payload) -> {
        java.util.List<String> batch = java.util.List.of(payload.split(","));
        assertThat(batch.contains(id), is(true));
        sizes.add(batch.size());
      });
      sizes.sort(null);
      assertThat(sizes, equalTo(java.util.List.of(1, 2, 2)));
      return null;
    });
    p.run().waitUntilFinish();
  }

  @Test
  void idsOfManySubWindowsAreFetchedInFullBatchesNotOnePerSubWindow(TestPipeline p) {
    // Seven daily sub-windows of 37 calls each: 259 ids. One request per sub-window would be 7
    // details and 7 transcript requests; across sub-windows it is ceil(259 / 100) = 3 of each.
    FakeGongClients fake = new FakeGongClients("acrossWindows");
    java.util.Set<String> all = new java.util.TreeSet<>();
    for (int day = 0; day < 7; day++) {
      String[] ids = new String[37];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = "d" + day + "-" + i;
        all.add(ids[i]);
        fake.transcript(ids[i]);
      }
      fake.listing(DAY1.plus(Duration.ofDays(day)), ids);
    }

    StageResult<FetchedCall> result = p.apply("ReadGongCalls", GongIO.readCalls()
        .withClientFactory(fake)
        .withWindow(new TimeWindow(DAY1, DAY1.plus(Duration.ofDays(7))))
        .withListWindow(Duration.ofDays(1)));

    PAssert.that(result.output()).satisfies(calls -> {
      java.util.Set<String> fetched = new java.util.TreeSet<>();
      for (FetchedCall c : calls) {
        assertThat("fetched twice: " + c.callId(), fetched.add(c.callId()), is(true));
        assertThat(c.transcriptJson(), notNullValue());
      }
      assertThat(fetched, equalTo(all));
      return null;
    });
    PAssert.that(result.deadLetters()).empty();
    p.run().waitUntilFinish();

    assertThat(FakeGongClients.count("acrossWindows", "requests/extensive"), is(3));
    assertThat(FakeGongClients.count("acrossWindows", "requests/transcripts"), is(3));
    assertThat(FakeGongClients.count("acrossWindows", "maxIds/extensive"), is(100));
  }

  /**
   * A request that fails for one poison id is split in halves down to that id: only it is
   * dead-lettered (with the failure's kind), the rest of its batch is fetched.
   */
  @Test
  void aFailedFetchIsBisectedSoOnlyThePoisonCallFails(TestPipeline p) {
    FakeGongClients fake = new FakeGongClients("failedFetch")
        .listing(DAY1, "c1", "c2")
        .listing(DAY2, "c3", "c4")
        .failDetails("c3", FailureKind.PERMANENT);

    StageResult<FetchedCall> result = p.apply("ReadGongCalls", GongIO.readCalls()
        .withClientFactory(fake)
        .withWindow(new TimeWindow(DAY1, DAY3))
        .withMissingDetailsRetry(RetryPolicy.builder().withMaxAttempts(2)
            .withSleeper(new NoSleep()).build()));

    PAssert.that(result.output().apply("Ids", org.apache.beam.sdk.transforms.MapElements
            .into(org.apache.beam.sdk.values.TypeDescriptors.strings()).via(FetchedCall::callId)))
        .containsInAnyOrder("c1", "c2", "c4");
    PAssert.that(result.deadLetters()).satisfies(dls -> {
      Map<String, DeadLetter> byKey = new TreeMap<>();
      dls.forEach(dl -> assertThat(byKey.put(dl.recordKey(), dl), nullValue()));
      assertThat(byKey.keySet(), equalTo(java.util.Set.of("c3")));
      DeadLetter dl = byKey.get("c3");
      assertThat(dl.stage(), is(DeadLetterStage.FETCH_CALLS));
      assertThat(dl.kind(), is(FailureKind.PERMANENT));
      assertThat(dl.errorMessage(), containsString("details of c3 fail"));
      assertThat(dl.payload(), is("c1,c2,c3,c4"));
      return null;
    });
    p.run().waitUntilFinish();
    assertThat("[c1..c4] fails, [c1,c2] ok, [c3,c4] fails, [c3] fails, [c4] ok; the failed id is "
            + "not asked for again by the pipeline",
        FakeGongClients.count("failedFetch", "requests/extensive"), is(5));
  }

  /**
   * Missing is not empty: a transcript Gong leaves out (or sends without a {@code transcript}
   * array) is asked for again, and the call is emitted only once Gong positively sends one; one
   * that never comes is a dead letter naming the call, and the call is not emitted (so its stored
   * turns and chunks are not replaced by nothing). A positive empty transcript ({@code []}) is
   * emitted as such.
   */
  @Test
  void aMissingTranscriptIsRetriedThenDeadLetteredNeverEmittedAsEmpty(TestPipeline p) {
    FakeGongClients fake = new FakeGongClients("missingTranscript")
        .listing(DAY1, "late", "never", "notArray", "silent", "spoken", "")
        .transcript("late").transcript("spoken")
        .transcriptLag("late", 1)
        .transcriptLag("never", Integer.MAX_VALUE)
        .transcriptNotArray("notArray");

    StageResult<FetchedCall> result = p.apply("ReadGongCalls", GongIO.readCalls()
        .withClientFactory(fake)
        .withWindow(new TimeWindow(DAY1, DAY2))
        .withMissingDetailsRetry(RetryPolicy.builder().withMaxAttempts(3)
            .withSleeper(new NoSleep()).build()));

    PAssert.that(result.output()).satisfies(calls -> {
      Map<String, String> transcripts = new TreeMap<>();
      calls.forEach(c -> transcripts.put(c.callId(), c.transcriptJson()));
      assertThat(transcripts.keySet(), equalTo(java.util.Set.of("late", "silent", "spoken")));
      assertThat(transcripts.get("silent"), is("{\"callId\":\"silent\",\"transcript\":[]}"));
      assertThat(transcripts.get("late"), containsString("s-late"));
      return null;
    });
    PAssert.that(result.deadLetters()).satisfies(dls -> {
      Map<String, DeadLetter> byKey = new TreeMap<>();
      dls.forEach(dl -> assertThat(byKey.put(dl.recordKey(), dl), nullValue()));
      String idless = new TimeWindow(DAY1, DAY2) + " calls[5].id";
      assertThat(byKey.keySet(), equalTo(java.util.Set.of("never", "notArray", idless)));
      assertThat("a listed call without id is counted, not skipped", byKey.get(idless).kind(),
          is(FailureKind.PERMANENT));
      assertThat(byKey.get(idless).payload(), is("{\"title\":\"no id\"}"));
      assertThat(byKey.get("never").kind(), is(FailureKind.RETRYABLE));
      assertThat(byKey.get("never").errorMessage(), containsString(
          "transcript of call never not returned by /v2/calls/transcript after 3 attempts"));
      assertThat(byKey.get("notArray").errorMessage(),
          containsString("without a 'transcript' array (NULL)"));
      return null;
    });
    p.run().waitUntilFinish();
    assertThat("details are asked for once; transcripts again only for the missing ones",
        FakeGongClients.count("missingTranscript", "requests/extensive"), is(1));
    assertThat(FakeGongClients.count("missingTranscript", "transcripts/never"), is(3));
    assertThat(FakeGongClients.count("missingTranscript", "transcripts/spoken"), is(1));
  }

  @Test
  void onAStream_aPartialBatchIsFetchedAfterTheBufferingAtItsEarliestTimestamp(TestPipeline p) {
    FakeGongClients fake = new FakeGongClients("streamBatches")
        .listing(DAY1, "c1", "c2")
        .listing(DAY2, "c3")
        .listing(DAY3, "c4");
    org.apache.beam.sdk.testing.TestStream<TimeWindow> polls =
        org.apache.beam.sdk.testing.TestStream.create(
                org.apache.beam.sdk.coders.SerializableCoder.of(TimeWindow.class))
            .addElements(
                org.apache.beam.sdk.values.TimestampedValue.of(new TimeWindow(DAY1, DAY2), joda(DAY1)),
                org.apache.beam.sdk.values.TimestampedValue.of(new TimeWindow(DAY2, DAY3), joda(DAY2)))
            .advanceProcessingTime(org.joda.time.Duration.standardSeconds(10))
            .addElements(org.apache.beam.sdk.values.TimestampedValue.of(
                new TimeWindow(DAY3, DAY3.plus(Duration.ofDays(1))), joda(DAY3)))
            .advanceWatermarkToInfinity();

    StageResult<FetchedCall> result = GongIO.readCalls()
        .withClientFactory(fake)
        .withListWindow(Duration.ofDays(1))
        .withMaxBatchBuffering(Duration.ofSeconds(1))
        .readWindows(p.apply("Polls", polls));

    PCollection<String> stamped = result.output().apply("IdAtTimestamp",
        org.apache.beam.sdk.transforms.ParDo.of(new IdAtTimestampFn()));
    // The first two polls' ids share one batch, fetched when the buffering ran out, stamped with
    // the earliest poll's timestamp (never later: a call must not turn late downstream).
    PAssert.that(stamped).containsInAnyOrder("c1@" + DAY1, "c2@" + DAY1, "c3@" + DAY1,
        "c4@" + DAY3);
    PAssert.that(result.deadLetters()).empty();
    p.run().waitUntilFinish();
    assertThat(FakeGongClients.count("streamBatches", "requests/extensive"), is(2));
    assertThat(FakeGongClients.count("streamBatches", "requests/transcripts"), is(2));
  }

  /**
   * All of a tenant's Gong requests (list pages, details and transcript batches, the directory)
   * go through one keyed stage, so they never overlap, however many workers the runner has: the
   * configured requests/s then holds job-wide. (Before, the sub-windows and batches were spread
   * across the DirectRunner's threads and the directory read alongside.)
   */
  @Test
  void allGongRequestsOfATenantGoThroughOneWorkerAtATime(TestPipeline p) {
    FakeGongClients fake = new FakeGongClients("oneAtATime").requestMillis(25);
    java.util.List<String> all = new java.util.ArrayList<>();
    for (int day = 0; day < 8; day++) {
      String a = "d" + day + "a";
      String b = "d" + day + "b";
      fake.listing(DAY1.plus(Duration.ofDays(day)), a, b).transcript(a);
      all.add(a);
      all.add(b);
    }
    StageResult<FetchedCall> result = p.apply("ReadGongCalls", GongIO.readCalls()
        .withClientFactory(fake)
        .withWindow(new TimeWindow(DAY1, DAY1.plus(Duration.ofDays(8))))
        .withMaxCallIdsPerRequest(2));
    StageResult<com.gongpipeline.warehouse.WarehouseRow> directory = p.apply("ReadGongDirectory",
        GongIO.readDirectory().withClientFactory(fake).withJobId("job")
            .withWaitOn(result.output()));

    PAssert.that(result.output().apply("CallIds",
            org.apache.beam.sdk.transforms.MapElements.into(
                    org.apache.beam.sdk.values.TypeDescriptors.strings())
                .via(FetchedCall::callId)))
        .containsInAnyOrder(all);
    PAssert.that(result.deadLetters()).empty();
    PAssert.that(directory.deadLetters()).empty();
    p.run().waitUntilFinish();

    assertThat(FakeGongClients.count("oneAtATime", "requests/extensive"), is(8));
    assertThat(FakeGongClients.count("oneAtATime", "requests/users"), is(1));
    assertThat(FakeGongClients.count("oneAtATime", "requests/workspaces"), is(1));
    assertThat("Gong requests in flight at once", FakeGongClients.count("oneAtATime",
        "maxInFlight"), is(1));
  }

  private static org.joda.time.Instant joda(Instant t) {
    return new org.joda.time.Instant(t.toEpochMilli());
  }

  /** A fetched call as {@code id@timestamp}. */
  private static final class IdAtTimestampFn
      extends org.apache.beam.sdk.transforms.DoFn<FetchedCall, String> {
    @ProcessElement
    public void process(@Element FetchedCall call, @Timestamp org.joda.time.Instant ts,
        OutputReceiver<String> out) {
      out.output(call.callId() + "@" + Instant.ofEpochMilli(ts.getMillis()));
    }
  }
}
