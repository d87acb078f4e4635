package com.gongpipeline.enrich;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.gongpipeline.chunking.E5Tokenizer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The batched, length-bucketed path ({@link E5OnnxEncoder} behind {@link LocalE5Embedder}) gives
 * the vectors langchain4j's one-text-per-run model gives, for each local model.
 */
class E5OnnxEncoderTest {
  private static int defaultBatchTokens;

  /** Real batches (several texts, padding, masks) whatever the default batch size is. */
  @BeforeAll
  static void batch() {
    defaultBatchTokens = E5OnnxEncoder.maxBatchTokens;
    E5OnnxEncoder.maxBatchTokens = 4096;
  }

  @AfterAll
  static void restore() {
    E5OnnxEncoder.maxBatchTokens = defaultBatchTokens;
  }

  /** Very different lengths in one call (so several padded batches), odd Unicode, near-empty. */
  static List<String> texts() {
    List<String> t = new ArrayList<>(List.of(
        "Yes.",
        ".",
        "🚀👍",
        "a",
        "On pricing, the list price is $45 per seat per month on the annual plan.",
        "Great to meet the team from Zoë's office in Zürich 🇨🇭, the café there is amazing ☕.",
        "Our Tokyo colleagues wrote the requirements in Japanese: 東京の営業チームが担当します。",
        "The Hebrew greeting is שלום עולם and the Arabic one is مرحبا بالعالم.",
        "The contact's name is spelled Jose\u0301 with a combining accent, not José.",
        "Our developer lead 👩‍💻 wants family emoji like 👨‍👩‍👧 to survive the export intact.",
        "Tabs\tand\nnew lines\r\n  and   runs of   spaces.",
        "Robert'); DROP TABLE STG_GONG_CALLS; -- please make sure your system escapes input."));
    StringBuilder mid = new StringBuilder();
    for (int i = 0; i < 12; i++) {
      mid.append("We compared the security questionnaire, SSO with SAML and the DPA in round ")
          .append(i).append(". ");
    }
    t.add(mid.toString().strip());
    // Close to the 512-token window (with "passage: " and [CLS]/[SEP]), the longest allowed.
    StringBuilder lng = new StringBuilder();
    E5Tokenizer tok = new E5Tokenizer();
    int i = 0;
    while (tok.countTokens("passage: " + lng + " implementation week " + i) <= 500) {
      lng.append(" implementation week ").append(i++);
    }
    t.add(lng.toString().strip());
    return t;
  }

  /**
   * fp32: batched vectors equal langchain4j's per-text ones within 1e-4 cosine. int8: its graph
   * quantizes activations dynamically, with one scale per tensor, so a text's vector depends a
   * little on the texts batched with it; one text per run it equals langchain4j's within 1e-4,
   * batched within 5e-3 (the search eval in {@code bench} is what judges its quality).
   */
  @ParameterizedTest
  @EnumSource(LocalE5Model.class)
  void batchedVectorsEqualLangChain4jPerTextVectors(LocalE5Model model) {
    List<String> texts = texts();
    LocalE5Embedder embedder = new LocalE5Embedder(model);
    List<float[]> passages = embedder.embedPassages(texts);
    List<String> prefixed = texts.stream().map(s -> "passage: " + s).toList();
    List<float[]> reference;
    try (LangChain4jE5 lc4j = new LangChain4jE5(model)) {
      reference = lc4j.embedAll(prefixed);
      float[] query = embedder.embedQuery(texts.get(4));
      float[] queryRef = lc4j.embedAll(List.of("query: " + texts.get(4))).get(0);
      assertThat(EmbeddingMath.cosine(query, queryRef), greaterThan(1 - 1e-4));
    }
    double batchedTolerance = model == LocalE5Model.E5_SMALL_V2 ? 1e-4 : 5e-3;
    assertEquals(texts.size(), passages.size());
    for (int i = 0; i < texts.size(); i++) {
      String what = model + " text " + i + " (" + texts.get(i).length() + " chars)";
      assertThat(what, EmbeddingMath.cosine(passages.get(i), reference.get(i)),
          greaterThan(1 - batchedTolerance));
      assertThat(EmbeddingMath.l2Norm(passages.get(i)), closeTo(1.0, 1e-5));
      if (model != LocalE5Model.E5_SMALL_V2) {
        float[] alone = embedder.embedPassages(List.of(texts.get(i))).get(0);
        assertThat(what + " alone", EmbeddingMath.cosine(alone, reference.get(i)),
            greaterThan(1 - 1e-4));
      }
    }
    // Each vector belongs to its own text: neighbours in the input differ.
    assertThat(EmbeddingMath.cosine(passages.get(4), passages.get(5)), lessThan(0.99));
  }

