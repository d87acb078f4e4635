package com.gongpipeline.transforms;

import com.gongpipeline.warehouse.WarehouseRow;
import com.gongpipeline.warehouse.WarehouseTable;
import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * What one MERGE batch of the sink did to the calls it carried ({@link
 * WriteToWarehouse#reportingCallWrites}): the calls whose rows of {@code table} are now committed
 * and the calls whose rows could not be written (also dead-lettered), each with the version of the
 * fetch its rows came from ({@link com.gongpipeline.model.FetchedCall#version}; 0 when
 * unversioned). Lets a caller act only once a call's rows are really in the
 * warehouse, e.g. take it off {@code OPS_MONITORING.RETRY_QUEUE}.
 *
 * @param error the failure's message when {@code failed} is not empty
 * @param failureKind the failure's kind when {@code failed} is not empty
 */
public record CallWrites(WarehouseTable table, Map<String, Long> committed,
    Map<String, Long> failed,
    @Nullable String error, @Nullable String failureKind) implements Serializable {

  public CallWrites {
    committed = new TreeMap<>(committed);
    failed = new TreeMap<>(failed);
  }

  /** The call a row of {@code table} belongs to, or null for rows that are not a call's. */
  public static @Nullable String callIdOf(WarehouseRow row) {
    Object id = switch (row.table()) {
      case RAW_CALLS, RAW_TRANSCRIPTS, STG_CALLS, STG_PARTICIPANTS, STG_TRANSCRIPTS, STG_TOPICS,
          STG_TRACKERS, STG_TRACKER_OCCURRENCES, CALL_VECTORS -> row.get("CALL_ID");
      case MEMORY_RECORDS -> row.get("SOURCE_ID");
      default -> null;
    };
    return id instanceof String s ? s : null;
  }
}
