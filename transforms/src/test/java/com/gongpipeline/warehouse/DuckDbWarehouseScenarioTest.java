package com.gongpipeline.warehouse;

import org.junit.jupiter.api.Test;

/** The dialect-neutral {@link WarehouseScenario} on the embedded DuckDB warehouse. */
class DuckDbWarehouseScenarioTest {

  @Test
  void theSharedScenarioPassesOnDuckDb() {
    try (DuckDbWarehouse wh = new DuckDbWarehouse(TestRows.memoryUrl())) {
      WarehouseScenario scenario = new WarehouseScenario(wh, "t1", 768, "e5-base-v2");
      scenario.runAll();
      scenario.cleanUp();
    }
  }
}
