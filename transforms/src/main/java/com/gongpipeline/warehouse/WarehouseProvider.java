package com.gongpipeline.warehouse;

import java.io.Serializable;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * How a DoFn reaches the warehouse (the idea of {@code SnowflakeIO.withSnowflakeServices} and
 * JdbcIO's {@code DataSourceProviderFromDataSourceConfiguration}): a small serializable factory
 * that travels with the DoFn and opens a {@link Warehouse} where the DoFn runs. Production hands
 * {@link #of(String)}; tests hand an in-memory DuckDB URL, or any lambda that opens a fake.
 *
 * <p>DoFns call {@link #open()} per batch and close the warehouse after it (try-with-resources),
 * so a long-running job does not hold an embedded DuckDB file between batches: DuckDB lets one
 * process open a file, and readers such as the {@code search} CLI get their turn in between.
 * Snowflake sessions are pooled per JVM behind it, so opening per batch costs no login.
 */
@FunctionalInterface
public interface WarehouseProvider extends Serializable {

  /** Opens (or joins) the warehouse; the caller closes it. */
  Warehouse open();

  /**
   * The warehouse behind a JDBC URL ({@link Warehouse#open(String)}), with the default {@link
   * OpenOptions} as the worker's JVM sees them (its lock-wait system property).
   */
  static WarehouseProvider of(String jdbcUrl) {
    return new UrlProvider(requireUrl(jdbcUrl), null);
  }

  /** The warehouse behind a JDBC URL, opened with these options. */
  static WarehouseProvider of(String jdbcUrl, OpenOptions options) {
    if (options == null) {
      throw new IllegalArgumentException("options are required (OpenOptions.defaults())");
    }
    return new UrlProvider(requireUrl(jdbcUrl), options);
  }

  /**
   * A named in-memory DuckDB database shared inside this JVM ({@code jdbc:duckdb::memory:name}),
   * for tests: it lives while some warehouse on it is open.
   */
  static WarehouseProvider inMemory(String name) {
    return of(DuckDbDatabase.URL_PREFIX + ":memory:" + name);
  }

  private static String requireUrl(@Nullable String jdbcUrl) {
    if (jdbcUrl == null || jdbcUrl.isBlank()) {
      throw new IllegalArgumentException("jdbcUrl is required");
    }
    return jdbcUrl;
  }

  /** A JDBC URL and optional open options; secrets in the URL are never printed. */
  record UrlProvider(String jdbcUrl, @Nullable OpenOptions options) implements WarehouseProvider {
    @Override
    public Warehouse open() {
      return options == null ? Warehouse.open(jdbcUrl) : Warehouse.open(jdbcUrl, options);
    }

    @Override
    public String toString() {
      return "WarehouseProvider["
          + com.gongpipeline.errors.SecretRedaction.redact(jdbcUrl) + "]";
    }
  }
}
