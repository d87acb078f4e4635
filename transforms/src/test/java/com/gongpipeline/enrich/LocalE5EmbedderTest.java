package com.gongpipeline.enrich;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.gongpipeline.errors.FailureKind;
import com.gongpipeline.errors.PipelineException;
import dev.langchain4j.model.embedding.onnx.e5smallv2q.E5SmallV2QuantizedEmbeddingModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class LocalE5EmbedderTest {
  private static final LocalE5Embedder EMBEDDER = new LocalE5Embedder();

  @AfterAll
  static void close() {
    EMBEDDER.close();
  }

  @Test
  void describesTheModel() {
    assertEquals("e5-small-v2-q", EMBEDDER.modelName(), "the int8 model is the default");
    assertEquals(384, EMBEDDER.dimension());
    assertEquals(512, EMBEDDER.maxInputTokens());
    assertEquals("passage: ", EMBEDDER.passagePrefix());
    assertEquals("query: ", EMBEDDER.queryPrefix());
    assertEquals(6, EMBEDDER.tokenCounter().countTokens("passage: hello world"));
  }

  @Test
  void vectorsAreUnitLengthAndInInputOrder() {
    List<String> texts =
        List.of(
            "We need SSO before procurement signs.",
            "Can you send the order form today?",
            "Our team loved the coaching dashboards.");
    List<float[]> batch = EMBEDDER.embedPassages(texts);
    assertEquals(3, batch.size());
    for (int i = 0; i < texts.size(); i++) {
      assertEquals(384, batch.get(i).length);
      assertThat(EmbeddingMath.l2Norm(batch.get(i)), closeTo(1.0, 1e-4));
      float[] single = EMBEDDER.embedPassages(List.of(texts.get(i))).get(0);
      assertThat(EmbeddingMath.cosine(batch.get(i), single), greaterThan(0.9999));
    }
    assertThat(EmbeddingMath.cosine(batch.get(0), batch.get(1)), lessThan(0.99));
    assertEquals(List.of(), EMBEDDER.embedPassages(List.of()));
  }

  @Test
  void addsThePrefixesItself() {
    String text = "Honestly the price is too high for our budget";
    // The default model's own langchain4j form (int8), one text per run like the embedder's.
    E5SmallV2QuantizedEmbeddingModel raw = new E5SmallV2QuantizedEmbeddingModel();
    float[] passage = EMBEDDER.embedPassages(List.of(text)).get(0);
    float[] query = EMBEDDER.embedQuery(text);
    float[] rawPassage = raw.embed("passage: " + text).content().vector();
    float[] rawQuery = raw.embed("query: " + text).content().vector();
    float[] noPrefix = raw.embed(text).content().vector();
    assertThat(EmbeddingMath.cosine(passage, rawPassage), greaterThan(0.9999));
    assertThat(EmbeddingMath.cosine(query, rawQuery), greaterThan(0.9999));
    assertThat(EmbeddingMath.cosine(passage, noPrefix), lessThan(0.999));
    assertThat(EmbeddingMath.cosine(passage, query), lessThan(0.999));
  }

  @Test
  void queryIsCloserToTheRelevantPassage() {
    List<float[]> passages =
        EMBEDDER.embedPassages(
            List.of(
                "Honestly the price is too high for our budget",
                "The weather in Denver was lovely this weekend"));
    float[] q = EMBEDDER.embedQuery("pricing objections");
    double relevant = EmbeddingMath.cosine(q, passages.get(0));
    double irrelevant = EmbeddingMath.cosine(q, passages.get(1));
    assertThat(relevant - irrelevant, greaterThan(0.02));
  }

  @Test
  void rejectsBlankText() {
    for (String blank : Arrays.asList("", "   \n\t", null)) {
      List<String> texts = new ArrayList<>();
      texts.add("fine");
      texts.add(blank);
      PipelineException e =
          assertThrows(PipelineException.class, () -> EMBEDDER.embedPassages(texts));
      assertEquals(FailureKind.PERMANENT, e.kind());
      assertThat(e.getMessage(), containsString("blank"));
      assertThat(e.getMessage(), containsString("Text 1 of 2"));
      assertThat(EMBEDDER.invalidPassageReason(blank), notNullValue());
    }
    assertThrows(IllegalArgumentException.class, () -> EMBEDDER.embedQuery(" "));
  }

  @Test
  void rejectsTextOverTheTokenLimitInsteadOfTruncating() {
    // "passage: " is 2 tokens, [CLS]+[SEP] 2 more: 508 one-token words fill the window exactly.
    String fits = "word ".repeat(508).strip();
    String over = "word ".repeat(509).strip();
    assertEquals(512, EMBEDDER.tokenCounter().countTokens("passage: " + fits));
    assertThat(EMBEDDER.invalidPassageReason(fits), nullValue());
    assertEquals(384, EMBEDDER.embedPassages(List.of(fits)).get(0).length);

    PipelineException e =
        assertThrows(PipelineException.class, () -> EMBEDDER.embedPassages(List.of(over)));
    assertEquals(FailureKind.PERMANENT, e.kind());
    assertThat(e.getMessage(), containsString("513 tokens"));
    assertThat(EMBEDDER.invalidPassageReason(over), containsString("at most 512"));
    assertThrows(
        IllegalArgumentException.class, () -> EMBEDDER.embedQuery("word ".repeat(2000)));
  }

  /** Concurrent model runs (past the memo, which would answer them) give the serial vectors. */
  @Test
  void isThreadSafe() throws Exception {
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 48; i++) {
      texts.add("passage: Customer " + i + " asked about the renewal discount and the SOC2 report.");
    }
    E5OnnxEncoder encoder = E5OnnxEncoder.get(EMBEDDER.model());
    List<float[]> serial = encoder.infer(texts);

    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<float[]>> futures = new ArrayList<>();
      for (String t : texts.subList(0, 12)) {
        futures.add(pool.submit(() -> encoder.infer(List.of(t)).get(0)));
      }
      for (int i = 0; i < futures.size(); i++) {
        assertArrayEquals(serial.get(i), futures.get(i).get(), 1e-5f);
      }
    } finally {
      pool.shutdown();
    }
  }
}
