package com.gongpipeline.warehouse;

import java.io.Serializable;
import java.util.List;

/**
 * The complete set of child-row keys a call has now in one table (its chunks, turns, parties or
 * topics). Rows of that call whose key is not in the set belong to an older version of the call and
 * are deleted, so a call that changes is replaced as a set, with no orphans.
 *
 * @param parentColumn the column naming the call ({@code CALL_ID}, or {@code SOURCE_ID} in AI_MEMORY)
 * @param keyColumn the column that, with the parent, identifies a child row
 * @param callVersion the version of the call these keys come from: nothing is deleted when the
 *     stored call is already newer (see {@link WarehouseTable#versionColumn()})
 */
public record ChildKeys(
    WarehouseTable table, String parentColumn, String parentId, String keyColumn,
    List<String> keepKeys, long callVersion)
    implements Serializable {

  /** Keys of an unversioned call (version 0). */
  public ChildKeys(WarehouseTable table, String parentColumn, String parentId, String keyColumn,
      List<String> keepKeys) {
    this(table, parentColumn, parentId, keyColumn, keepKeys, 0L);
  }
}
