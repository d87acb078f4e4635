package com.gongpipeline.warehouse;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.checkerframework.checker.nullness.qual.Nullable;

/** The semantic search over AI_MEMORY and the embedding models it holds. */
final class MemorySearch<C extends Connection> {
  private final ConnectionProvider<C> conns;
  private final @Nullable Integer storedDimension;

  /**
   * @param storedDimension the one dimension the EMBEDDING column can hold (Snowflake's VECTOR),
   *     or null when rows of any dimension can be stored (DuckDB's FLOAT[])
   */
  MemorySearch(ConnectionProvider<C> conns, @Nullable Integer storedDimension) {
    this.conns = conns;
    this.storedDimension = storedDimension;
  }

  /**
   * See {@link Warehouse#search}. Empty when the query's dimension is not the stored one (no row
   * can match, and Snowflake cannot compare vectors of different sizes).
   */
  List<SearchHit> search(SearchQuery query) {
    if (storedDimension != null && query.dimension() != storedDimension) {
      return List.of();
    }
    SqlDialect dialect = conns.dialect();
    BoundSql sql = dialect.search(query);
    return conns.withConnection(conn -> {
      List<SearchHit> hits = new ArrayList<>();
      try (PreparedStatement ps = dialect.prepare(conn, sql); ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Long started = SyncStateStore.longOrNull(rs, 5);
          hits.add(new SearchHit(rs.getDouble(1), rs.getString(2), rs.getString(3),
              rs.getString(4), started == null ? null : EpochMicros.toInstant(started),
              rs.getString(6), rs.getString(7), rs.getString(8),
              SyncStateStore.longOrNull(rs, 9), SyncStateStore.longOrNull(rs, 10),
              rs.getString(11)));
        }
      }
      return hits;
    });
  }

  /** See {@link Warehouse#embeddingModels}. */
  Set<String> embeddingModels() {
    return conns.withConnection(conn -> {
      Set<String> models = new TreeSet<>();
      try (Statement st = conn.createStatement();
          ResultSet rs = st.executeQuery(conns.dialect().embeddingModelsQuery())) {
        while (rs.next()) {
          models.add(rs.getString(1));
        }
      }
      return models;
    });
  }
}
