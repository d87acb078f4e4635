package com.gongpipeline.transforms;

import com.fasterxml.jackson.databind.JsonNode;
import com.gongpipeline.errors.DeadLetter;
import com.gongpipeline.errors.DeadLetterStage;
import com.gongpipeline.errors.StageResult;
import com.gongpipeline.gong.GongClient;
import com.gongpipeline.gong.GongClientConfig;
import com.gongpipeline.gong.HttpGongClient;
import com.gongpipeline.parse.JsonSupport;
import com.gongpipeline.warehouse.WarehouseRow;
import java.time.Instant;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Impulse;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Reads the tenant's directory, users ({@code GET /v2/users}, all pages) and workspaces
 * ({@code GET /v2/workspaces}), into RAW and STG rows. Gong has no "updated since" filter for
 * users, so every run reads them all; it is a handful of pages.
 */
public final class ReadGongDirectory extends PTransform<PBegin, StageResult<WarehouseRow>> {
  /** RAW and STG rows of users and workspaces. */
  public static final TupleTag<WarehouseRow> DIRECTORY_OUT = new TupleTag<>() {};
  /** Endpoints or records that could not be read. */
  public static final TupleTag<DeadLetter> DIRECTORY_DEADLETTER_OUT = new TupleTag<>() {};

  private final GongClientConfig config;
  private final String jobId;

  public ReadGongDirectory(GongClientConfig config, String jobId) {
    this.config = config;
    this.jobId = jobId;
  }

  @Override
  public StageResult<WarehouseRow> expand(PBegin begin) {
    PCollectionTuple tuple =
        begin
            .apply("Start", Impulse.create())
            .apply(
                "ListUsersAndWorkspaces",
                ParDo.of(new ReadDirectoryFn(config, jobId))
                    .withOutputTags(DIRECTORY_OUT, TupleTagList.of(DIRECTORY_DEADLETTER_OUT)));
    StageResult<WarehouseRow> result =
        StageResult.of(tuple, DIRECTORY_OUT, DIRECTORY_DEADLETTER_OUT);
    result.output().setCoder(SerializableCoder.of(WarehouseRow.class));
    return result;
  }

  static final class ReadDirectoryFn extends DoFn<byte[], WarehouseRow> {
    private final GongClientConfig config;
    private final String jobId;
    private final Counter users = Metrics.counter("pipeline", "users_read");
    private final Counter deadLettered = DeadLetterStage.LIST_USERS.counter();
    private transient GongClient client;

    ReadDirectoryFn(GongClientConfig config, String jobId) {
      this.config = config;
      this.jobId = jobId;
    }

    @Setup
    public void setup() {
      client = new HttpGongClient(config);
    }

    @ProcessElement
    public void process(MultiOutputReceiver out) {
      Instant now = Instant.now();
      try {
        client.listUsers(
            page -> {
              for (JsonNode u : page) {
                emit(out, DeadLetterStage.LIST_USERS, u, () -> WarehouseRows.user(u, jobId, now));
                users.inc();
              }
            });
      } catch (Exception e) {
        deadLettered.inc();
        out.get(DIRECTORY_DEADLETTER_OUT).output(DeadLetter.of(DeadLetterStage.LIST_USERS, "/v2/users", e, null, 1));
      }
      try {
        for (JsonNode w : client.workspaces()) {
          emit(out, DeadLetterStage.LIST_WORKSPACES, w, () -> WarehouseRows.workspace(w, jobId, now));
        }
      } catch (Exception e) {
        deadLettered.inc();
        out.get(DIRECTORY_DEADLETTER_OUT)
            .output(DeadLetter.of(DeadLetterStage.LIST_WORKSPACES, "/v2/workspaces", e, null, 1));
      }
    }

    private void emit(MultiOutputReceiver out, DeadLetterStage stage, JsonNode record,
        java.util.function.Supplier<java.util.List<WarehouseRow>> rows) {
      try {
        for (WarehouseRow r : rows.get()) {
          out.get(DIRECTORY_OUT).output(r);
        }
      } catch (RuntimeException e) {
        deadLettered.inc();
        String key = record.hasNonNull("id") ? record.get("id").asText() : "unknown";
        out.get(DIRECTORY_DEADLETTER_OUT)
            .output(DeadLetter.of(stage, key, e, JsonSupport.write(record), 1));
      }
    }

    @Teardown
    public void teardown() {
      if (client != null) {
        client.close();
      }
    }
  }
}
