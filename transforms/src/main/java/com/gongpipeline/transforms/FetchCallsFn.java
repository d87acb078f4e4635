package com.gongpipeline.transforms;

import com.fasterxml.jackson.databind.JsonNode;
import com.gongpipeline.errors.DeadLetter;
import com.gongpipeline.errors.DeadLetterStage;
import com.gongpipeline.errors.FailureKind;
import com.gongpipeline.gong.GongClient;
import com.gongpipeline.gong.GongClientConfig;
import com.gongpipeline.gong.HttpGongClient;
import com.gongpipeline.metrics.MetricNames;
import com.gongpipeline.metrics.MirroredDistribution;
import com.gongpipeline.model.CallIdBatch;
import com.gongpipeline.model.FetchedCall;
import com.gongpipeline.parse.JsonSupport;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Fetches details ({@code /v2/calls/extensive}) and transcripts ({@code /v2/calls/transcript}) for
 * one batch of call ids and joins them by call id.
 *
 * <p>Gong can list a call before its details are ready (the "transcript race"): ids missing from
 * the details response are asked for again a few times before they become dead letters. A batch
 * whose requests fail after the client's own retries becomes one dead letter per call id.
 */
final class FetchCallsFn extends DoFn<CallIdBatch, FetchedCall> {
  static final int MISSING_DETAIL_ATTEMPTS = 3;

  private final GongClientConfig config;
  private final TupleTag<FetchedCall> out;
  private final TupleTag<DeadLetter> deadLetters;
  private final Counter callsFetched = Metrics.counter("pipeline", "calls_fetched");
  private final Counter transcriptsFetched = Metrics.counter("pipeline", "transcripts_fetched");
  private final Counter deadLettered = DeadLetterStage.FETCH_CALLS.counter();
  private final MirroredDistribution batchMillis =
      MirroredDistribution.of(MetricNames.FETCH_BATCH_MS);
  private transient GongClient client;

  FetchCallsFn(GongClientConfig config, TupleTag<FetchedCall> out, TupleTag<DeadLetter> deadLetters) {
    this.config = config;
    this.out = out;
    this.deadLetters = deadLetters;
  }

  @Setup
  public void setup() {
    client = new HttpGongClient(config);
  }

  @ProcessElement
  public void process(@Element CallIdBatch batch, MultiOutputReceiver receiver)
      throws InterruptedException {
    long start = System.currentTimeMillis();
    Set<String> wanted = new LinkedHashSet<>(batch.callIds());
    Map<String, String> details = new HashMap<>();
    Map<String, String> transcripts = new HashMap<>();
    Exception lastError = null;
    for (int attempt = 1; attempt <= MISSING_DETAIL_ATTEMPTS && !wanted.isEmpty(); attempt++) {
      List<String> ids = new ArrayList<>(wanted);
      try {
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
        if (!withDetails.isEmpty()) {
          for (JsonNode t : client.transcripts(withDetails)) {
            String id = JsonSupport.text(t, "callId");
            if (id != null) {
              transcripts.put(id, JsonSupport.write(t));
            }
          }
        }
        for (String id : withDetails) {
          receiver.get(out).output(new FetchedCall(id, details.get(id), transcripts.get(id)));
          callsFetched.inc();
          if (transcripts.containsKey(id)) {
            transcriptsFetched.inc();
          }
          wanted.remove(id);
        }
        lastError = null;
      } catch (Exception e) {
        // The client already retried transient errors; this batch failed for good.
        lastError = e;
        break;
      }
      if (!wanted.isEmpty() && attempt < MISSING_DETAIL_ATTEMPTS) {
        Thread.sleep(1000L * attempt);
      }
    }
    for (String id : wanted) {
      deadLettered.inc();
      DeadLetter dl =
          lastError != null
              ? DeadLetter.of(DeadLetterStage.FETCH_CALLS, id, lastError, String.join(",", batch.callIds()),
                  MISSING_DETAIL_ATTEMPTS)
              : DeadLetter.of(DeadLetterStage.FETCH_CALLS, id, FailureKind.RETRYABLE,
                  "call listed by /v2/calls but not returned by /v2/calls/extensive after "
                      + MISSING_DETAIL_ATTEMPTS + " attempts",
                  String.join(",", batch.callIds()));
      receiver.get(deadLetters).output(dl);
    }
    batchMillis.update(System.currentTimeMillis() - start);
  }

  @Teardown
  public void teardown() {
    if (client != null) {
      client.close();
    }
  }
}
