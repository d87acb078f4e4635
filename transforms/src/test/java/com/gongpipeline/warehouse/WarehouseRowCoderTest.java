package com.gongpipeline.warehouse;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.testing.CoderProperties;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.jupiter.api.Test;

/** {@link WarehouseRowCoder}: every documented value type round-trips, compactly. */
class WarehouseRowCoderTest {

  private static WarehouseRow memoryRow() {
    float[] vector = new float[768];
    for (int i = 0; i < vector.length; i++) {
      vector[i] = (float) Math.sin(i) * 0.1f;
    }
    return WarehouseRow.of(WarehouseTable.MEMORY_RECORDS)
        .set("MEMORY_ID", "m-1")
        .set("CALL_ID", "c-1")
        .set("CONTENT", "Pricing is too high — “ünïcode” 💬")
        .set("EMBEDDING", vector)
        .set("EMBEDDING_DIM", 768)
        .set("CHUNK_INDEX", 3L)
        .set("SENTIMENT_SCORE", -0.25)
        .set("IS_PRIVATE", false)
        .set("CREATED_AT", Instant.parse("2026-11-03T16:19:51.123456789Z"))
        .set("METADATA", new WarehouseRow.Json("{\"a\":[1,2]}"))
        .set("SUMMARY", null)
        .set("OTHER", new BigDecimal("12.50"))
        .build()
        .withCallVersion(7);
  }

  @Test
  void everyValueTypeRoundTripsInBothContexts() throws Exception {
    WarehouseRow row = memoryRow();
    CoderProperties.coderDecodeEncodeEqual(WarehouseRowCoder.of(), row);
    // (coderDecodeEncodeEqual covers the outer and the nested context)
    WarehouseRow back = CoderUtils.clone(WarehouseRowCoder.of(), row);
    assertThat(back.callVersion(), is(7L));
    assertThat(back.get("CREATED_AT"), is(Instant.parse("2026-11-03T16:19:51.123456789Z")));
    assertThat(back.get("EMBEDDING_DIM"), instanceOf(Integer.class));
    assertThat(back.get("CHUNK_INDEX"), instanceOf(Long.class));
    assertThat(back.get("OTHER"), is(new BigDecimal("12.50")));
    assertThat("column order kept", List.copyOf(back.values().keySet()),
        is(List.copyOf(row.values().keySet())));
    WarehouseRow unversioned = WarehouseRow.of(WarehouseTable.STG_CALLS).set("CALL_ID", "c").build();
    assertThat(CoderUtils.clone(WarehouseRowCoder.of(), unversioned).callVersion(),
        is((Long) null));
  }

  @Test
  void isSmallerThanJavaSerialization() throws Exception {
    WarehouseRow row = memoryRow();
    int compact = CoderUtils.encodeToByteArray(WarehouseRowCoder.of(), row).length;
    int serialized = CoderUtils.encodeToByteArray(SerializableCoder.of(WarehouseRow.class), row)
        .length;
    assertThat(compact, lessThan(serialized));
  }
}
