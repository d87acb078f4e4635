package com.gongpipeline.warehouse;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base of the DuckDB warehouse tests that each need a fresh in-memory warehouse with the schema
 * applied: opened before each test as {@link #wh}, closed after it.
 */
abstract class WithSchemaWarehouse {
  protected DuckDbWarehouse wh;

  @BeforeEach
  void openWarehouse() {
    wh = TestRows.openWithSchema();
  }

  @AfterEach
  void closeWarehouse() {
    wh.close();
  }
}
