package com.gongpipeline.warehouse;

import com.gongpipeline.snowflake.EnvSnowflakeDataSource;
import java.util.UUID;
import org.apache.beam.sdk.io.snowflake.SnowflakeIO;
import org.apache.beam.sdk.io.snowflake.enums.CreateDisposition;
import org.apache.beam.sdk.io.snowflake.enums.WriteDisposition;
import org.apache.beam.sdk.io.snowflake.services.SnowflakeServices;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Bulk-loads RAW rows into Snowflake with SnowflakeIO (2.52.0): the rows are written as gzip CSV
 * files to a cloud staging bucket ({@code gs://bucket/path/}), COPYed into {@code
 * RAW.GONG_RAW_LANDING} through a storage integration, and then merged into the four RAW tables
 * by key (latest ingest wins, unchanged rows untouched) and removed from the landing table, all
 * inside SnowflakeIO's copy step ({@link LandThenMergeServices}). For large backfills where one
 * COPY beats many batched INSERTs; the JDBC writer remains the default.
 *
 * <pre>{@code
 * rawRows.apply("WriteRawWithSnowflakeIO", WriteRawWithSnowflakeIO.to(
 *     "jdbc:snowflake://xy12345.snowflakecomputing.com/", "GONG",
 *     "gs://gong-staging/raw/", "GONG_GCS_INTEGRATION"));
 * }</pre>
 *
 * <p>Credentials are read from the worker's {@code SNOWFLAKE_*} environment when it connects
 * ({@link EnvSnowflakeDataSource}); the graph carries only the URL and names. SnowflakeIO only
 * appends and its files are named per attempt, so a retried bundle may land rows twice: the
 * MERGE de-duplicates them. Input must be bounded (SnowflakeIO's streaming path needs Snowpipe).
 */
public final class WriteRawWithSnowflakeIO extends PTransform<PCollection<WarehouseRow>, PDone> {
  private final String jdbcUrl;
  private final String database;
  private final String stagingBucket;
  private final String storageIntegration;
  private final String loadId;
  private final @Nullable SnowflakeServices services;

  private WriteRawWithSnowflakeIO(String jdbcUrl, String database, String stagingBucket,
      String storageIntegration, String loadId, @Nullable SnowflakeServices services) {
    this.jdbcUrl = jdbcUrl;
    this.database = database;
    this.stagingBucket = stagingBucket;
    this.storageIntegration = storageIntegration;
    this.loadId = loadId;
    this.services = services;
  }

  /**
   * @param jdbcUrl {@code jdbc:snowflake://<account>.snowflakecomputing.com/}
   * @param database the database holding schema RAW
   * @param stagingBucket where SnowflakeIO writes the files, e.g. {@code gs://bucket/path/}
   * @param storageIntegration the storage integration Snowflake reads the bucket through
   */
  public static WriteRawWithSnowflakeIO to(String jdbcUrl, String database, String stagingBucket,
      String storageIntegration) {
    require(jdbcUrl != null && jdbcUrl.startsWith("jdbc:snowflake:"),
        "a jdbc:snowflake: URL is required");
    require(database != null && !database.isBlank(), "a database is required");
    require(stagingBucket != null && !stagingBucket.isBlank(), "a staging bucket is required");
    require(storageIntegration != null && !storageIntegration.isBlank(),
        "a storage integration is required");
    String bucket = stagingBucket.endsWith("/") ? stagingBucket : stagingBucket + "/";
    return new WriteRawWithSnowflakeIO(jdbcUrl, database, bucket, storageIntegration,
        UUID.randomUUID().toString(), null);
  }

  /**
   * Replaces SnowflakeIO's services (COPY and merge) entirely, e.g. with one that reads the
   * staged files into a local database in tests.
   */
  public WriteRawWithSnowflakeIO withSnowflakeServices(SnowflakeServices replacement) {
    return new WriteRawWithSnowflakeIO(jdbcUrl, database, stagingBucket, storageIntegration,
        loadId, replacement);
  }

  /** The id that marks this load's rows in the landing table. */
  public String loadId() {
    return loadId;
  }

  @Override
  public PDone expand(PCollection<WarehouseRow> rows) {
    String id = loadId;
    SnowflakeIO.DataSourceConfiguration config =
        SnowflakeIO.DataSourceConfiguration.create(new EnvSnowflakeDataSource(jdbcUrl))
            .withDatabase(database)
            .withSchema(SnowflakeRawLanding.SCHEMA);
    return rows.apply("CopyIntoLandingThenMerge", SnowflakeIO.<WarehouseRow>write()
        .withDataSourceConfiguration(config)
        .to(SnowflakeRawLanding.TABLE)
        .withStagingBucketName(stagingBucket)
        .withStorageIntegrationName(storageIntegration)
        .withCreateDisposition(CreateDisposition.CREATE_NEVER)
        .withWriteDisposition(WriteDisposition.APPEND)
        .withUserDataMapper(row -> SnowflakeRawLanding.csvRow(row, id))
        .withSnowflakeServices(services != null ? services : new LandThenMergeServices(id)));
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException("WriteRawWithSnowflakeIO: " + message);
    }
  }
}
