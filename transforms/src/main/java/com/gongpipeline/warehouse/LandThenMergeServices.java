package com.gongpipeline.warehouse;

import java.sql.Connection;
import org.apache.beam.sdk.io.snowflake.services.SnowflakeBatchServiceConfig;
import org.apache.beam.sdk.io.snowflake.services.SnowflakeServices;
import org.apache.beam.sdk.io.snowflake.services.SnowflakeServicesImpl;

/**
 * SnowflakeIO's services with the batch write extended around the COPY: create the landing table
 * (idempotent), let SnowflakeIO's own service COPY the staged files into it, then merge the load
 * into the RAW tables ({@link SnowflakeRawLanding#mergeLoad}). Reads and streaming are
 * SnowflakeIO's unchanged.
 */
final class LandThenMergeServices implements SnowflakeServices {
  private static final long serialVersionUID = 1L;
  private final SnowflakeServices delegate;
  private final String loadId;

  LandThenMergeServices(String loadId) {
    this(new SnowflakeServicesImpl(), loadId);
  }

  LandThenMergeServices(SnowflakeServices delegate, String loadId) {
    this.delegate = delegate;
    this.loadId = loadId;
  }

  @Override
  public BatchService getBatchService() {
    BatchService copy = delegate.getBatchService();
    return new BatchService() {
      @Override
      public String read(SnowflakeBatchServiceConfig config) throws Exception {
        return copy.read(config);
      }

      @Override
      public void write(SnowflakeBatchServiceConfig config) throws Exception {
        try (Connection c = config.getDataSourceProviderFn().apply(null).getConnection()) {
          SnowflakeRawLanding.createLandingTable(c);
        }
        copy.write(config);
        try (Connection c = config.getDataSourceProviderFn().apply(null).getConnection()) {
          SnowflakeRawLanding.mergeLoad(c, loadId);
        }
      }
    };
  }

  @Override
  public StreamingService getStreamingService() {
    return delegate.getStreamingService();
  }
}
