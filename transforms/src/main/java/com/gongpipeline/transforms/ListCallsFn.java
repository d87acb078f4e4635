package com.gongpipeline.transforms;

import com.fasterxml.jackson.databind.JsonNode;
import com.gongpipeline.errors.DeadLetter;
import com.gongpipeline.errors.DeadLetterStage;
import com.gongpipeline.errors.FailureKind;
import com.gongpipeline.gong.GongClient;
import com.gongpipeline.gong.GongClientFactory;
import com.gongpipeline.model.CallIdBatch;
import com.gongpipeline.model.ListedWindow;
import com.gongpipeline.model.TimeWindow;
import com.gongpipeline.parse.JsonSupport;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Lists the call ids of one window ({@code GET /v2/calls}, every page) and emits them in batches of
 * at most {@code maxCallIdsPerRequest}. A window that cannot be listed (after the client's own
 * retries) becomes one dead letter naming the window, with the failure's kind; any batches already
 * emitted stay valid (writes are MERGEs). A listed call without an id is a PERMANENT dead letter
 * ({@code calls[n].id}, n its position in the window) with the listed object as payload. The
 * client comes from the factory in {@code @Setup}.
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
    list(client, window, receiver.get(out)::output, receiver.get(deadLetters)::output,
        receiver.get(complete)::output);
  }

  /**
   * Lists one window with {@code client}: batches of listed ids to {@code batches}, a listing
   * failure to {@code failures}, and only after the last page (no failure) the window's complete
   * listing to {@code complete} (see {@link ListedWindow}). Also called by {@link CallGongFn}, the keyed stage that does all
   * of a tenant's Gong requests.
   */
  void list(GongClient client, TimeWindow window, Consumer<CallIdBatch> batches,
      Consumer<DeadLetter> failures, Consumer<ListedWindow> complete) {
    int max = maxCallIdsPerRequest;
    List<String> pending = new ArrayList<>();
    List<String> all = new ArrayList<>();
    int[] position = {0}; // of the listed call in the window, across pages
    try {
      client.listCalls(
          window.from(),
          window.to(),
          page -> {
            for (JsonNode call : page) {
              int at = position[0]++;
              String id = JsonSupport.text(call, "id");
              if (id == null || id.isBlank()) {
                // Never skipped uncounted: a PERMANENT dead letter naming the field (it cannot be
                // fetched, so it does not hold the incremental mark).
                deadLettered.inc();
                failures.accept(DeadLetter.of(DeadLetterStage.LIST_CALLS,
                    window + " calls[" + at + "].id", FailureKind.PERMANENT,
                    "calls[" + at + "].id: a call listed by /v2/calls has no id",
                    JsonSupport.write(call)));
                continue;
              }
              pending.add(id);
              all.add(id);
              callsListed.inc();
              if (pending.size() == max) {
                batches.accept(new CallIdBatch(window, List.copyOf(pending)));
                pending.clear();
              }
            }
          });
      if (!pending.isEmpty()) {
        batches.accept(new CallIdBatch(window, List.copyOf(pending)));
      }
      windowsListed.inc();
      // Only now, after the last page: the window's complete listing (see ListedWindow).
      complete.accept(new ListedWindow(window, all));
    } catch (RuntimeException e) {
      // The client already retried what its kind allows (no retry here). Emit what was listed
      // (those calls are real); the dead letter names the whole window and records the kind.
      if (!pending.isEmpty()) {
        batches.accept(new CallIdBatch(window, List.copyOf(pending)));
      }
      deadLettered.inc();
      failures.accept(
          DeadLetter.of(DeadLetterStage.LIST_CALLS, window.toString(), e, window.toString(), 1));
    }
  }
}
