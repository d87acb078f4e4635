package com.gongpipeline.transforms;

import com.fasterxml.jackson.databind.JsonNode;
import com.gongpipeline.errors.DeadLetter;
import com.gongpipeline.errors.DeadLetterStage;
import com.gongpipeline.errors.FailureKind;
import com.gongpipeline.errors.PipelineException;
import com.gongpipeline.errors.RetryPolicy;
import com.gongpipeline.gong.GongClient;
import com.gongpipeline.gong.GongClientFactory;
import com.gongpipeline.metrics.MetricNames;
import com.gongpipeline.metrics.MirroredDistribution;
import com.gongpipeline.model.CallIdBatch;
import com.gongpipeline.model.FetchedCall;
import com.gongpipeline.parse.JsonSupport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Fetches details ({@code /v2/calls/extensive}) and transcripts ({@code /v2/calls/transcript}) for
 * one batch of call ids and joins them by call id.
 *
 * <p>Gong can list a call before its details are ready (the "transcript race"): ids missing from
 * the details response are asked for again through the pipeline's {@link RetryPolicy} (a {@link
 * FailureKind#RETRYABLE} "details missing" outcome, a few attempts) before they become dead
 * letters.
 *
 * <p><b>Missing is not empty.</b> A call is emitted only with a transcript Gong positively sent:
 * an entry for the call whose {@code transcript} is an array (possibly empty: a call without
 * speech). A call whose transcript entry is absent, or whose {@code transcript} is not an array, is
 * asked for again under the same policy and then dead-lettered ({@code fetch_calls}, naming the
 * call): it is not emitted, so nothing stored for it (RAW, STG, turns, chunks) is rewritten or
 * deleted.
 *
 * <p><b>Bisection.</b> A request that fails (after the client's own retries) is split in halves,
 * down to single ids, so that one poison call fails alone and the rest of its batch lands. Failures
 * that are not about the ids (rate limits and quota, configuration) are not bisected, and one batch
 * spends at most {@link #MAX_BISECT_REQUESTS} extra requests on bisection (an outage does not turn
 * into 2n requests); ids left unresolved become one dead letter each, with the failure's kind.
 */
final class FetchCallsFn extends GongClientFn<CallIdBatch, FetchedCall> {
  /** Three attempts about 1 s, then 1.5 s apart (FluentBackoff jitter ±50 %). */
  static final RetryPolicy DEFAULT_MISSING_DETAILS_RETRY =
      RetryPolicy.builder()
          .withMaxAttempts(3)
          .withInitialBackoff(Duration.ofSeconds(1))
          .withMaxBackoff(Duration.ofSeconds(2))
          .build();

  /** Extra requests one batch may spend splitting failed requests (one poison id in 100: 14). */
  static final int MAX_BISECT_REQUESTS = 32;

  private final RetryPolicy missingDetailsRetry;
  private final TupleTag<FetchedCall> out;
  private final TupleTag<DeadLetter> deadLetters;
  private final Counter callsFetched = Metrics.counter("pipeline", "calls_fetched");
  private final Counter transcriptsFetched = Metrics.counter("pipeline", "transcripts_fetched");
  private final Counter transcriptsMissing = Metrics.counter("pipeline", "transcripts_missing");
  private final Counter bisections = Metrics.counter("pipeline", "fetch_bisections");
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

  /** Some ids had no details or no transcript (yet): worth asking again. */
  private static final class NotYetReturned extends PipelineException {
    private static final long serialVersionUID = 1L;

    NotYetReturned(int missing, int attempt) {
      super(FailureKind.RETRYABLE, missing + " call(s) without details or transcript yet", null,
          attempt, null);
    }
  }

  /** What one batch has resolved so far, across attempts. */
  private static final class BatchState {
    final Set<String> wanted;
    /** Details JSON of ids that have them (asked for once, not again). */
    final Map<String, String> details = new HashMap<>();
    /** Why an id's transcript was not usable on the last attempt. */
    final Map<String, String> transcriptProblem = new HashMap<>();
    /** Ids whose request failed for good (no more attempts), with the failure. */
    final Map<String, RuntimeException> failed = new LinkedHashMap<>();
    int bisectBudget = MAX_BISECT_REQUESTS;

    BatchState(List<String> ids) {
      wanted = new LinkedHashSet<>(ids);
    }
  }

  @ProcessElement
  public void process(@Element CallIdBatch batch, MultiOutputReceiver receiver) {
    fetch(client, batch, receiver.get(out)::output, receiver.get(deadLetters)::output);
  }

  /**
   * Fetches one batch with {@code client}: calls to {@code calls}, ids that could not be fetched
   * to {@code failures}. Also called by {@link CallGongFn}, the keyed stage that does all of a
   * tenant's Gong requests.
   */
  void fetch(GongClient client, CallIdBatch batch, Consumer<FetchedCall> calls,
      Consumer<DeadLetter> failures) {
    long start = System.currentTimeMillis();
    BatchState state = new BatchState(batch.callIds());
    try {
      missingDetailsRetry.run(
          "fetch " + state.wanted.size() + " call(s)",
          attempt -> {
            fetchOnce(client, state, calls);
            if (!state.wanted.isEmpty()) {
              throw new NotYetReturned(state.wanted.size(), attempt);
            }
            return null;
          });
    } catch (NotYetReturned stillMissing) {
      // Dead-lettered below, with the message operators know.
    }
    int attempts = missingDetailsRetry.maxAttempts();
    String payload = String.join(",", batch.callIds());
    for (Map.Entry<String, RuntimeException> f : state.failed.entrySet()) {
      deadLettered.inc();
      failures.accept(
          DeadLetter.of(DeadLetterStage.FETCH_CALLS, f.getKey(), f.getValue(), payload, attempts));
    }
    for (String id : state.wanted) {
      deadLettered.inc();
      String problem = state.transcriptProblem.get(id);
      String message = !state.details.containsKey(id)
          ? "call listed by /v2/calls but not returned by /v2/calls/extensive after "
              + attempts + " attempts"
          : "transcript of call " + id + " " + problem + " after " + attempts
              + " attempts (missing is not empty: stored turns and chunks are kept)";
      if (problem != null) {
        transcriptsMissing.inc();
      }
      failures.accept(
          new DeadLetter(DeadLetterStage.FETCH_CALLS, id, FailureKind.RETRYABLE, message, null,
              payload, attempts, java.time.Instant.now()));
    }
    batchMillis.update(System.currentTimeMillis() - start);
  }

  /**
   * One round: details for wanted ids without them, transcripts for those with details; emits each
   * call that has both, and forgets it. Ids whose requests fail for good move to {@code failed}.
   */
  private void fetchOnce(GongClient client, BatchState state, Consumer<FetchedCall> calls) {
    List<String> needDetails = new ArrayList<>();
    for (String id : state.wanted) {
      if (!state.details.containsKey(id)) {
        needDetails.add(id);
      }
    }
    if (!needDetails.isEmpty()) {
      Map<String, JsonNode> got = bisecting(needDetails, state,
          ids -> byId(client.callsExtensive(ids), call -> JsonSupport.text(call.get("metaData"),
              "id")));
      got.forEach((id, call) -> {
        if (state.wanted.contains(id)) {
          state.details.put(id, JsonSupport.write(call));
        }
      });
    }
    List<String> withDetails = new ArrayList<>();
    for (String id : state.wanted) {
      if (state.details.containsKey(id)) {
        withDetails.add(id);
      }
    }
    if (withDetails.isEmpty()) {
      return;
    }
    Map<String, JsonNode> transcripts = bisecting(withDetails, state,
        ids -> byId(client.transcripts(ids), t -> JsonSupport.text(t, "callId")));
    long version = FetchedCall.versionAt(java.time.Instant.now()); // newer fetch, newer version
    for (String id : withDetails) {
      if (state.failed.containsKey(id)) {
        continue;
      }
      JsonNode t = transcripts.get(id);
      if (t == null) {
        state.transcriptProblem.put(id, "not returned by /v2/calls/transcript");
        continue;
      }
      JsonNode monologues = t.get("transcript");
      if (monologues == null || !monologues.isArray()) {
        state.transcriptProblem.put(id, "returned by /v2/calls/transcript without a "
            + "'transcript' array (" + (monologues == null ? "absent" : monologues.getNodeType())
            + ")");
        continue;
      }
      state.transcriptProblem.remove(id);
      calls.accept(new FetchedCall(id, state.details.get(id), JsonSupport.write(t), version));
      callsFetched.inc();
      transcriptsFetched.inc();
      state.wanted.remove(id);
    }
  }

  /**
   * {@code fetch} for {@code ids}; when it fails, the halves separately (down to single ids, within
   * the batch's bisection budget). Ids that still fail are removed from {@code state.wanted} into
   * {@code state.failed}; the result holds what the successful requests returned.
   */
  private Map<String, JsonNode> bisecting(List<String> ids, BatchState state,
      Function<List<String>, Map<String, JsonNode>> fetch) {
    try {
      return fetch.apply(ids);
    } catch (RuntimeException e) {
      FailureKind kind = PipelineException.kindOf(e);
      boolean aboutTheIds = kind == FailureKind.RETRYABLE || kind == FailureKind.PERMANENT;
      if (ids.size() == 1 || !aboutTheIds || state.bisectBudget < 2) {
        for (String id : ids) {
          state.failed.put(id, e); // already retried by the client: never again here
          state.wanted.remove(id);
        }
        return Map.of();
      }
      state.bisectBudget -= 2;
      bisections.inc();
      int half = ids.size() / 2;
      Map<String, JsonNode> out = new HashMap<>(bisecting(ids.subList(0, half), state, fetch));
      out.putAll(bisecting(ids.subList(half, ids.size()), state, fetch));
      return out;
    }
  }

  private static Map<String, JsonNode> byId(List<JsonNode> items,
      Function<JsonNode, String> idOf) {
    Map<String, JsonNode> out = new HashMap<>();
    for (JsonNode item : items) {
      String id = idOf.apply(item);
      if (id != null) {
        out.putIfAbsent(id, item);
      }
    }
    return out;
  }
}
