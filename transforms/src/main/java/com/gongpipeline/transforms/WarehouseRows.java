package com.gongpipeline.transforms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.gongpipeline.errors.DeadLetter;
import com.gongpipeline.gong.GongJson;
import com.gongpipeline.model.CallChunks;
import com.gongpipeline.model.CallContext;
import com.gongpipeline.model.EnrichedChunk;
import com.gongpipeline.model.FetchedCall;
import com.gongpipeline.model.SpeakerChunk;
import com.gongpipeline.parse.JsonSupport;
import com.gongpipeline.warehouse.ChildKeys;
import com.gongpipeline.warehouse.WarehouseRow;
import com.gongpipeline.warehouse.WarehouseRow.Json;
import com.gongpipeline.warehouse.WarehouseTable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Maps pipeline values onto warehouse rows: RAW payloads, AI_MEMORY records and dead letters.
 * Pure functions, so each mapping is unit-tested without Beam.
 */
public final class WarehouseRows {
  private WarehouseRows() {}

  /** RAW rows for one fetched call: the details object and, when present, the transcript. */
  public static List<WarehouseRow> raw(FetchedCall call, String jobId, Instant now) {
    List<WarehouseRow> rows = new ArrayList<>(2);
    JsonNode details = JsonSupport.parse(call.callJson());
    rows.add(
        rawRow(WarehouseTable.RAW_CALLS, call.callId(), call.callJson(), details, jobId, now)
            .set("CALL_STARTED_AT",
                GongJson.parseInstant(JsonSupport.text(details.get("metaData"), "started")))
            .build());
    if (call.transcriptJson() != null) {
      rows.add(rawRow(WarehouseTable.RAW_TRANSCRIPTS, call.callId(), call.transcriptJson(),
          JsonSupport.parse(call.transcriptJson()), jobId, now).build());
    }
    return rows;
  }

  /**
   * A RAW row: the payload text as Gong sent it, its content hash (volatile fields excluded), job
   * id and ingestion time, keyed by the table's single key column.
   */
  private static WarehouseRow.Builder rawRow(WarehouseTable table, String id, String payload,
      JsonNode parsed, String jobId, Instant now) {
    return WarehouseRow.of(table)
        .set(table.keyColumns().get(0), id)
        .set("PAYLOAD", new Json(payload))
        .set("PAYLOAD_HASH", JsonSupport.contentHash(parsed))
        .set("JOB_ID", jobId)
        .set("INGESTED_AT", now);
  }

  private static String requiredId(JsonNode node, String what) {
    String id = JsonSupport.text(node, "id");
    if (id == null) {
      throw new IllegalArgumentException(what + " has no id");
    }
    return id;
  }

  /** The stable id of a chunk in AI_MEMORY: source, call and chunk position. */
  public static String memoryId(SpeakerChunk chunk) {
    return memoryId(chunk.callId(), chunk.chunkIndex());
  }

  private static String memoryId(String callId, int chunkIndex) {
    return "gong:" + callId + ":" + chunkIndex;
  }

  /** The AI_MEMORY key set of a call's chunks: its rows whose MEMORY_ID is not in it are stale. */
  public static ChildKeys memoryKeys(CallChunks chunks) {
    List<String> ids = new ArrayList<>(chunks.chunkIndexes().size());
    for (int i : chunks.chunkIndexes()) {
      ids.add(memoryId(chunks.callId(), i));
    }
    return new ChildKeys(WarehouseTable.MEMORY_RECORDS, "SOURCE_ID", chunks.callId(), "MEMORY_ID",
        ids, chunks.version());
  }

  /** One {@code AI_MEMORY.MEMORY_RECORDS} row. */
  public static WarehouseRow memory(EnrichedChunk e, String jobId, Instant now) {
    SpeakerChunk c = e.chunk();
    CallContext ctx = e.context();
    ObjectNode meta = JsonNodeFactory.instance.objectNode();
    meta.put("title", ctx.title());
    meta.put("started", ctx.started() == null ? null : ctx.started().toString());
    meta.put("account", ctx.accountName());
    meta.put("hubspot_deal_id", ctx.hubspotDealId());
    meta.put("hubspot_company_id", ctx.hubspotCompanyId());
    meta.put("salesforce_opportunity_id", ctx.salesforceOpportunityId());
    meta.put("language", ctx.language());
    meta.put("workspace_id", ctx.workspaceId());
    meta.put("call_url", ctx.callUrl());
    meta.put("turn_index", c.turnIndex());
    return WarehouseRow.of(WarehouseTable.MEMORY_RECORDS)
        .set("MEMORY_ID", memoryId(c))
        .set("SOURCE_TYPE", "gong")
        .set("SOURCE_ID", c.callId())
        .set("CHUNK_INDEX", c.chunkIndex())
        .set("TURN_INDEX", c.turnIndex())
        .set("SPEAKER_ID", c.speakerId())
        .set("SPEAKER_NAME", c.speakerName())
        .set("AFFILIATION", c.affiliation())
        .set("START_MS", c.startMs())
        .set("END_MS", c.endMs())
        .set("CONTENT", c.text())
        .set("CONTENT_HASH", JsonSupport.sha256(c.text()))
        .set("TOKEN_COUNT", c.tokenCount())
        .set("EMBEDDING", e.embedding())
        .set("EMBEDDING_MODEL", e.embeddingModel())
        .set("EMBEDDING_DIM", e.embedding().length)
        .set("SENTIMENT_SCORE", Double.isNaN(e.sentiment()) ? null : e.sentiment()) // NaN: nothing to read
        .set("SENTIMENT_MODEL", e.sentimentModel())
        .set("METADATA", new Json(JsonSupport.write(meta)))
        .set("JOB_ID", jobId)
        .set("LOADED_AT", now)
        .build().withCallVersion(ctx.version());
  }

