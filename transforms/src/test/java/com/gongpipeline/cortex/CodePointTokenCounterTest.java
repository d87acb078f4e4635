package com.gongpipeline.cortex;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.instanceOf;

import com.gongpipeline.chunking.E5Tokenizer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The counter for models whose tokenizer we lack must never count fewer tokens than a real one. */
class CodePointTokenCounterTest {
  static final List<String> SAMPLES = List.of(
      "We need SSO with SAML and a SOC 2 Type II report before procurement signs.",
      "Preis: 115 € pro Platz, Rabatt ≥ 25 %? Données hébergées à Francfort.",
      "東京オフィスのセキュリティレビューは来週です。",
      "ok", "a-b-c 1,234.56 (x) [y] {z} emoji 🙂 done");

  @Test
  void neverCountsFewerThanTheWordPieceTokenizer() {
    CodePointTokenCounter bound = new CodePointTokenCounter();
    E5Tokenizer wordPiece = new E5Tokenizer();
    for (String s : SAMPLES) {
      assertThat(s, bound.countTokens(s), greaterThanOrEqualTo(wordPiece.countTokens(s)));
    }
  }

  @Test
  void countsAddUpOverSpaceJoinedPieces() {
    CodePointTokenCounter c = new CodePointTokenCounter();
    String a = SAMPLES.get(0);
    String b = SAMPLES.get(1);
    assertThat(c.countTokensWithoutSpecials(a + " " + b),
        equalTo(c.countTokensWithoutSpecials(a) + c.countTokensWithoutSpecials(b)));
  }

  @Test
  void modelsWithTheBertVocabularyCountExactly() {
    assertThat(CortexModel.named("e5-base-v2").tokenCounter(), instanceOf(E5Tokenizer.class));
    assertThat(CortexModel.named("snowflake-arctic-embed-m-v1.5").tokenCounter(),
        instanceOf(E5Tokenizer.class));
    assertThat(CortexModel.named("snowflake-arctic-embed-l-v2.0").tokenCounter(),
        instanceOf(CodePointTokenCounter.class));
  }
}