  /**
   * Runs spread over several threads ({@code -Dgong.e5.parallelRuns}) give every text the vector
   * it gets one run after another, in input order, for either batching.
   */
  @ParameterizedTest
  @EnumSource(LocalE5Model.class)
  void parallelRunsGiveTheSameVectorsInInputOrder(LocalE5Model model) {
    List<String> texts = texts().stream().map(t -> "passage: " + t).toList();
    E5OnnxEncoder encoder = E5OnnxEncoder.get(model);
    int runs = E5OnnxEncoder.parallelRuns;
    boolean serial = E5OnnxEncoder.serialRuns;
    List<float[]> one;
    List<float[]> three;
    try {
      E5OnnxEncoder.parallelRuns = 1;
      one = encoder.infer(texts);
      E5OnnxEncoder.parallelRuns = 3;
      E5OnnxEncoder.serialRuns = false;
      three = encoder.infer(texts);
    } finally {
      E5OnnxEncoder.parallelRuns = runs;
      E5OnnxEncoder.serialRuns = serial;
    }
    assertEquals(one.size(), three.size());
    for (int i = 0; i < one.size(); i++) {
      assertThat(model + " text " + i, EmbeddingMath.cosine(one.get(i), three.get(i)),
          greaterThan(1 - 1e-6));
    }
    assertThat(EmbeddingMath.cosine(three.get(4), three.get(5)), lessThan(0.99));
  }

  /**
   * A text embedded before comes from the memo — the same vector, in an array of its own — and a
   * text repeated within one call is run once; int8 batched (vectors that depend on their batch
   * mates) is never remembered.
   */
  @ParameterizedTest
  @EnumSource(LocalE5Model.class)
  void repeatedTextsComeFromTheMemoOnlyWhenTheirVectorsDependOnTheTextAlone(LocalE5Model model) {
    E5OnnxEncoder encoder = E5OnnxEncoder.get(model);
    String text = "passage: Sounds good, " + model + " will send the order form on " + System.nanoTime();
    String other = "passage: Okay, noted " + System.nanoTime();
    int batchTokens = E5OnnxEncoder.maxBatchTokens;
    try {
      E5OnnxEncoder.maxBatchTokens = -1; // the model's default batching
      boolean remembered = model == LocalE5Model.E5_SMALL_V2
          || E5OnnxEncoder.batchTokens(model) == 0;
      float[] first = encoder.embed(List.of(text, other, text)).get(0);
      long[] before = E5OnnxEncoder.memoLookupsAndHits(model);
      List<float[]> again = encoder.embed(List.of(text, text));
      long[] after = E5OnnxEncoder.memoLookupsAndHits(model);
      assertEquals(remembered ? 2 : 0, after[1] - before[1], model + " memo hits");
      assertThat(EmbeddingMath.cosine(first, again.get(0)), greaterThan(1 - 1e-6));
      again.get(0)[0] += 1f; // a caller's change reaches neither the memo nor the other copy
      assertThat(EmbeddingMath.cosine(first, again.get(1)), greaterThan(1 - 1e-6));
      assertThat(EmbeddingMath.cosine(first, encoder.embed(List.of(text)).get(0)),
          greaterThan(1 - 1e-6));

      E5OnnxEncoder.maxBatchTokens = 4096; // int8 batched: never from the memo
      before = E5OnnxEncoder.memoLookupsAndHits(model);
      encoder.embed(List.of(text, other));
      after = E5OnnxEncoder.memoLookupsAndHits(model);
      assertEquals(model == LocalE5Model.E5_SMALL_V2 ? 2 : 0, after[0] - before[0],
          model + " memo look-ups with batching on");
    } finally {
      E5OnnxEncoder.maxBatchTokens = batchTokens;
    }
  }
}
