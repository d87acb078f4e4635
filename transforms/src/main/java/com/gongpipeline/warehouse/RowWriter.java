package com.gongpipeline.warehouse;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The write store: idempotent merges, child-set replacement and deletes (the role of
 * kafka-connect-jdbc's {@code JdbcDbWriter}). The deletes are the same on every database; the
 * merge mechanics (how rows are staged) are {@link DuckDbRowWriter}'s and {@link
 * SnowflakeRowWriter}'s. Rows that can never be written are a PERMANENT {@link
 * WarehouseException} ({@link WarehouseException#invalidRow}); wrong arguments (an unknown column
 * name, a null id) an {@link IllegalArgumentException}.
 */
abstract class RowWriter<C extends Connection> {
  /** Ids bound per statement. */
  static final int ID_BATCH = 1000;
  /** Calls per batched stale-children DELETE. */
  static final int STALE_PARENTS = 100;
  /** Keep-keys (bound in pairs with their call) per batched stale-children DELETE, about. */
  static final int STALE_KEYS = 3000;

  final ConnectionProvider<C> conns;
  final WarehouseSchema schema;

  RowWriter(ConnectionProvider<C> conns, WarehouseSchema schema) {
    this.conns = conns;
    this.schema = schema;
  }

  /** See {@link Warehouse#merge}. */
  abstract MergeResult merge(WarehouseTable table, List<WarehouseRow> rows);

  /** See {@link Warehouse#replaceChildren}. */
  abstract MergeResult replaceChildren(WarehouseTable table, String parentColumn,
      Collection<String> parentIds, List<WarehouseRow> rows);

  /** Merges one row given as column values (the job log's row, which is not a WarehouseRow). */
  abstract void mergeValues(TableSpec spec, Map<String, @Nullable Object> values, String rowName);

  SqlDialect dialect() {
    return conns.dialect();
  }

  /** See {@link Warehouse#deleteWhere}. */
  long deleteWhere(WarehouseTable table, String column, Collection<String> values) {
    TableSpec spec = TableSpec.of(table);
    String col = schema.requireColumn(spec, column);
    List<String> distinct = distinctIds(values);
    if (distinct.isEmpty()) {
      return 0;
    }
    return conns.retrying("delete from " + spec.qualifiedName(),
        conn -> conns.inTransaction(conn, spec, () -> {
          long deleted = 0;
          for (int i = 0; i < distinct.size(); i += ID_BATCH) {
            List<String> chunk = distinct.subList(i, Math.min(distinct.size(), i + ID_BATCH));
            try (PreparedStatement ps =
                dialect().prepare(conn, dialect().deleteWhere(spec, col, chunk))) {
              deleted += ps.executeUpdate();
            }
          }
          return deleted;
        }));
  }

  /** See {@link Warehouse#deleteStaleChildren}: one statement, under the table's write lock. */
  long deleteStaleChildren(WarehouseTable table, String parentColumn, String parentId,
      String keyColumn, Collection<String> keepKeys) {
    return deleteStaleChildren(table, parentColumn, parentId, keyColumn, keepKeys, null);
  }

  /** See {@link Warehouse#deleteStaleChildren(ChildKeys)}. */
  long deleteStaleChildren(WarehouseTable table, String parentColumn, String parentId,
      String keyColumn, Collection<String> keepKeys, @Nullable Long callVersion) {
    TableSpec spec = TableSpec.of(table);
    String parent = schema.requireColumn(spec, parentColumn);
    String key = schema.requireColumn(spec, keyColumn);
    List<String> keep = distinctIds(keepKeys);
    BoundSql sql =
        dialect().deleteStaleChildren(spec, parent, parentId, key, keep, callVersion);
    return conns.writeOne("delete stale rows from " + spec.qualifiedName(), spec, conn -> {
      try (PreparedStatement ps = dialect().prepare(conn, sql)) {
        return (long) ps.executeUpdate();
      }
    });
  }

  /**
   * See {@link Warehouse#deleteStaleChildren(List)}: per table, one statement per round of
   * distinct calls (a call whose key sets come twice goes to a later round, in arrival order), at
   * most {@value #STALE_PARENTS} calls and about {@value #STALE_KEYS} keep-keys per statement,
   * each under the table's write lock.
   */
  long deleteStaleChildren(List<ChildKeys> sets) {
    Map<List<Object>, List<Map<String, ChildKeys>>> rounds = new LinkedHashMap<>();
    for (ChildKeys k : sets) {
      List<Map<String, ChildKeys>> tableRounds = rounds.computeIfAbsent(
          List.of(k.table(), k.parentColumn(), k.keyColumn()), t -> new ArrayList<>());
      ChildKeys distinct = new ChildKeys(k.table(), k.parentColumn(), k.parentId(),
          k.keyColumn(), distinctIds(k.keepKeys()), k.callVersion());
      int last = -1; // the round right after this call's last one keeps its sets in order
      for (int i = 0; i < tableRounds.size(); i++) {
        if (tableRounds.get(i).containsKey(k.parentId())) {
          last = i;
        }
      }
      Map<String, ChildKeys> round = last + 1 < tableRounds.size() ? tableRounds.get(last + 1)
          : null;
      if (round == null) {
        round = new LinkedHashMap<>();
        tableRounds.add(round);
      }
      round.put(k.parentId(), distinct);
    }
    long deleted = 0;
    for (Map.Entry<List<Object>, List<Map<String, ChildKeys>>> e : rounds.entrySet()) {
      WarehouseTable table = (WarehouseTable) e.getKey().get(0);
      TableSpec spec = TableSpec.of(table);
      String parent = schema.requireColumn(spec, (String) e.getKey().get(1));
      String key = schema.requireColumn(spec, (String) e.getKey().get(2));
      for (Map<String, ChildKeys> round : e.getValue()) {
        List<ChildKeys> chunk = new ArrayList<>();
        int keys = 0;
        for (ChildKeys k : round.values()) {
          if (!chunk.isEmpty() && (chunk.size() >= STALE_PARENTS
              || keys + k.keepKeys().size() > STALE_KEYS)) {
            deleted += deleteStaleChunk(spec, parent, key, chunk);
            chunk = new ArrayList<>();
            keys = 0;
          }
          chunk.add(k);
          keys += k.keepKeys().size();
        }
        if (!chunk.isEmpty()) {
          deleted += deleteStaleChunk(spec, parent, key, chunk);
        }
      }
    }
    return deleted;
  }

  private long deleteStaleChunk(TableSpec spec, String parent, String key, List<ChildKeys> chunk) {
    BoundSql sql = dialect().deleteStaleChildren(spec, parent, key, chunk);
    return conns.writeOne("delete stale rows of " + chunk.size() + " calls from "
        + spec.qualifiedName(), spec, conn -> {
          try (PreparedStatement ps = dialect().prepare(conn, sql)) {
            return (long) ps.executeUpdate();
          }
        });
  }

  /**
   * Deletes the parents' rows whose keys are not in the staging table, in chunks of {@value
   * #ID_BATCH} bound parent ids; returns how many.
   */
  long deleteChildrenNotStaged(C conn, TableSpec spec, String parentColumn, String stage,
      List<String> parents) throws SQLException {
    long deleted = 0;
    for (int i = 0; i < parents.size(); i += ID_BATCH) {
      List<String> chunk = parents.subList(i, Math.min(parents.size(), i + ID_BATCH));
      try (PreparedStatement ps = dialect().prepare(conn,
          dialect().deleteChildrenNotStaged(spec, parentColumn, stage, chunk))) {
        deleted += ps.executeUpdate();
      }
    }
    return deleted;
  }

  /** Checks that a row belongs to the table and sets only known columns. */
  static void checkRow(WarehouseTable table, Set<String> known, WarehouseRow row) {
    if (row.table() != table) {
      throw WarehouseException.invalidRow(row + " cannot be merged into " + table.qualifiedName());
    }
    for (String c : row.values().keySet()) {
      if (!known.contains(c)) {
        throw WarehouseException.invalidRow(
            row + ": table " + table.qualifiedName() + " has no column " + c);
      }
    }
  }

  /** Checks that every row's parent column holds one of the parents being replaced. */
  static void checkParents(List<WarehouseRow> rows, String parent, Set<String> parents) {
    for (WarehouseRow row : rows) {
      Object p = row.get(parent);
      if (!(p instanceof String ps) || !parents.contains(ps)) {
        throw WarehouseException.invalidRow(row + ": " + parent + " " + p
            + " is not among the parents being replaced");
      }
    }
  }

  static Set<String> columnNames(List<Column> columns) {
    Set<String> names = new LinkedHashSet<>();
    for (Column c : columns) {
      names.add(c.name());
    }
    return names;
  }

  static List<String> distinctIds(Collection<String> ids) {
    LinkedHashSet<String> distinct = new LinkedHashSet<>();
    for (String id : ids) {
      if (id == null) {
        throw new IllegalArgumentException("ids must not contain null");
      }
      distinct.add(id);
    }
    return new ArrayList<>(distinct);
  }
}
