package com.gongpipeline.transforms;

import com.fasterxml.jackson.databind.JsonNode;
import com.gongpipeline.errors.DeadLetter;
import com.gongpipeline.errors.DeadLetterStage;
import com.gongpipeline.gong.GongClientFactory;
import com.gongpipeline.model.CallIdBatch;
import com.gongpipeline.model.ListedWindow;
import com.gongpipeline.model.TimeWindow;
import com.gongpipeline.parse.JsonSupport;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Lists the call ids of one window ({@code GET /v2/calls}, every page) and emits them in batches of
 * at most {@code maxCallIdsPerRequest}. A window that cannot be listed (after the client's own
 * retries) becomes one dead letter naming the window, with the failure's kind; any batches already
 * emitted stay valid (writes are MERGEs). The client comes from the factory in {@code @Setup}.
 */
final class ListCallsFn extends GongClientFn<TimeWindow, CallIdBatch> {
  private final int maxCallIdsPerRequest;
  private final TupleTag<CallIdBatch> out;
  private final TupleTag<DeadLetter> deadLetters;
  private final TupleTag<ListedWindow> complete;
  private final Counter callsListed = Metrics.counter("pipeline", "calls_listed");
  private final Counter windowsListed = Metrics.counter("pipeline", "windows_listed");
  private final Counter deadLettered = DeadLetterStage.LIST_CALLS.counter();

  ListCallsFn(GongClientFactory clients, int maxCallIdsPerRequest, TupleTag<CallIdBatch> out,
      TupleTag<DeadLetter> deadLetters, TupleTag<ListedWindow> complete) {
    super(clients);
    this.maxCallIdsPerRequest = maxCallIdsPerRequest;
    this.out = out;
    this.deadLetters = deadLetters;
    this.complete = complete;
  }

  @ProcessElement
  public void process(@Element TimeWindow window, MultiOutputReceiver receiver) {
    int max = maxCallIdsPerRequest;
    List<String> pending = new ArrayList<>();
    List<String> all = new ArrayList<>();
    try {
      client.listCalls(
          window.from(),
          window.to(),
          page -> {
            for (JsonNode call : page) {
              String id = JsonSupport.text(call, "id");
              if (id == null) {
                continue;
              }
              pending.add(id);
              all.add(id);
              callsListed.inc();
              if (pending.size() == max) {
                receiver.get(out).output(new CallIdBatch(window, List.copyOf(pending)));
                pending.clear();
              }
            }
          });
      if (!pending.isEmpty()) {
        receiver.get(out).output(new CallIdBatch(window, List.copyOf(pending)));
      }
      windowsListed.inc();
      // Only now, after the last page: the window's complete listing (see ListedWindow).
      receiver.get(complete).output(new ListedWindow(window, all));
    } catch (RuntimeException e) {
      // The client already retried what its kind allows (no retry here). Emit what was listed
      // (those calls are real); the dead letter names the whole window and records the kind.
      if (!pending.isEmpty()) {
        receiver.get(out).output(new CallIdBatch(window, List.copyOf(pending)));
      }
      deadLettered.inc();
      receiver
          .get(deadLetters)
          .output(DeadLetter.of(DeadLetterStage.LIST_CALLS, window.toString(), e, window.toString(), 1));
    }
  }
}
