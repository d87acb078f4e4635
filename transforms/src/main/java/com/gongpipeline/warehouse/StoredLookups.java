package com.gongpipeline.warehouse;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What the warehouse already holds for some calls: stored chunks (vector, sentiment, content
 * hash), stored turns (text, score) and RAW payload hashes, so unchanged objects are not
 * processed, embedded or scored again. Ids are bound in batches of {@value RowWriter#ID_BATCH}.
 */
final class StoredLookups<C extends Connection> {
  private final ConnectionProvider<C> conns;
  private final WarehouseSchema schema;

  /** Reads one keyed value from the current row of a lookup. */
  @FunctionalInterface
  private interface RowEntry<V> {
    Map.Entry<String, V> read(ResultSet rs) throws SQLException;
  }

  StoredLookups(ConnectionProvider<C> conns, WarehouseSchema schema) {
    this.conns = conns;
    this.schema = schema;
  }

  /** See {@link Warehouse#storedChunks}. */
  Map<String, StoredChunk> storedChunks(Collection<String> callIds) {
    SqlDialect dialect = conns.dialect();
    return lookupByIds(callIds, dialect::storedChunks, rs -> {
      StoredChunk c = new StoredChunk(rs.getString(1), rs.getString(2), rs.getString(3),
          rs.getString(4), dialect.readEmbedding(rs, 5), doubleOrNull(rs, 6), rs.getString(7));
      return Map.entry(c.memoryId(), c);
    });
  }

  /** See {@link Warehouse#storedTurns}. */
  Map<String, StoredTurn> storedTurns(Collection<String> callIds) {
    return lookupByIds(callIds, conns.dialect()::storedTurns, rs -> {
      StoredTurn t = new StoredTurn(rs.getString(1), rs.getString(2), doubleOrNull(rs, 3),
          rs.getString(4));
      return Map.entry(t.transcriptId(), t);
    });
  }

  /** See {@link Warehouse#storedSummaries}. */
  Map<String, StoredSummary> storedSummaries(Collection<String> callIds) {
    return lookupByIds(callIds, conns.dialect()::storedSummaries, rs -> {
      StoredSummary t = new StoredSummary(rs.getString(1), rs.getString(2), rs.getString(3),
          rs.getString(4));
      return Map.entry(t.callId(), t);
    });
  }

  /** See {@link Warehouse#callVectors}. */
  List<StoredCallVector> callVectors() {
    SqlDialect dialect = conns.dialect();
    return conns.withConnection(conn -> {
      List<StoredCallVector> out = new java.util.ArrayList<>();
      try (PreparedStatement ps = dialect.prepare(conn, dialect.callVectors());
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          float[] v = dialect.readEmbedding(rs, 3);
          if (v != null) {
            out.add(new StoredCallVector(rs.getString(1), rs.getString(2), v, rs.getString(4),
                rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8)));
          }
        }
      }
      return out;
    });
  }

  /** See {@link Warehouse#payloadHashes}. */
  Map<String, String> payloadHashes(WarehouseTable rawTable, Collection<String> callIds) {
    TableSpec spec = TableSpec.of(rawTable);
    if (!"RAW".equals(rawTable.schema()) || spec.keyColumns().size() != 1
        || !RowWriter.columnNames(schema.columns(spec)).contains("PAYLOAD_HASH")) {
      throw new IllegalArgumentException(
          rawTable.qualifiedName() + " is not a RAW table with a PAYLOAD_HASH");
    }
    return lookupByIds(callIds, batch -> conns.dialect().payloadHashes(spec, batch),
        rs -> Map.entry(rs.getString(1), rs.getString(2)));
  }

  /** Runs a lookup over distinct ids in bound batches and collects its rows into a map. */
  private <V> Map<String, V> lookupByIds(Collection<String> idsIn,
      Function<List<String>, BoundSql> sql, RowEntry<V> entry) {
    List<String> ids = RowWriter.distinctIds(idsIn);
    Map<String, V> out = new HashMap<>();
    if (ids.isEmpty()) {
      return out;
    }
    SqlDialect dialect = conns.dialect();
    return conns.withConnection(conn -> {
      for (int i = 0; i < ids.size(); i += RowWriter.ID_BATCH) {
        List<String> batch = ids.subList(i, Math.min(ids.size(), i + RowWriter.ID_BATCH));
        try (PreparedStatement ps = dialect.prepare(conn, sql.apply(batch));
            ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            Map.Entry<String, V> e = entry.read(rs);
            out.put(e.getKey(), e.getValue());
          }
        }
      }
      return out;
    });
  }

  private static Double doubleOrNull(ResultSet rs, int column) throws SQLException {
    double v = rs.getDouble(column);
    return rs.wasNull() ? null : v;
  }
}
