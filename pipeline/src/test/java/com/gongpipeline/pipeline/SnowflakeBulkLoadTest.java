package com.gongpipeline.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.gongpipeline.pipeline.options.GongPipelineOptions;
import com.gongpipeline.warehouse.WarehouseRow;
import com.gongpipeline.warehouse.WarehouseTable;
import java.util.Map;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;

class SnowflakeBulkLoadTest {
  private static final String SF = "--warehouse=jdbc:snowflake://acct.snowflakecomputing.com/";

  @Test
  void offUnlessBothOptionsAreSet() {
    assertThat(SnowflakeBulkLoad.fromOptions(options(SF), Map.of()).isPresent(), is(false));
    IllegalArgumentException half = assertThrows(IllegalArgumentException.class,
        () -> SnowflakeBulkLoad.fromOptions(options(SF, "--snowflakeStagingBucket=gs://b/raw/"),
            Map.of()));
    assertThat(half.getMessage(), containsString("must be set together"));
  }

  @Test
  void onWithASnowflakeWarehouseAndADatabase() {
    String[] both = {SF, "--snowflakeStagingBucket=gs://b/raw", "--snowflakeStorageIntegration=I"};
    assertThat(SnowflakeBulkLoad.fromOptions(options(both), Map.of("SNOWFLAKE_DATABASE", "GONG"))
        .isPresent(), is(true));
    assertThat(assertThrows(IllegalArgumentException.class,
            () -> SnowflakeBulkLoad.fromOptions(options(both), Map.of())).getMessage(),
        containsString("--snowflakeDatabase"));
    assertThat(assertThrows(IllegalArgumentException.class, () -> SnowflakeBulkLoad.fromOptions(
            options("--snowflakeStagingBucket=gs://b/", "--snowflakeStorageIntegration=I",
                "--snowflakeDatabase=GONG"), Map.of())).getMessage(),
        containsString("needs a Snowflake --warehouse"));
    assertThat(assertThrows(IllegalArgumentException.class, () -> SnowflakeBulkLoad.fromOptions(
            options(SF, "--snowflakeStagingBucket=gs://b/", "--snowflakeStorageIntegration=I",
                "--snowflakeDatabase=GONG", "--streaming=true"), Map.of())).getMessage(),
        containsString("not stream"));
  }

  @Test
  void onlyRawRowsAreRouted() {
    assertThat(SnowflakeBulkLoad.isRaw(WarehouseRow.of(WarehouseTable.RAW_USERS)
        .set("USER_ID", "u").build()), is(true));
    assertThat(SnowflakeBulkLoad.isRaw(WarehouseRow.of(WarehouseTable.STG_USERS)
        .set("USER_ID", "u").build()), is(false));
  }

  private static GongPipelineOptions options(String... args) {
    return PipelineOptionsFactory.fromArgs(args).as(GongPipelineOptions.class);
  }
}
