package com.gongpipeline.transforms;

import com.fasterxml.jackson.databind.JsonNode;
import com.gongpipeline.errors.DeadLetter;
import com.gongpipeline.errors.DeadLetterStage;
import com.gongpipeline.errors.FailureKind;
import com.gongpipeline.errors.PipelineException;
import com.gongpipeline.errors.RetryPolicy;
import com.gongpipeline.gong.GongClientFactory;
import com.gongpipeline.metrics.MetricNames;
import com.gongpipeline.metrics.MirroredDistribution;
import com.gongpipeline.model.CallIdBatch;
import com.gongpipeline.model.FetchedCall;
import com.gongpipeline.parse.JsonSupport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.values.TupleTag;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Fetches details ({@code /v2/calls/extensive}) and transcripts ({@code /v2/calls/transcript}) for
 * one batch of call ids and joins them by call id.
 *
 * <p>Gong can list a call before its details are ready (the "transcript race"): ids missing from
 * the details response are asked for again through the pipeline's {@link RetryPolicy} (a {@link
 * FailureKind#RETRYABLE} "details missing" outcome, a few attempts) before they become dead
 * letters. A client failure is not retried here, since the client already retried what its kind
 * allows: the batch's remaining ids become one dead letter each, with the failure's kind.
 */
final class FetchCallsFn extends GongClientFn<CallIdBatch, FetchedCall> {
  /** Three attempts about 1 s, then 1.5 s apart (FluentBackoff jitter ±50 %). */
  static final RetryPolicy DEFAULT_MISSING_DETAILS_RETRY =
      RetryPolicy.builder()
          .withMaxAttempts(3)
          .withInitialBackoff(Duration.ofSeconds(1))
          .withMaxBackoff(Duration.ofSeconds(2))
          .build();

  private final RetryPolicy missingDetailsRetry;
  private final TupleTag<FetchedCall> out;
  private final TupleTag<DeadLetter> deadLetters;
  private final Counter callsFetched = Metrics.counter("pipeline", "calls_fetched");
  private final Counter transcriptsFetched = Metrics.counter("pipeline", "transcripts_fetched");
  private final Counter deadLettered = DeadLetterStage.FETCH_CALLS.counter();
  private final MirroredDistribution batchMillis =
      MirroredDistribution.of(MetricNames.FETCH_BATCH_MS);

  FetchCallsFn(GongClientFactory clients, RetryPolicy missingDetailsRetry,
      TupleTag<FetchedCall> out, TupleTag<DeadLetter> deadLetters) {
    super(clients);
    this.missingDetailsRetry = missingDetailsRetry;
    this.out = out;
    this.deadLetters = deadLetters;
  }

  /** Some listed ids were not in the details response (yet): worth asking again. */
  private static final class DetailsMissing extends PipelineException {
    private static final long serialVersionUID = 1L;

    DetailsMissing(int missing, int attempt) {
      super(FailureKind.RETRYABLE, missing + " call(s) not yet in /v2/calls/extensive", null,
          attempt, null);
    }
  }

  @ProcessElement
  public void process(@Element CallIdBatch batch, MultiOutputReceiver receiver) {
    long start = System.currentTimeMillis();
    Set<String> wanted = new LinkedHashSet<>(batch.callIds());
    RuntimeException[] clientFailure = new RuntimeException[1];
    try {
      missingDetailsRetry.run(
          "fetch " + wanted.size() + " call(s)",
          attempt -> {
            try {
              fetchOnce(wanted, receiver);
            } catch (RuntimeException e) {
              clientFailure[0] = e; // already retried by the client: never again here
              return null;
            }
            if (!wanted.isEmpty()) {
              throw new DetailsMissing(wanted.size(), attempt);
            }
            return null;
          });
    } catch (DetailsMissing stillMissing) {
      // Dead-lettered below, with the message operators know.
    }
    int attempts = missingDetailsRetry.maxAttempts();
    for (String id : wanted) {
      deadLettered.inc();
      @Nullable RuntimeException error = clientFailure[0];
      DeadLetter dl =
          error != null
              ? DeadLetter.of(DeadLetterStage.FETCH_CALLS, id, error,
                  String.join(",", batch.callIds()), attempts)
              : DeadLetter.of(DeadLetterStage.FETCH_CALLS, id, FailureKind.RETRYABLE,
                  "call listed by /v2/calls but not returned by /v2/calls/extensive after "
                      + attempts + " attempts",
                  String.join(",", batch.callIds()));
      receiver.get(deadLetters).output(dl);
    }
    batchMillis.update(System.currentTimeMillis() - start);
  }

  /** One round: details for the wanted ids, transcripts for those with details, output, forget. */
  private void fetchOnce(Set<String> wanted, MultiOutputReceiver receiver) {
    List<String> ids = new ArrayList<>(wanted);
    Map<String, String> details = new HashMap<>();
    for (JsonNode call : client.callsExtensive(ids)) {
      String id = JsonSupport.text(call.get("metaData"), "id");
      if (id != null && wanted.contains(id)) {
        details.put(id, JsonSupport.write(call));
      }
    }
    List<String> withDetails = new ArrayList<>();
    for (String id : ids) {
      if (details.containsKey(id)) {
        withDetails.add(id);
      }
    }
    Map<String, String> transcripts = new HashMap<>();
    if (!withDetails.isEmpty()) {
      for (JsonNode t : client.transcripts(withDetails)) {
        String id = JsonSupport.text(t, "callId");
        if (id != null) {
          transcripts.put(id, JsonSupport.write(t));
        }
      }
    }
    long version = FetchedCall.versionAt(java.time.Instant.now()); // newer fetch, newer version
    for (String id : withDetails) {
      receiver.get(out).output(
          new FetchedCall(id, details.get(id), transcripts.get(id), version));
      callsFetched.inc();
      if (transcripts.containsKey(id)) {
        transcriptsFetched.inc();
      }
      wanted.remove(id);
    }
  }
}
