package com.gongpipeline.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.gongpipeline.parse.JsonSupport;
import com.gongpipeline.warehouse.WarehouseCatalog;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Reads what the index needs from the warehouse through its read-only query role (the same SQL on
 * DuckDB and Snowflake): AI_MEMORY rows of one embedding model with their call's context from
 * STG_GONG_CALLS, the calls changed since a mark, and the ids a complete index must hold. Rows of
 * calls flagged {@code IS_DELETED} (deleted or made private in Gong) or {@code IS_PRIVATE} are
 * never returned.
 */
final class MemoryRows {
  static final int ID_BATCH = 500;
  private static final String MEMORY = "AI_MEMORY.MEMORY_RECORDS";
  private static final String CALLS = "STG_TRANSFORMED.STG_GONG_CALLS";
  private static final String VISIBLE =
      " AND (c.IS_DELETED IS NULL OR NOT c.IS_DELETED) AND (c.IS_PRIVATE IS NULL OR NOT c.IS_PRIVATE)";

  private final String model;
  private final int dimension;

  MemoryRows(String model, int dimension) {
    this.model = model;
    this.dimension = dimension;
  }

  /** The newest LOADED_AT among this model's AI_MEMORY rows and among STG_GONG_CALLS rows. */
  record Marks(@Nullable Instant memory, @Nullable Instant calls) {}

  Marks marks(WarehouseCatalog wh) {
    Instant m = instant(wh.query("SELECT MAX(LOADED_AT) AS V FROM " + MEMORY
        + " WHERE EMBEDDING_MODEL = ? AND EMBEDDING_DIM = ?", model, dimension).get(0).get("V"));
    Instant c = instant(wh.query("SELECT MAX(LOADED_AT) AS V FROM " + CALLS).get(0).get("V"));
    return new Marks(m, c);
  }

  /**
   * Calls with a chunk of this model loaded after {@code memorySince}, or whose STG row was
   * loaded after {@code callsSince} (deleted, made private, re-titled, re-fetched); all calls with
   * chunks when both are null.
   */
  Set<String> changedCalls(WarehouseCatalog wh, @Nullable Instant memorySince,
      @Nullable Instant callsSince) {
    Set<String> out = new LinkedHashSet<>();
    String sql = "SELECT DISTINCT SOURCE_ID AS V FROM " + MEMORY
        + " WHERE EMBEDDING_MODEL = ? AND EMBEDDING_DIM = ?";
    List<Map<String, @Nullable Object>> rows = memorySince == null
        ? wh.query(sql, model, dimension)
        : wh.query(sql + " AND LOADED_AT > ?", model, dimension, memorySince);
    rows.forEach(r -> out.add(String.valueOf(r.get("V"))));
    if (callsSince != null) {
      wh.query("SELECT CALL_ID AS V FROM " + CALLS + " WHERE LOADED_AT > ?", callsSince)
          .forEach(r -> out.add(String.valueOf(r.get("V"))));
    }
    return out;
  }

  /** The visible chunks of these calls (in batches of {@value #ID_BATCH} ids). */
  List<MemoryDoc> chunksOf(WarehouseCatalog wh, Collection<String> callIds) {
    List<String> ids = new ArrayList<>(new LinkedHashSet<>(callIds));
    List<MemoryDoc> out = new ArrayList<>();
    for (int i = 0; i < ids.size(); i += ID_BATCH) {
      List<String> batch = ids.subList(i, Math.min(ids.size(), i + ID_BATCH));
      List<Object> params = new ArrayList<>();
      params.add(model);
      params.add(dimension);
      params.addAll(batch);
      String sql = "SELECT m.MEMORY_ID, m.SOURCE_ID, m.CHUNK_INDEX, m.SPEAKER_NAME, m.AFFILIATION,"
          + " m.START_MS, m.END_MS, m.CONTENT, m.EMBEDDING, m.LOADED_AT, m.METADATA,"
          + " c.CALL_TITLE, c.CALL_URL, c.CALL_DATETIME_UTC, c.ACCOUNT_NAME"
          + " FROM " + MEMORY + " m LEFT JOIN " + CALLS + " c ON c.CALL_ID = m.SOURCE_ID"
          + " WHERE m.EMBEDDING_MODEL = ? AND m.EMBEDDING_DIM = ? AND m.EMBEDDING IS NOT NULL"
          + VISIBLE + " AND m.SOURCE_ID IN (" + String.join(", ", Collections.nCopies(batch.size(),
              "?")) + ")";
      for (Map<String, @Nullable Object> r : wh.query(sql, params.toArray())) {
        out.add(toDoc(r));
      }
    }
    return out;
  }

