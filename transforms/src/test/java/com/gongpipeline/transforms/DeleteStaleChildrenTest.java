package com.gongpipeline.transforms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import com.gongpipeline.errors.DeadLetter;
import com.gongpipeline.errors.DeadLetterStage;
import com.gongpipeline.warehouse.ChildKeys;
import com.gongpipeline.warehouse.Warehouse;
import com.gongpipeline.warehouse.WarehouseException;
import com.gongpipeline.warehouse.WarehouseProvider;
import com.gongpipeline.warehouse.WarehouseTable;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
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
 * {@link DeleteStaleChildren} deletes key sets in batches per table (one warehouse call per batch,
 * not per call) and, when a batch fails, retries it one call at a time so that only the call that
 * cannot be done is a dead letter.
 */
class DeleteStaleChildrenTest {
  @RegisterExtension final TestPipelineExtension pipelineExtension = TestPipelineExtension.create();

  /** What the fake warehouse saw (static: DoFns are serialized). */
  private static final List<Integer> BATCH_SIZES = Collections.synchronizedList(new ArrayList<>());
  private static final List<String> SINGLES = Collections.synchronizedList(new ArrayList<>());
  private static final AtomicInteger OPENS = new AtomicInteger();

  @BeforeEach
  void reset() {
    BATCH_SIZES.clear();
    SINGLES.clear();
    OPENS.set(0);
  }

  @Test
  void keySetsAreDeletedInBatchesOfAtMostTheBatchSizePerTable(TestPipeline p) {
    List<ChildKeys> sets = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      sets.add(topics("call-" + i));
      sets.add(new ChildKeys(WarehouseTable.MEMORY_RECORDS, "SOURCE_ID", "call-" + i,
          "MEMORY_ID", List.of("gong:call-" + i + ":0"), 7L));
    }
    PCollection<DeadLetter> dls = p.apply(Create.of(sets)
            .withCoder(SerializableCoder.of(ChildKeys.class)))
        .apply(new DeleteStaleChildren(fake(false), 10, Duration.standardSeconds(1)));
    PAssert.that(dls).empty();
    p.run().waitUntilFinish();
    assertThat("every set deleted once, in batches",
        BATCH_SIZES.stream().mapToInt(Integer::intValue).sum(), is(50));
    assertThat(BATCH_SIZES, everyItem(lessThanOrEqualTo(10)));
    assertThat("25 sets of each of 2 tables in batches of at most 10", BATCH_SIZES.size(),
        greaterThanOrEqualTo(6));
    assertThat("no call deleted alone", SINGLES.isEmpty(), is(true));
    assertThat("one open per batch", OPENS.get(), is(BATCH_SIZES.size()));
  }

  @Test
  void aFailingBatchIsRetriedPerCallAndOnlyTheFailingCallIsADeadLetter(TestPipeline p) {
    List<ChildKeys> sets = List.of(topics("ok-1"), topics("bad"), topics("ok-2"));
    PCollection<DeadLetter> dls = p.apply(Create.of(sets)
            .withCoder(SerializableCoder.of(ChildKeys.class)))
        .apply(new DeleteStaleChildren(fake(true), 10, Duration.standardSeconds(1)));
    PAssert.that(dls).satisfies(letters -> {
      List<DeadLetter> all = new ArrayList<>();
      letters.forEach(all::add);
      assertThat(all.size(), is(1));
      assertThat(all.get(0).stage(), is(DeadLetterStage.REPLACE_CHILDREN));
      assertThat(all.get(0).recordKey(),
          is(WarehouseTable.STG_TOPICS.qualifiedName() + ":bad"));
      assertThat(all.get(0).payload(), is("Pricing"));
      return null;
    });
    p.run().waitUntilFinish();
    assertThat(BATCH_SIZES, is(List.of(3)));
    assertThat("each call of the failed batch alone", SINGLES.stream().sorted().toList(),
        is(List.of("bad", "ok-1", "ok-2")));
  }

  private static ChildKeys topics(String call) {
    return new ChildKeys(WarehouseTable.STG_TOPICS, "CALL_ID", call, "TOPIC_NAME",
        List.of("Pricing"), 5L);
  }

  /**
   * A warehouse that records its stale-children deletes; with {@code failBatches}, a batch fails
   * as does the call named "bad" alone.
   */
  private static WarehouseProvider fake(boolean failBatches) {
    return () -> {
      OPENS.incrementAndGet();
      return (Warehouse) Proxy.newProxyInstance(Warehouse.class.getClassLoader(),
          new Class<?>[] {Warehouse.class}, (proxy, method, args) -> {
            switch (method.getName()) {
              case "deleteStaleChildren" -> {
                if (args.length == 1 && args[0] instanceof List<?> batch) {
                  BATCH_SIZES.add(batch.size());
                  if (failBatches) {
                    throw WarehouseException.invalidRow("batch failed");
                  }
                  return 0L;
                }
                ChildKeys k = (ChildKeys) args[0];
                SINGLES.add(k.parentId());
                if (k.parentId().equals("bad")) {
                  throw WarehouseException.invalidRow("cannot delete " + k.parentId());
                }
                return 1L;
              }
              case "close" -> {
                return null;
              }
              default -> throw new UnsupportedOperationException(method.getName());
            }
          });
    };
  }
}
