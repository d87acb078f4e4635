package com.gongpipeline.parse;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class EntityExtractorTest {
  private final EntityExtractor extractor = EntityExtractor.of(Arrays.asList(
      "Zoë's Café GmbH", "Ostrava Data", "Ostrava Data Cloud", "Quillstack", null, " ",
      "Robert'); DROP TABLE STG_GONG_CALLS; --", "東京商事"));

  private static List<String> money(String text) {
    return EntityExtractor.money(text).stream()
        .map(m -> m.text() + "=" + m.amount().toPlainString() + " " + m.currency()).toList();
  }

  @Test
  void organisations_wholeWordsCaseInsensitive_knownSpelling_firstMentionFirst_once() {
    assertThat(extractor.organisations(
            "quillstack and OSTRAVA DATA CLOUD, then Quillstack again; Quillstacks is no match."),
        contains("Quillstack", "Ostrava Data Cloud"));
    assertThat(extractor.organisations("Ostrava Database is another word"), is(empty()));
  }

  @Test
  void organisations_oddUnicode_combiningAccentsEmojiAndCjkMatch() {
    // "Zoe\u0308" (combining diaeresis) is the same name as the precomposed "Zoë" after NFC.
    assertThat(extractor.organisations("Lunch at Zoe\u0308's Café GmbH 🇨🇭☕ then 東京商事の件"),
        contains("Zoë's Café GmbH", "東京商事"));
    assertThat(extractor.organisations("שלום עולם 👨‍👩‍👧 مرحبا"), is(empty()));
  }

  @Test
  void sqlLookingText_isMatchedLiterally_andTheJsonStaysValid() {
    String text = "Robert'); DROP TABLE STG_GONG_CALLS; -- said \"$1; DELETE FROM x\" \\ ok";
    assertThat(extractor.organisations(text),
        contains("Robert'); DROP TABLE STG_GONG_CALLS; --"));
    JsonNode json = JsonSupport.parse(extractor.extractJson(text));
    assertThat(json.get("organisations").get(0).asText(),
        is("Robert'); DROP TABLE STG_GONG_CALLS; --"));
    assertThat(json.get("money").get(0).get("amount").decimalValue(), is(BigDecimal.ONE));
    // A regex metacharacter in a known name is literal, not a pattern.
    assertThat(EntityExtractor.of(List.of("A.B (C)+")).organisations("AxB C and A.B (C)+ ltd"),
        contains("A.B (C)+"));
  }

  @Test
  void money_symbolsCodesWordsAndMultipliers() {
    assertThat(money("List is $45 a seat, about $1,234,567.89 a year, or €12.50 and ¥1,800."),
        contains("$45=45 USD", "$1,234,567.89=1234567.89 USD", "€12.50=12.5 EUR",
            "¥1,800=1800 JPY"));
    assertThat(money("A $1.2M deal, USD 5,000 upfront, 300 dollars, 2 million euros, £3k."),
        contains("$1.2M=1200000 USD", "USD 5,000=5000 USD", "300 dollars=300 USD",
            "2 million euros=2000000 EUR", "£3k=3000 GBP"));
  }

  @Test
  void money_ignoresPlainNumbersAndWords() {
    assertThat(money("We have 250 seats, 12 more in Q3, and SOC 2 Type II."), is(empty()));
    assertThat(money("$12 more"), contains("$12=12 USD"));
    assertThat(money(""), is(empty()));
  }

  @Test
  void json_namesItsMethodAndHasBothListsEvenWhenEmpty() {
    assertThat(extractor.extractJson("nothing here"),
        is("{\"method\":\"rules-v1\",\"organisations\":[],\"money\":[]}"));
  }
}
