package com.gongpipeline.transforms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

import com.gongpipeline.errors.DeadLetter;
import com.gongpipeline.errors.FailureKind;
import com.gongpipeline.warehouse.ChildKeys;
import com.gongpipeline.warehouse.Warehouse;
import com.gongpipeline.warehouse.WarehouseException;
import com.gongpipeline.warehouse.WarehouseProvider;
import com.gongpipeline.warehouse.WarehouseRow;
import com.gongpipeline.warehouse.WarehouseTable;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The warehouse DoFns take a {@link WarehouseProvider} (serialized with the DoFn, opened per batch)
 * instead of opening a URL themselves: an in-memory DuckDB or a fake stands in without a file.
 */
class WarehouseProviderInDoFnsTest {
  @RegisterExtension final TestPipelineExtension pipelineExtension = TestPipelineExtension.create();

  private static final Instant T1 = Instant.parse("2025-01-02T03:04:05Z");
  /** Opens and merges seen by the providers below (static: DoFns are serialized). */
  private static final AtomicInteger OPENS = new AtomicInteger();
  private static final AtomicInteger MERGES = new AtomicInteger();

  @BeforeEach
  void reset() {
    OPENS.set(0);
    MERGES.set(0);
  }

  @Test
  void givenAnInMemoryProvider_rowsLandAndTheProviderIsOpenedPerBatch(TestPipeline p) {
    String url = "jdbc:duckdb::memory:wp_" + UUID.randomUUID().toString().replace("-", "");
    try (Warehouse wh = Warehouse.open(url)) { // keeps the in-memory database alive
      wh.applySchema();
      WarehouseProvider inMemory = WarehouseProvider.of(url);
      WarehouseProvider counting = () -> {
        OPENS.incrementAndGet();
        return inMemory.open();
      };
      PCollection<DeadLetter> dls = p.apply(Create.of(calls(10))
              .withCoder(SerializableCoder.of(WarehouseRow.class)))
          .apply(new WriteToWarehouse(counting, 4, Duration.standardSeconds(30)));
      PAssert.that(dls).empty();
      p.run().waitUntilFinish();
      assertThat(wh.count(WarehouseTable.STG_CALLS), is(10L));
      assertThat("one open per batch of at most 4 rows", OPENS.get(), greaterThanOrEqualTo(3));
    }
  }

  @Test
  void givenTheWarehouseStaysDown_everyRowIsDeadLetteredOnceWithItsKind(TestPipeline p) {
    WarehouseProvider down = () -> failing(
        new WarehouseException(FailureKind.RETRYABLE, "merge failed after 10 attempt(s)", null, 10));
    PCollection<DeadLetter> dls = p.apply(Create.of(calls(5))
            .withCoder(SerializableCoder.of(WarehouseRow.class)))
        .apply(new WriteToWarehouse(down, 100, Duration.standardSeconds(30)));
    PAssert.that(dls).satisfies(all -> {
      List<DeadLetter> list = new ArrayList<>();
      all.forEach(list::add);
      assertThat(list, hasSize(5));
      assertThat(list.stream().map(DeadLetter::kind).toList(), everyItem(is(FailureKind.RETRYABLE)));
      assertThat(list.stream().map(DeadLetter::attempts).toList(), everyItem(is(10)));
      return null;
    });
    p.run().waitUntilFinish();
    assertThat("no retry around the warehouse and no row-by-row isolation", MERGES.get(),
        equalTo(1));
  }

  @Test
  void givenAPermanentFailureOfEveryRow_eachRowIsTriedAloneAndDeadLettered(TestPipeline p) {
    WarehouseProvider refusing = () -> failing(WarehouseException.invalidRow("bad row"));
    PCollection<DeadLetter> dls = p.apply(Create.of(calls(3))
            .withCoder(SerializableCoder.of(WarehouseRow.class)))
        .apply(new WriteToWarehouse(refusing, 100, Duration.standardSeconds(30)));
    PAssert.that(dls).satisfies(all -> {
      List<DeadLetter> list = new ArrayList<>();
      all.forEach(list::add);
      assertThat(list, hasSize(3));
      assertThat(list.stream().map(DeadLetter::kind).toList(), everyItem(is(FailureKind.PERMANENT)));
      assertThat(list.stream().map(DeadLetter::attempts).toList(), everyItem(is(2)));
      return null;
    });
    p.run().waitUntilFinish();
    assertThat("the batch, then each row alone", MERGES.get(), equalTo(4));
  }

  @Test
  void givenAnInMemoryProvider_staleChildrenAreDeleted(TestPipeline p) {
    String url = "jdbc:duckdb::memory:wp_" + UUID.randomUUID().toString().replace("-", "");
    try (Warehouse wh = Warehouse.open(url)) {
      wh.applySchema();
      wh.merge(WarehouseTable.STG_TOPICS, List.of(topic("c1", "Pricing"), topic("c1", "Legal"),
          topic("c2", "Legal")));
      PCollection<DeadLetter> dls = p.apply(Create.of(new ChildKeys(WarehouseTable.STG_TOPICS,
              "CALL_ID", "c1", "TOPIC_NAME", List.of("Pricing")))
              .withCoder(SerializableCoder.of(ChildKeys.class)))
          .apply(new DeleteStaleChildren(WarehouseProvider.of(url)));
      PAssert.that(dls).empty();
      p.run().waitUntilFinish();
      assertThat(wh.count(WarehouseTable.STG_TOPICS), is(2L));
    }
  }

  /** A warehouse whose merge always throws {@code error}; every other method is unsupported. */
  private static Warehouse failing(RuntimeException error) {
    return (Warehouse) Proxy.newProxyInstance(Warehouse.class.getClassLoader(),
        new Class<?>[] {Warehouse.class}, (proxy, method, args) -> {
          switch (method.getName()) {
            case "merge" -> {
              MERGES.incrementAndGet();
              throw error;
            }
            case "close" -> {
              return null;
            }
            default -> throw new UnsupportedOperationException(method.getName());
          }
        });
  }

  private static List<WarehouseRow> calls(int n) {
    List<WarehouseRow> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      rows.add(WarehouseRow.of(WarehouseTable.STG_CALLS).set("CALL_ID", "call-" + i)
          .set("CALL_TITLE", "title " + i).set("JOB_ID", "job-p").set("LOADED_AT", T1).build());
    }
    return rows;
  }

  private static WarehouseRow topic(String callId, String name) {
    return WarehouseRow.of(WarehouseTable.STG_TOPICS).set("CALL_ID", callId)
        .set("TOPIC_NAME", name).set("DURATION_SECONDS", 10.0).set("JOB_ID", "j")
        .set("LOADED_AT", T1).build();
  }
}