  /** One {@code OPS_MONITORING.DEAD_LETTER} row; its id makes a retried bundle write it once. */
  public static WarehouseRow deadLetter(DeadLetter d, String jobId, Instant now) {
    return WarehouseRow.of(WarehouseTable.DEAD_LETTER)
        .set("DEAD_LETTER_ID", JsonSupport.sha256(jobId + "|" + d.stage().stageName() + "|" + d.recordKey()))
        .set("JOB_ID", jobId)
        .set("STAGE", d.stage().stageName())
        .set("RECORD_KEY", d.recordKey())
        .set("FAILURE_KIND", d.kind().name())
        .set("ERROR_MESSAGE", d.errorMessage())
        .set("STACK_TRACE", d.stackTrace())
        .set("PAYLOAD", d.payload())
        .set("ATTEMPTS", d.attempts())
        .set("FAILED_AT", d.failedAt())
        .set("LOADED_AT", now)
        .build();
  }

  /**
   * A row as JSON for a dead letter's payload: vectors as number arrays, JSON columns embedded
   * (or as text when not valid JSON), timestamps as ISO-8601, so the row can be replayed.
   */
  public static String payloadJson(WarehouseRow row) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("_table", row.table().qualifiedName());
    row.values().forEach((column, v) -> {
      if (v == null) {
        o.putNull(column);
      } else if (v instanceof float[] f) {
        var arr = o.putArray(column);
        for (float x : f) {
          arr.add(x);
        }
      } else if (v instanceof WarehouseRow.Json j) {
        try {
          o.set(column, JsonSupport.parse(j.text()));
        } catch (IllegalArgumentException notJson) {
          o.put(column, j.text());
        }
      } else if (v instanceof Number n) {
        o.putPOJO(column, n);
      } else if (v instanceof Boolean b) {
        o.put(column, b);
      } else {
        o.put(column, v.toString());
      }
    });
    return JsonSupport.write(o);
  }

  /** RAW + STG rows for one Gong user. */
  public static List<WarehouseRow> user(JsonNode u, String jobId, Instant now) {
    String id = requiredId(u, "user");
    return List.of(
        rawRow(WarehouseTable.RAW_USERS, id, JsonSupport.write(u), u, jobId, now).build(),
        WarehouseRow.of(WarehouseTable.STG_USERS)
            .set("USER_ID", id)
            .set("EMAIL_ADDRESS", JsonSupport.text(u, "emailAddress"))
            .set("FIRST_NAME", JsonSupport.text(u, "firstName"))
            .set("LAST_NAME", JsonSupport.text(u, "lastName"))
            .set("TITLE", JsonSupport.text(u, "title"))
            .set("PHONE_NUMBER", JsonSupport.text(u, "phoneNumber"))
            .set("MANAGER_ID", JsonSupport.text(u, "managerId"))
            .set("ACTIVE", u.hasNonNull("active") ? u.get("active").asBoolean() : null)
            .set("CREATED_AT_UTC", GongJson.parseInstant(JsonSupport.text(u, "created")))
            .set("SPOKEN_LANGUAGES",
                u.hasNonNull("spokenLanguages")
                    ? new Json(JsonSupport.write(u.get("spokenLanguages"))) : null)
            .set("JOB_ID", jobId)
            .set("LOADED_AT", now)
            .build());
  }

  /** RAW + STG rows for one workspace. */
  public static List<WarehouseRow> workspace(JsonNode w, String jobId, Instant now) {
    String id = requiredId(w, "workspace");
    return List.of(
        rawRow(WarehouseTable.RAW_WORKSPACES, id, JsonSupport.write(w), w, jobId, now).build(),
        WarehouseRow.of(WarehouseTable.STG_WORKSPACES)
            .set("WORKSPACE_ID", id)
            .set("WORKSPACE_NAME", JsonSupport.text(w, "name"))
            .set("DESCRIPTION", JsonSupport.text(w, "description"))
            .set("JOB_ID", jobId)
            .set("LOADED_AT", now)
            .build());
  }
}
