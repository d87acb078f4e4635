package com.gongpipeline.warehouse;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.beam.sdk.util.SerializableUtils;
import org.junit.jupiter.api.Test;

/** {@link WarehouseProvider}: serializable with a DoFn, opened where the DoFn runs. */
class WarehouseProviderTest {

  @Test
  void anInMemoryProviderSurvivesSerializationAndOpensTheSameDatabase() {
    String name = "wp_" + UUID.randomUUID().toString().replace("-", "");
    WarehouseProvider provider = SerializableUtils.clone(WarehouseProvider.inMemory(name));
    try (Warehouse keepAlive = Warehouse.open("jdbc:duckdb::memory:" + name)) {
      keepAlive.applySchema();
      try (Warehouse wh = provider.open()) {
        wh.merge(WarehouseTable.STG_CALLS, TestRows.stgCalls(0, 2, "t", "j"));
      }
      assertThat(keepAlive.count(WarehouseTable.STG_CALLS), is(2L));
    }
    assertThat("the last close released the in-memory database",
        DuckDbDatabase.isOpen("jdbc:duckdb::memory:" + name), is(false));
  }

  @Test
  void optionsTravelWithTheProvider() {
    WarehouseProvider.UrlProvider p = (WarehouseProvider.UrlProvider) SerializableUtils.clone(
        WarehouseProvider.of("jdbc:duckdb::memory:x",
            OpenOptions.defaults().withLockWait(Duration.ofMillis(5))));
    assertThat(p.options().lockWait(), is(Duration.ofMillis(5)));
  }

  @Test
  void theUrlsSecretsAreNeverPrinted() {
    assertThat(WarehouseProvider.of("jdbc:snowflake://acct.snowflakecomputing.com/?password=x")
        .toString(), is("WarehouseProvider[jdbc:snowflake://acct.snowflakecomputing.com/?password=***]"));
  }

  @Test
  void aUrlIsRequired() {
    assertThrows(IllegalArgumentException.class, () -> WarehouseProvider.of(" "));
    assertThrows(IllegalArgumentException.class, () -> WarehouseProvider.of("jdbc:duckdb:x", null));
  }

  @Test
  void aFakeIsALambda() {
    List<Warehouse> opened = new java.util.ArrayList<>();
    WarehouseProvider fake = () -> {
      Warehouse w = new DuckDbWarehouse(TestRows.memoryUrl());
      opened.add(w);
      return w;
    };
    try (Warehouse w = fake.open()) {
      w.applySchema();
    }
    assertThat(opened.size(), is(1));
  }
}
