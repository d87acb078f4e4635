package com.gongpipeline.warehouse;

import java.util.List;
import java.util.Set;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The logical tables the pipeline writes, with their merge keys. Column definitions live in the DDL
 * under {@code sql/} (the one place for them); writers read a table's columns from the warehouse.
 *
 * <p>{@link #volatileColumns()} are bookkeeping columns (job id, load time) that a MERGE updates only
 * when some other column changed, so re-running a window leaves rows exactly as they were.
 */
public enum WarehouseTable {
  RAW_CALLS("RAW", "GONG_CALLS_RAW", List.of("CALL_ID")),
  RAW_TRANSCRIPTS("RAW", "GONG_CALL_TRANSCRIPTS_RAW", List.of("CALL_ID")),
  RAW_USERS("RAW", "GONG_USERS_RAW", List.of("USER_ID")),
  RAW_WORKSPACES("RAW", "GONG_WORKSPACES_RAW", List.of("WORKSPACE_ID")),
  STG_CALLS("STG_TRANSFORMED", "STG_GONG_CALLS", List.of("CALL_ID")),
  STG_PARTICIPANTS("STG_TRANSFORMED", "STG_GONG_CALL_PARTICIPANTS", List.of("CALL_ID", "PARTICIPANT_ID")),
  STG_TRANSCRIPTS("STG_TRANSFORMED", "STG_GONG_CALL_TRANSCRIPTS", List.of("TRANSCRIPT_ID")),
  STG_TOPICS("STG_TRANSFORMED", "STG_GONG_CALL_TOPICS", List.of("CALL_ID", "TOPIC_NAME")),
  /** Gong's trackers per call (sql 110). */
  STG_TRACKERS("STG_TRANSFORMED", "STG_GONG_CALL_TRACKERS", List.of("CALL_ID", "TRACKER_ID")),
  /** Each tracker mention: tracker, speaker, ms (sql 110). */
  STG_TRACKER_OCCURRENCES("STG_TRANSFORMED", "STG_GONG_CALL_TRACKER_OCCURRENCES",
      List.of("CALL_ID", "OCCURRENCE_ID")),
  STG_USERS("STG_TRANSFORMED", "STG_GONG_USERS", List.of("USER_ID")),
  STG_WORKSPACES("STG_TRANSFORMED", "STG_GONG_WORKSPACES", List.of("WORKSPACE_ID")),
  MEMORY_RECORDS("AI_MEMORY", "MEMORY_RECORDS", List.of("MEMORY_ID")),
  /** One vector per call, the normalised mean of its chunks' (sql 140). */
  CALL_VECTORS("AI_MEMORY", "CALL_VECTORS", List.of("CALL_ID")),
  DEAD_LETTER("OPS_MONITORING", "DEAD_LETTER", List.of("DEAD_LETTER_ID")),
  /** Calls an incremental run retries first (sql 090). */
  RETRY_QUEUE("OPS_MONITORING", "RETRY_QUEUE", List.of("CALL_ID"));

  /** Columns every table may carry that do not count as a change of the row. */
  public static final Set<String> VOLATILE_COLUMNS =
      Set.of("JOB_ID", "INGESTED_AT", "LOADED_AT", "CREATED_AT");
  private static final Set<String> WITH_VERSION =
      Set.of("JOB_ID", "INGESTED_AT", "LOADED_AT", "CREATED_AT", "CALL_VERSION");

  private final String schema;
  private final String table;
  private final List<String> keyColumns;

  WarehouseTable(String schema, String table, List<String> keyColumns) {
    this.schema = schema;
    this.table = table;
    this.keyColumns = keyColumns;
  }

  public String schema() {
    return schema;
  }

  public String table() {
    return table;
  }

  /** {@code SCHEMA.TABLE}. */
  public String qualifiedName() {
    return schema + "." + table;
  }

  public List<String> keyColumns() {
    return keyColumns;
  }

  public Set<String> volatileColumns() {
    // A re-fetch with a new version but the same content is no change (re-runs stay no-ops).
    return versionColumn() == null ? VOLATILE_COLUMNS : WITH_VERSION;
  }

  /**
   * The column holding a row's version, or null: a MERGE never lets a row with a lower version
   * overwrite a stored one (a stream can deliver an older fetch of a call after a newer one). The
   * call and its turns and chunks carry it (sql 120), so the guard holds row by row even when a
   * newer version's turns or chunks land before its call row.
   */
  public @Nullable String versionColumn() {
    return switch (this) {
      case STG_CALLS, STG_TRANSCRIPTS, MEMORY_RECORDS, CALL_VECTORS -> "CALL_VERSION";
      default -> null;
    };
  }

  /**
   * In a versioned table ({@link #versionColumn()} not null), the column naming the call a row
   * belongs to; null otherwise. The MERGE drops a staged row when any row of its call, here or in
   * STG_GONG_CALLS, already carries a newer version, so an older version cannot add a key the
   * newer one no longer has, whatever order the writes land in.
   */
  public @Nullable String callColumn() {
    return switch (this) {
      case STG_CALLS, STG_TRANSCRIPTS, CALL_VECTORS -> "CALL_ID";
      case MEMORY_RECORDS -> "SOURCE_ID";
      default -> null;
    };
  }

  /**
   * Enrichment columns a MERGE never overwrites with NULL: an incoming NULL there means the model
   * (or the stored-score look-up) failed for this run, which is dead-lettered; the stored score or
   * vector stays until a run computes a new one. Gong's own analysis fields of STG_GONG_CALLS
   * (sql 110) are kept the same way: a re-fetch whose response lacks them (not requested, or
   * Gong has none for now) does not erase what an earlier fetch stored. So are its risk columns
   * (sql 130): a run that could not classify every chunk of a call leaves them NULL.
   */
  public Set<String> keepStoredWhenNull() {
    return switch (this) {
      case STG_CALLS -> Set.of("SENTIMENT_SCORE", "SENTIMENT_MODEL", "CALL_OUTCOME",
          "CALL_OUTCOME_ID", "NEXT_STEPS", "TALK_RATIO", "LONGEST_MONOLOGUE_SECONDS",
          "LONGEST_CUSTOMER_STORY_SECONDS", "INTERACTIVITY", "PATIENCE", "QUESTIONS_COMPANY",
          "QUESTIONS_NON_COMPANY", "PRIMARY_USER_NAME", "HUBSPOT_CONTACT_ID", "HIGHLIGHTS",
          "OUTLINE", "CALL_SUMMARY", "CALL_SUMMARY_METHOD", "CALL_SUMMARY_INPUT_HASH",
          "NEXT_STEPS_METHOD", "RISK_INDICATORS", "RISK_METHOD", "RISK_INPUT_HASH",
          "ASPECT_SENTIMENT");
      case STG_TRANSCRIPTS -> Set.of("SEGMENT_SENTIMENT");
      case MEMORY_RECORDS -> Set.of("EMBEDDING", "EMBEDDING_MODEL", "EMBEDDING_DIM",
          "SENTIMENT_SCORE", "SENTIMENT_MODEL");
      default -> Set.of();
    };
  }
}
