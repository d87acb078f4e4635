package com.gongpipeline.transforms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import com.gongpipeline.errors.DeadLetter;
import com.gongpipeline.errors.DeadLetterCoder;
import com.gongpipeline.transforms.DeadLetterPayload;
import com.gongpipeline.errors.DeadLetterStage;
import com.gongpipeline.warehouse.WarehouseRow;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Issue 11 item 12: the DEAD_LETTER rows a pipeline writes, by {@code --deadLetterPayload}. */
class DeadLetterRowsTest {
  @RegisterExtension final TestPipelineExtension pipelineExtension = TestPipelineExtension.create();

  static final String RAW_CALL = "{\"metaData\":{\"id\":\"42\",\"started\":\"x\"},\"parties\":"
      + "[{\"name\":\"Jane Roe\",\"emailAddress\":\"jane@acme.com\"}]}";

  static PCollection<WarehouseRow> rows(TestPipeline p, DeadLetterPayload mode) {
    return p.apply(Create.of(DeadLetter.of(DeadLetterStage.RAW, "42",
                new IllegalArgumentException("bad"), RAW_CALL, 1))
            .withCoder(DeadLetterCoder.of()))
        .apply(ToWarehouseRows.deadLetters("job-1", mode));
  }

  @Test
  void rawCallPayloadsAreRedactedByDefault(TestPipeline p) {
    PAssert.that(p.apply(Create.of(DeadLetter.of(DeadLetterStage.RAW, "42",
                new IllegalArgumentException("bad"), RAW_CALL, 1))
            .withCoder(DeadLetterCoder.of()))
        .apply(ToWarehouseRows.deadLetters("job-1"))).satisfies(rows -> {
          WarehouseRow row = rows.iterator().next();
          assertThat(row.get("RECORD_KEY"), equalTo("42"));
          assertThat(row.get("STAGE"), equalTo("raw"));
          assertThat(String.valueOf(row.get("PAYLOAD")), not(containsString("Jane Roe")));
          assertThat(String.valueOf(row.get("PAYLOAD")), not(containsString("jane@acme.com")));
          assertThat(String.valueOf(row.get("PAYLOAD")), containsString("\"id\":\"42\""));
          return null;
        });
    p.run().waitUntilFinish();
  }

  @Test
  void fullKeepsTheVerbatimPayload(TestPipeline p) {
    PAssert.that(rows(p, DeadLetterPayload.FULL)).satisfies(rows -> {
      assertThat(rows.iterator().next().get("PAYLOAD"), equalTo(RAW_CALL));
      return null;
    });
    p.run().waitUntilFinish();
  }
}
