package com.gongpipeline.transforms;

import com.fasterxml.jackson.databind.JsonNode;
import com.gongpipeline.errors.DeadLetter;
import com.gongpipeline.errors.DeadLetterStage;
import com.gongpipeline.gong.GongClientFactory;
import com.gongpipeline.parse.JsonSupport;
import com.gongpipeline.warehouse.WarehouseRow;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Reads users (all pages) and workspaces once and emits their RAW and STG rows. An endpoint that
 * fails (after the client's own retries) becomes one dead letter with its failure kind; a record
 * that cannot be turned into rows becomes one dead letter with the record as payload. The client
 * comes from the factory in {@code @Setup}. Used by {@link GongIO.ReadDirectory}, keyed by the
 * tenant: a stateful DoFn, so a tenant's directory is read on one worker at a time.
 */
final class ReadDirectoryFn extends GongClientFn<KV<String, byte[]>, WarehouseRow> {
  /** Makes this DoFn stateful: its tenant key is processed on one worker at a time. */
  @StateId("tenant")
  private final StateSpec<ValueState<Boolean>> tenantSpec = StateSpecs.value(BooleanCoder.of());

  private final String jobId;
  private final TupleTag<WarehouseRow> rowsOut;
  private final TupleTag<DeadLetter> deadLettersOut;
  private final Counter users = Metrics.counter("pipeline", "users_read");
  private final Counter deadLettered = DeadLetterStage.LIST_USERS.counter();

  ReadDirectoryFn(GongClientFactory clients, String jobId, TupleTag<WarehouseRow> rowsOut,
      TupleTag<DeadLetter> deadLettersOut) {
    super(clients);
    this.jobId = jobId;
    this.rowsOut = rowsOut;
    this.deadLettersOut = deadLettersOut;
  }

  @ProcessElement
  public void process(@StateId("tenant") ValueState<Boolean> tenant, MultiOutputReceiver out) {
    Instant now = Instant.now();
    try {
      client.listUsers(
          page -> {
            for (JsonNode u : page) {
              emit(out, DeadLetterStage.LIST_USERS, u, () -> WarehouseRows.user(u, jobId, now));
              users.inc();
            }
          });
    } catch (RuntimeException e) {
      deadLettered.inc();
      out.get(deadLettersOut)
          .output(DeadLetter.of(DeadLetterStage.LIST_USERS, "/v2/users", e, null, 1));
    }
    try {
      for (JsonNode w : client.workspaces()) {
        emit(out, DeadLetterStage.LIST_WORKSPACES, w, () -> WarehouseRows.workspace(w, jobId, now));
      }
    } catch (RuntimeException e) {
      deadLettered.inc();
      out.get(deadLettersOut)
          .output(DeadLetter.of(DeadLetterStage.LIST_WORKSPACES, "/v2/workspaces", e, null, 1));
    }
  }

  private void emit(MultiOutputReceiver out, DeadLetterStage stage, JsonNode record,
      Supplier<List<WarehouseRow>> rows) {
    try {
      for (WarehouseRow r : rows.get()) {
        out.get(rowsOut).output(r);
      }
    } catch (RuntimeException e) {
      deadLettered.inc();
      String key = record.hasNonNull("id") ? record.get("id").asText() : "unknown";
      out.get(deadLettersOut).output(DeadLetter.of(stage, key, e, JsonSupport.write(record), 1));
    }
  }
}
