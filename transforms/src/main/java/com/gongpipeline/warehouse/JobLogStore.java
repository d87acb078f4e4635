package com.gongpipeline.warehouse;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;

/** The job log ({@code OPS_MONITORING.ETL_JOB_LOGS}): one row per job, upserted by job id. */
final class JobLogStore<C extends Connection> {
  private final ConnectionProvider<C> conns;
  private final WarehouseSchema schema;
  private final RowWriter<C> writer;

  JobLogStore(ConnectionProvider<C> conns, WarehouseSchema schema, RowWriter<C> writer) {
    this.conns = conns;
    this.schema = schema;
    this.writer = writer;
  }

  /** See {@link Warehouse#recordJob}: the same idempotent merge as every other row. */
  void recordJob(JobLog log) {
    TableSpec spec = TableSpec.JOB_LOGS;
    writer.mergeValues(spec, JobLogRows.toColumns(log),
        spec.qualifiedName() + "[" + log.jobId() + "]");
  }

  /** See {@link Warehouse#findJob}. */
  Optional<JobLog> findJob(String jobId) {
    TableSpec spec = TableSpec.JOB_LOGS;
    String sql = conns.dialect().selectByKey(spec, schema.columns(spec));
    return conns.withConnection(conn -> {
      try (PreparedStatement ps = conn.prepareStatement(sql)) {
        ps.setString(1, jobId);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(JobLogRows.fromResultSet(rs)) : Optional.empty();
        }
      }
    });
  }
}
