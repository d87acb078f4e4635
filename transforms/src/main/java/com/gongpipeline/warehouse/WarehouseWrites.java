package com.gongpipeline.warehouse;

import java.util.Collection;
import java.util.List;

/**
 * Writes rows idempotently: MERGEs on natural keys, and deletes of the rows a re-processed call no
 * longer has.
 *
 * <p>One role of the {@link Warehouse} facade; a caller that needs only this role declares this
 * type. Failures are {@link WarehouseException}s with a {@link
 * com.gongpipeline.errors.FailureKind} (see {@link Warehouse}).
 */
public interface WarehouseWrites {
  /**
   * Upserts rows in one transaction: rows are bulk-loaded into a staging table, de-duplicated by
   * the table's key (the last row of the list wins), and merged in one statement. A matched row is
   * updated only if a non-key, non-volatile column differs, so re-running a window changes nothing.
   * Columns a row does not set are written as NULL.
   *
   * @throws WarehouseException of kind PERMANENT if a row belongs to another table, sets a column
   *     the table does not have, has a value of the wrong type, or carries invalid JSON
   */
  MergeResult merge(WarehouseTable table, List<WarehouseRow> rows);

  /**
   * Deletes the rows whose {@code column} equals one of {@code values} (e.g. all chunks of a call
   * before its new chunk set is merged). Values are bound, never spliced into SQL.
   *
   * @return number of rows deleted
   */
  long deleteWhere(WarehouseTable table, String column, Collection<String> values);

  /**
   * Replaces the child rows of some parents as a set, in ONE transaction: deletes the rows of
   * those parents ({@code parentColumn} in {@code parentIds}, e.g. {@code SOURCE_ID} of
   * AI_MEMORY.MEMORY_RECORDS or {@code CALL_ID} of the STG transcript/participant/topic tables)
   * whose keys are not among {@code rows}, then merges {@code rows} exactly like {@link #merge}
   * (unchanged rows stay untouched, keeping their JOB_ID and load time). A parent with no new rows
   * loses all its rows; rows of other parents are never touched. Either everything happens or,
   * on failure, nothing.
   *
   * <p>Use it when a call is re-processed and may yield fewer children than before (a transcript
   * re-chunked from 5 chunks to 3): a plain merge would leave the 2 stale chunks behind.
   *
   * @param parentIds the parents being replaced (bound, any number, duplicates ignored)
   * @param rows the parents' complete new child rows; each must belong to {@code table} and have
   *     its {@code parentColumn} set to one of {@code parentIds}
   * @return inserted/updated/unchanged as for {@link #merge}, plus the rows deleted
   * @throws IllegalArgumentException if {@code parentColumn} is not a column of the table
   * @throws WarehouseException of kind PERMANENT if a row names a parent outside {@code
   *     parentIds}, or a row is invalid as for {@link #merge}
   */
  MergeResult replaceChildren(WarehouseTable table, String parentColumn,
      Collection<String> parentIds, List<WarehouseRow> rows);

  /**
   * Deletes the rows of one parent (a call) whose {@code keyColumn} is not in {@code keepKeys}:
   * the rows an older version of the call had and the new one does not. An empty keep-set deletes
   * all of the parent's rows. One transaction under the table's write lock; values bound.
   *
   * @return number of rows deleted
   */
  long deleteStaleChildren(WarehouseTable table, String parentColumn, String parentId,
      String keyColumn, Collection<String> keepKeys);

  /**
   * {@link #deleteStaleChildren(WarehouseTable, String, String, String, Collection)} for one call's
   * key set, deleting nothing if STG_GONG_CALLS already holds a newer version of the call than
   * {@link ChildKeys#callVersion()} (decided in the same statement): an older version arriving
   * after a newer one must not delete the newer one's rows.
   */
  long deleteStaleChildren(ChildKeys keys);

  /**
   * {@link #deleteStaleChildren(ChildKeys)} for many key sets (any tables, in arrival order), with
   * the same result as deleting them one at a time in that order; a database may run one
   * statement per table and batch of calls instead of one per call and table.
   *
   * @return number of rows deleted
   */
  default long deleteStaleChildren(List<ChildKeys> sets) {
    long deleted = 0;
    for (ChildKeys k : sets) {
      deleted += deleteStaleChildren(k);
    }
    return deleted;
  }
}
