package com.gongpipeline.warehouse;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@value DuckDbDatabase#MEMORY_LIMIT_PROPERTY} caps DuckDB's buffer pool of a file database (so
 * the process does not grow with the file); an in-memory database, which cannot spill, keeps
 * DuckDB's default.
 */
class DuckDbMemoryLimitTest {
  @TempDir Path dir;

  @AfterEach
  void clear() {
    System.clearProperty(DuckDbDatabase.MEMORY_LIMIT_PROPERTY);
  }

  @Test
  void theLimitAppliesToFileDatabasesOnly() {
    System.setProperty(DuckDbDatabase.MEMORY_LIMIT_PROPERTY, "256MB");
    try (Warehouse file = Warehouse.open("jdbc:duckdb:" + dir.resolve("limited.duckdb"));
        Warehouse memory = Warehouse.open("jdbc:duckdb::memory:limit_test")) {
      assertThat(limit(file), is("244.1 MiB")); // DuckDB shows 256 MB in MiB
      assertThat(limit(memory), not(is("244.1 MiB")));
    }
  }

  private static Object limit(Warehouse wh) {
    return wh.query("SELECT current_setting('memory_limit') AS V").get(0).get("V");
  }
}
