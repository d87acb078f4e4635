package com.gongpipeline.warehouse;

import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The {@link Warehouse} facade the CLI and the DoFns call: it owns no SQL, no connections and no
 * concern of its own, only the wiring of the small stores over one {@link ConnectionProvider} and
 * {@link SqlDialect} (kafka-connect-jdbc's split): {@link RowWriter} (merges, replacements,
 * deletes), {@link SyncStateStore} (marks, leases), {@link JobLogStore}, {@link MemorySearch},
 * {@link StoredLookups} and {@link CatalogQueries} (counts, read-only queries), with the tables
 * of a {@link WarehouseSchema}. {@link DuckDbWarehouse} and {@link SnowflakeWarehouse} only choose
 * the parts.
 *
 * @param <C> the connection type the stores work on (DuckDB's merger needs its own)
 */
abstract class JdbcWarehouse<C extends Connection> implements Warehouse {
  final ConnectionProvider<C> conns;
  private final WarehouseSchema schema;
  private final RowWriter<C> writer;
  private final SyncStateStore<C> syncState;
  private final JobLogStore<C> jobLog;
  private final GongUsageStore<C> gongUsage;
  private final FetchScheduleStore<C> fetchSchedule;
  private final MemorySearch<C> memory;
  private final StoredLookups<C> lookups;
  private final CatalogQueries<C> catalog;
  private final CallLifecycleStore<C> lifecycle;

  JdbcWarehouse(ConnectionProvider<C> conns, WarehouseSchema schema, RowWriter<C> writer,
      @Nullable Integer storedDimension, Clock clock) {
    this.conns = conns;
    this.schema = schema;
    this.writer = writer;
    this.syncState = new SyncStateStore<>(conns, clock);
    this.jobLog = new JobLogStore<>(conns, schema, writer);
    this.gongUsage = new GongUsageStore<>(conns, clock);
    this.fetchSchedule = new FetchScheduleStore<>(conns, clock);
    this.memory = new MemorySearch<>(conns, storedDimension);
    this.lookups = new StoredLookups<>(conns, schema);
    this.catalog = new CatalogQueries<>(conns, schema);
    this.lifecycle = new CallLifecycleStore<>(conns, writer);
  }

  @Override
  public void applySchema() {
    schema.apply();
  }

  @Override
  public SchemaCheck checkSchema() {
    return new SchemaChecker<>(conns).check();
  }

  @Override
  public MergeResult merge(WarehouseTable table, List<WarehouseRow> rows) {
    return writer.merge(table, rows);
  }

  @Override
  public long deleteWhere(WarehouseTable table, String column, Collection<String> values) {
    return writer.deleteWhere(table, column, values);
  }

  @Override
  public MergeResult replaceChildren(WarehouseTable table, String parentColumn,
      Collection<String> parentIds, List<WarehouseRow> rows) {
    return writer.replaceChildren(table, parentColumn, parentIds, rows);
  }

  @Override
  public long deleteStaleChildren(WarehouseTable table, String parentColumn, String parentId,
      String keyColumn, Collection<String> keepKeys) {
    return writer.deleteStaleChildren(table, parentColumn, parentId, keyColumn, keepKeys);
  }

  @Override
  public long deleteStaleChildren(ChildKeys keys) {
    return writer.deleteStaleChildren(keys.table(), keys.parentColumn(), keys.parentId(),
        keys.keyColumn(), keys.keepKeys(),
        keys.callVersion() > 0 ? keys.callVersion() : null);
  }

  @Override
  public long deleteStaleChildren(List<ChildKeys> sets) {
    return writer.deleteStaleChildren(sets);
  }

  @Override
  public Optional<Instant> highWaterMark(String syncName) {
    return syncState.highWaterMark(syncName);
  }

  @Override
  public boolean advanceHighWaterMark(String syncName, Instant mark, String jobId) {
    return syncState.advanceHighWaterMark(syncName, mark, jobId);
  }

  @Override
  public boolean clearHighWaterMark(String syncName) {
    return syncState.clearHighWaterMark(syncName);
  }

  @Override
  public Optional<Lease> tryAcquireLease(String name, String jobId, Duration ttl) {
    return syncState.tryAcquireLease(name, jobId, ttl);
  }

  @Override
  public boolean renewLease(String name, String jobId, Duration ttl) {
    return syncState.renewLease(name, jobId, ttl);
  }

  @Override
  public void releaseLease(String name, String jobId) {
    syncState.releaseLease(name, jobId);
  }

  @Override
  public Map<String, StoredChunk> storedChunks(Collection<String> callIds) {
    return lookups.storedChunks(callIds);
  }

  @Override
  public Map<String, StoredTurn> storedTurns(Collection<String> callIds) {
    return lookups.storedTurns(callIds);
  }

  @Override
  public Map<String, StoredSummary> storedSummaries(Collection<String> callIds) {
    return lookups.storedSummaries(callIds);
  }

  @Override
  public Map<String, String> payloadHashes(WarehouseTable rawTable, Collection<String> callIds) {
    return lookups.payloadHashes(rawTable, callIds);
  }

  @Override
  public List<Map<String, @Nullable Object>> query(String sql, @Nullable Object... params) {
    return catalog.query(sql, params);
  }

  @Override
  public long count(WarehouseTable table) {
    return catalog.count(table);
  }

  @Override
  public Map<String, Long> tableCounts() {
    return catalog.tableCounts();
  }

  @Override
  public void recordJob(JobLog log) {
    jobLog.recordJob(log);
  }

  @Override
  public Optional<JobLog> findJob(String jobId) {
    return jobLog.findJob(jobId);
  }

  @Override
  public long reserveGongRequests(LocalDate day, String jobId, String endpoint, long wanted,
      long budget) {
    return gongUsage.reserve(day, jobId, endpoint, wanted, budget);
  }

  @Override
  public void addGongRequests(LocalDate day, String jobId, String endpoint, long delta) {
    gongUsage.add(day, jobId, endpoint, delta);
  }

  @Override
  public void recordPlannedFetches(List<PlannedFetch> fetches) {
    fetchSchedule.record(fetches);
  }

  @Override
  public long gongRequestsOn(LocalDate day) {
    return gongUsage.total(day);
  }

  @Override
  public List<SearchHit> search(SearchQuery query) {
    return memory.search(query);
  }

  @Override
  public Set<String> embeddingModels() {
    return memory.embeddingModels();
  }

  @Override
  public List<StoredCallVector> callVectors() {
    return lookups.callVectors();
  }

  @Override
  public List<String> vanishedCalls(Instant from, Instant to, Collection<String> listed) {
    return lifecycle.vanishedCalls(from, to, listed);
  }

  @Override
  public boolean markCallDeleted(String callId, String jobId, Instant at) {
    return lifecycle.markCallDeleted(callId, jobId, at);
  }

  @Override
  public Map<String, Long> storedCallVersions(Collection<String> callIds) {
    return lifecycle.storedCallVersions(callIds);
  }

  @Override
  public Map<String, Long> storedChildVersions(WarehouseTable table, String parentColumn,
      Collection<String> parentIds) {
    return lifecycle.storedChildVersions(table, parentColumn, parentIds);
  }

  @Override
  public long callsDeletedBy(String jobId) {
    return lifecycle.callsDeletedBy(jobId);
  }

  @Override
  public void close() {
    conns.close();
  }

  /** Runs read-only work on a pooled connection (the tests' back door). */
  <T> T withConnection(ConnectionProvider.SqlWork<C, T> work) {
    return conns.withConnection(work);
  }

  /** Retries run so far by this instance (write conflicts, transient failures). */
  long retries() {
    return conns.retries();
  }

  /** The statement's first keyword, upper-cased, after leading blanks and comments. */
  static String firstKeyword(String sql) {
    return CatalogQueries.firstKeyword(sql);
  }
}
