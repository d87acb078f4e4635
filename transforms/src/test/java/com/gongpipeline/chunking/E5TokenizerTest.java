package com.gongpipeline.chunking;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.langchain4j.model.embedding.onnx.e5smallv2.E5SmallV2EmbeddingModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class E5TokenizerTest {
  private final E5Tokenizer tok = new E5Tokenizer();

  @Test
  void countsWordPiecesPlusClsAndSep() {
    assertThat(
        tok.tokens("passage: Hello world"),
        contains("[CLS]", "passage", ":", "hello", "world", "[SEP]"));
    assertEquals(6, tok.countTokens("passage: Hello world"));
    assertEquals(4, tok.countTokensWithoutSpecials("passage: Hello world"));
    assertEquals(2, tok.countTokens(""));
    // Digits and unknown words split into several pieces.
    assertEquals(8, tok.countTokensWithoutSpecials("4111111111111111"));
  }

  @Test
  void doesNotTruncateLongTexts() {
    String text = "word ".repeat(1000);
    assertEquals(1002, tok.countTokens(text));
    assertEquals(1000, tok.countTokensWithoutSpecials(text));
  }

  @Test
  void agreesWithTheTokenUsageTheLangchain4jModelReports() {
    // langchain4j reports input tokens without [CLS]/[SEP] (it truncates at 510 of them).
    E5SmallV2EmbeddingModel model = new E5SmallV2EmbeddingModel();
    for (String text :
        List.of(
            "passage: Honestly the price is too high for our budget.",
            "query: pricing objections",
            "passage: We'd need SOC2 and a 30-day pilot before Q3, ok?")) {
      int reported = model.embed(text).tokenUsage().inputTokenCount();
      assertEquals(reported, tok.countTokensWithoutSpecials(text), text);
      assertEquals(reported + 2, tok.countTokens(text), text);
    }
    assertEquals(
        510, (int) model.embed("passage: " + "word ".repeat(600)).tokenUsage().inputTokenCount());
    assertEquals(604, tok.countTokens("passage: " + "word ".repeat(600)));
  }

  @Test
  void countsAddUpOverSpaceJoinedSentences() {
    // The chunker plans with sums of per-sentence counts; WordPiece pre-splits on whitespace.
    List<String> samples =
        List.of(
            "Hi, thanks for joining.", "Café crème — naïve résumé.", "😀👍🏽 great!",
            "東京 office 谢谢", "שלום مرحبا", "e\u0301 zero\u200Dwidth", "$48,000 at 40% in Q3 2026.",
            "john.smith@acme.com", "a-b-c-d-e-f-g");
    Random r = new Random(1);
    for (int i = 0; i < 200; i++) {
      String a = samples.get(r.nextInt(samples.size()));
      String b = samples.get(r.nextInt(samples.size()));
      assertEquals(
          tok.countTokensWithoutSpecials(a) + tok.countTokensWithoutSpecials(b),
          tok.countTokensWithoutSpecials(a + " " + b),
          a + " | " + b);
    }
  }

  @Test
  void batchAndParallelCountsEqualSerialCounts() {
    List<String> texts = new ArrayList<>();
    Random r = new Random(42);
    for (int i = 0; i < 500; i++) {
      texts.add(TestTranscripts.longSentence(1 + r.nextInt(60), i));
    }
    int[] serial = texts.stream().mapToInt(tok::countTokensWithoutSpecials).toArray();
    assertArrayEquals(serial, tok.countTokensWithoutSpecials(texts));
    int[] parallel =
        IntStream.range(0, texts.size())
            .parallel()
            .map(i -> tok.countTokensWithoutSpecials(texts.get(i)))
            .toArray();
    assertArrayEquals(serial, parallel);
  }
}