  /** MEMORY_ID → CALL_ID of every visible chunk of this model (for reconciliation). */
  Map<String, String> visibleIds(WarehouseCatalog wh) {
    Map<String, String> out = new java.util.HashMap<>();
    for (Map<String, @Nullable Object> r : wh.query("SELECT m.MEMORY_ID, m.SOURCE_ID FROM "
        + MEMORY + " m LEFT JOIN " + CALLS + " c ON c.CALL_ID = m.SOURCE_ID"
        + " WHERE m.EMBEDDING_MODEL = ? AND m.EMBEDDING_DIM = ? AND m.EMBEDDING IS NOT NULL"
        + VISIBLE, model, dimension)) {
      out.put(String.valueOf(r.get("MEMORY_ID")), String.valueOf(r.get("SOURCE_ID")));
    }
    return out;
  }

  /** Visible chunks of this model (cheap: compared with the index size on every refresh). */
  long visibleCount(WarehouseCatalog wh) {
    Object v = wh.query("SELECT COUNT(*) AS V FROM " + MEMORY + " m LEFT JOIN " + CALLS
        + " c ON c.CALL_ID = m.SOURCE_ID WHERE m.EMBEDDING_MODEL = ? AND m.EMBEDDING_DIM = ?"
        + " AND m.EMBEDDING IS NOT NULL" + VISIBLE, model, dimension).get(0).get("V");
    return ((Number) v).longValue();
  }

  private MemoryDoc toDoc(Map<String, @Nullable Object> r) {
    JsonNode meta = metadata(r.get("METADATA"));
    String title = firstNonNull(text(meta, "title"), str(r.get("CALL_TITLE")));
    String account = firstNonNull(text(meta, "account"), text(meta, "accountName"),
        str(r.get("ACCOUNT_NAME")));
    Instant started = parseInstant(text(meta, "started"));
    if (started == null) {
      started = instant(r.get("CALL_DATETIME_UTC"));
    }
    Instant loaded = instant(r.get("LOADED_AT"));
    return new MemoryDoc(str(r.get("MEMORY_ID")), str(r.get("SOURCE_ID")),
        ((Number) r.get("CHUNK_INDEX")).intValue(), str(r.get("CONTENT")),
        vector(r.get("EMBEDDING")), title,
        str(r.get("CALL_URL")), account, started == null ? null : started.toEpochMilli(),
        str(r.get("SPEAKER_NAME")), str(r.get("AFFILIATION")), longOrNull(r.get("START_MS")),
        longOrNull(r.get("END_MS")),
        loaded == null ? 0L : loaded.getEpochSecond() * 1_000_000L + loaded.getNano() / 1000);
  }

  static float[] vector(@Nullable Object v) {
    if (v instanceof float[] f) {
      return f;
    }
    if (v instanceof double[] d) {
      float[] f = new float[d.length];
      for (int i = 0; i < d.length; i++) {
        f[i] = (float) d[i];
      }
      return f;
    }
    if (v instanceof List<?> l) {
      float[] f = new float[l.size()];
      for (int i = 0; i < f.length; i++) {
        f[i] = ((Number) l.get(i)).floatValue();
      }
      return f;
    }
    if (v instanceof String s) { // Snowflake VECTOR as text: [0.1,0.2,...]
      JsonNode arr = JsonSupport.parse(s);
      float[] f = new float[arr.size()];
      for (int i = 0; i < f.length; i++) {
        f[i] = (float) arr.get(i).asDouble();
      }
      return f;
    }
    throw new IllegalStateException("unexpected EMBEDDING value type "
        + (v == null ? "null" : v.getClass().getName()));
  }

  private static @Nullable JsonNode metadata(@Nullable Object v) {
    if (v == null) {
      return null;
    }
    try {
      return JsonSupport.parse(v.toString());
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static @Nullable String text(@Nullable JsonNode n, String field) {
    if (n == null || !n.hasNonNull(field)) {
      return null;
    }
    String s = n.get(field).asText();
    return s.isBlank() ? null : s;
  }

  @SafeVarargs
  private static <T> @Nullable T firstNonNull(@Nullable T... values) {
    for (T t : values) {
      if (t != null) {
        return t;
      }
    }
    return null;
  }

  private static @Nullable String str(@Nullable Object v) {
    return v == null ? null : v.toString();
  }

  private static @Nullable Long longOrNull(@Nullable Object v) {
    return v == null ? null : ((Number) v).longValue();
  }

  static @Nullable Instant instant(@Nullable Object v) {
    if (v == null) {
      return null;
    }
    if (v instanceof Instant i) {
      return i;
    }
    if (v instanceof java.sql.Timestamp t) {
      return t.toInstant();
    }
    return parseInstant(v.toString());
  }

  private static @Nullable Instant parseInstant(@Nullable String s) {
    if (s == null) {
      return null;
    }
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      try {
        return java.time.OffsetDateTime.parse(s).toInstant();
      } catch (DateTimeParseException e2) {
        return null;
      }
    }
  }
}
