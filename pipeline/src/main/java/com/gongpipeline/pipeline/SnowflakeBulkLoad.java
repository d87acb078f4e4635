package com.gongpipeline.pipeline;

import com.gongpipeline.pipeline.options.GongPipelineOptions;
import com.gongpipeline.snowflake.SnowflakeConnections;
import com.gongpipeline.warehouse.WriteRawWithSnowflakeIO;
import com.gongpipeline.warehouse.SnowflakeRawLanding;
import com.gongpipeline.warehouse.WarehouseRow;
import java.util.Map;
import java.util.Optional;
import org.apache.beam.sdk.options.StreamingOptions;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.values.PCollection;

/**
 * The optional RAW bulk load ({@code --snowflakeStagingBucket} + {@code
 * --snowflakeStorageIntegration}): the hook the pipeline applies to its rows just before the
 * JDBC writer,
 *
 * <pre>{@code
 * rows = SnowflakeBulkLoad.routeRaw(rows, options);   // RAW rows go to SnowflakeIO, the rest on
 * }</pre>
 *
 * which is a no-op unless both options are set.
 */
public final class SnowflakeBulkLoad {
  private SnowflakeBulkLoad() {}

  /**
   * The bulk-load transform when both options are set.
   *
   * @throws IllegalArgumentException when only one is set, the warehouse is not Snowflake, the
   *     pipeline is streaming, or no database is given
   */
  public static Optional<WriteRawWithSnowflakeIO> fromOptions(GongPipelineOptions o,
      Map<String, String> env) {
    String bucket = blankToNull(o.getSnowflakeStagingBucket());
    String integration = blankToNull(o.getSnowflakeStorageIntegration());
    if (bucket == null && integration == null) {
      return Optional.empty();
    }
    if (bucket == null || integration == null) {
      throw new IllegalArgumentException("--snowflakeStagingBucket and"
          + " --snowflakeStorageIntegration must be set together");
    }
    if (!o.getWarehouse().startsWith("jdbc:snowflake:")) {
      throw new IllegalArgumentException("--snowflakeStagingBucket needs a Snowflake"
          + " --warehouse=jdbc:snowflake://<account>.snowflakecomputing.com/");
    }
    if (o.as(StreamingOptions.class).isStreaming()) {
      throw new IllegalArgumentException("--snowflakeStagingBucket works with backfill and"
          + " incremental, not stream (SnowflakeIO's streaming path needs Snowpipe)");
    }
    String database = blankToNull(o.getSnowflakeDatabase());
    if (database == null) {
      database = blankToNull(env.get(SnowflakeConnections.DATABASE));
    }
    if (database == null) {
      throw new IllegalArgumentException("the RAW bulk load needs --snowflakeDatabase or "
          + SnowflakeConnections.DATABASE);
    }
    return Optional.of(WriteRawWithSnowflakeIO.to(o.getWarehouse(), database, bucket, integration));
  }

  /**
   * With the bulk load configured, sends the RAW rows to it and returns the other rows (for the
   * JDBC writer); otherwise returns {@code rows} unchanged.
   */
  public static PCollection<WarehouseRow> routeRaw(PCollection<WarehouseRow> rows,
      GongPipelineOptions options) {
    Optional<WriteRawWithSnowflakeIO> bulk = fromOptions(options, System.getenv());
    if (bulk.isEmpty()) {
      return rows;
    }
    rows.apply("RawRowsOnly", Filter.by(SnowflakeBulkLoad::isRaw))
        .apply("WriteRawWithSnowflakeIO", bulk.get());
    return rows.apply("NonRawRows", Filter.by(r -> !isRaw(r)));
  }

  static boolean isRaw(WarehouseRow row) {
    return SnowflakeRawLanding.TARGETS.contains(row.table());
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
