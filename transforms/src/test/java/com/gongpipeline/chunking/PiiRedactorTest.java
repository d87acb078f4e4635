package com.gongpipeline.chunking;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.gongpipeline.model.Sentence;
import com.gongpipeline.model.TranscriptTurn;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class PiiRedactorTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "john.smith@acme.com",
        "J.Smith+gong@mail.acme-corp.co.uk",
        "sales_ops@acme.io",
        "x@y.ai"
      })
  void redactsEmails(String email) {
    assertEquals("Send it to [EMAIL] please.", PiiRedactor.redact("Send it to " + email + " please."));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "+1 (415) 555-0134",
        "415-555-0134",
        "415.555.0134",
        "+44 20 7946 0958",
        "(212) 555 0199",
        "1-800-555-0199",
        "+1 415 555 0134",
        "+14155550134",
        "+49 30 12345678",
        "020 7946 0958"
      })
  void redactsPhones(String phone) {
    RedactionResult r = PiiRedactor.redactCounting("Call me at " + phone + ", thanks.");
    assertEquals("Call me at [PHONE], thanks.", r.text());
    assertEquals(1, r.phones());
    assertEquals(1, r.total());
  }

  @Test
  void redactsSsn() {
    RedactionResult r = PiiRedactor.redactCounting("My SSN is 123-45-6789.");
    assertEquals("My SSN is [SSN].", r.text());
    assertEquals(1, r.ssns());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "4111 1111 1111 1111",
        "4111-1111-1111-1111",
        "4111111111111111", // contiguous, Luhn-valid
        "3782 822463 10005", // Amex grouping
        "4 1 1 1 1 1 1 1 1 1 1 1 1 1 1 2", // read out digit by digit, checksum irrelevant
        "4111 1111 1111 1112" // grouped like a card: redacted even if a digit was misheard
      })
  void redactsCards(String card) {
    RedactionResult r = PiiRedactor.redactCounting("Card number " + card + " expires soon.");
    assertEquals("Card number [CARD] expires soon.", r.text());
    assertEquals(1, r.cards());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "The price is $48,000 per year, a 40% discount.",
        "We plan to roll out in 2026, probably Q3.",
        "The pilot runs 30 days starting 2026-03-01 until 2026-03-31.",
        "Dates 2026-03-01 2026-04-01 2026-05-01 are fine.",
        "Gong call id 7782342274025937895 was mentioned.", // 19 digits, fails Luhn
        "Id 12345678901234567890 is twenty digits.",
        "Version 1.2.3 and 3.14159, at 10:30 with 100-200 users.",
        "We have 1,250,000 users and 555-0134 is a local extension.",
        "Order 4155550134 shipped.",
        "Seats: 25 50 100 250 500 1000 2500 5000 10000.",
        "Meet at 3 pm, room 12-34, call 1 2 3."
      })
  void keepsOrdinaryNumbers(String text) {
    RedactionResult r = PiiRedactor.redactCounting(text);
    assertEquals(text, r.text());
    assertEquals(0, r.total());
  }

  @Test
  void countsEachTypeInMixedText() {
    RedactionResult r =
        PiiRedactor.redactCounting(
            "Email a@b.com or c.d@e.org, call 415-555-0134 or +44 20 7946 0958, "
                + "SSN 123-45-6789, card 4111 1111 1111 1111. Budget $48,000 by 2026-03-01.");
    assertEquals(
        "Email [EMAIL] or [EMAIL], call [PHONE] or [PHONE], SSN [SSN], card [CARD]. "
            + "Budget $48,000 by 2026-03-01.",
        r.text());
    assertEquals(Map.of("email", 2, "phone", 2, "ssn", 1, "card", 1, "iban", 0),
        r.countsByType());
    assertEquals(6, r.total());
  }

  /**
   * Issue 11 item 11: the forms the old patterns missed (unicode emails, international and
   * national phone formats, spaced SSNs, IBANs, full-width digits) are redacted, each as its type.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "josé@acme.com|[EMAIL]",
      "user@bücher.de|[EMAIL]",
      "+44 20 7946 0958|[PHONE]",
      "0044 20 7946 0958|[PHONE]",
      "06 12 34 56 78|[PHONE]",
      "07700 900123|[PHONE]",
      "030 12345678|[PHONE]",
      "123 45 6789|[SSN]",
      "DE89 3704 0044 0532 0130 00|[IBAN]",
      "GB82 WEST 1234 5698 7654 32|[IBAN]",
      "FR1420041010050500013M02606|[IBAN]",
      "１２３-４５-６７８９|[SSN]",
      "＋４４ ２０ ７９４６ ０９５８|[PHONE]",
      "(030) 1234 5678|[PHONE]",
      "+33 6 12 34 56 78|[PHONE]",
      "03-1234-5678|[PHONE]",
      "ü.ser@例え.jp|[EMAIL]",
  })
  void redactsInternationalForms(String pii, String placeholder) {
    RedactionResult r = PiiRedactor.redactCounting("Note: " + pii + ", thanks.");
    assertEquals("Note: " + placeholder + ", thanks.", r.text());
    assertEquals(1, r.total());
  }

  /** ... and ordinary numbers around them are left exactly as they were. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "It shipped in 2019, renewed in 2023 and 2024, and ends 2031.",
        "List price €1.299,00 or $1,299.99, about 1 299 € net, ¥150000 in Japan.",
        "The call lasted 1:30:00, the demo 45 minutes, the gap 0:05 and PT1H30M in ISO.",
        "Upgrade from 10.4.12 to v11.0.2; Java 17.0.9; build 2026.03.1-rc2.",
        "Logged at 2026-03-01T10:30:00Z and 2026-03-01 10:30:15.123 UTC, again at 14:05:33.",
        "Dates 03.04.2026, 03/04/2026, 3/4/26 and 01-02-2025 all work.",
        "Ticket 0012345678 and id 7782342274025937895 and order 4155550134.",
        "We grew 0.5% to 12.75%, from 0.12 to 0.15, between 05 and 10 o'clock.",
        "ISO 27001, SOC 2, RFC 5322, port 8080, HTTP 429, ports 0 to 65535.",
        "Ranges 100-200 and 2020-2024, room 12-34, invoice INV-2026-0042.",
        "Full-width years ２０２６ and prices ￥１，２００ stay.",
        "Quote 1234 5678 for seats 25 50 100 250 500.",
        "Serial ABCD1234EFGH5678 and SKU DE12-ABCD are product codes.",
      })
  void keepsNonPii(String text) {
    RedactionResult r = PiiRedactor.redactCounting(text);
    assertEquals(text, r.text());
    assertEquals(0, r.total());
  }

  @Test
  void ibanNeedsItsChecksum() {
    assertTrue(PiiRedactor.ibanValid("DE89 3704 0044 0532 0130 00"));
    assertFalse(PiiRedactor.ibanValid("DE88 3704 0044 0532 0130 00"));
    assertEquals("IBAN DE88 3704 0044 0532 0130 00 is a typo.",
        PiiRedactor.redact("IBAN DE88 3704 0044 0532 0130 00 is a typo."));
  }

  @Test
  void keepsNonPiiTextExactlyIncludingFullWidthAndNoBreakSpaces() {
    String text = "Ｑ３ ２０２６: 48\u00A0000 € ‒ josé@acme.com";
    assertEquals("Ｑ３ ２０２６: 48\u00A0000 € ‒ [EMAIL]", PiiRedactor.redact(text));
  }

  @Test
  void luhnCheck() {
    assertTrue(PiiRedactor.luhnValid("4111111111111111"));
    assertTrue(PiiRedactor.luhnValid("378282246310005"));
    assertFalse(PiiRedactor.luhnValid("4111111111111112"));
  }

  @Test
  void survivesOddUnicode() {
    String[] texts = {
      "😀 call 📞 415-555-0134 👍🏽", "‏שלום‎ mail אני@example.com ok", "e\u0301\u0301\u0301 123-45-6789",
      "👨‍👩‍👧‍👦\u200D\u200B\u202E 4111 1111 1111 1111", "\uD83D\uD83D lonely \uDE00 surrogates", "",
      "１２３-４５-６７８９ full-width digits"
    };
    for (String t : texts) {
      PiiRedactor.redact(t);
    }
    assertEquals("😀 call 📞 [PHONE] 👍🏽", PiiRedactor.redact(texts[0]));
    assertThat(PiiRedactor.redact(texts[3]), containsString("[CARD]"));
    assertThat(PiiRedactor.redact(texts[3]), containsString("👨‍👩‍👧‍👦"));
    // Fuzz: random code points (including unpaired surrogates) never throw.
    Random r = new Random(3);
    for (int i = 0; i < 2000; i++) {
      StringBuilder sb = new StringBuilder();
      for (int j = 0; j < 40; j++) {
        sb.append(
            r.nextInt(3) == 0 ? (char) ('0' + r.nextInt(10)) : (char) r.nextInt(Character.MAX_VALUE));
      }
      PiiRedactor.redact(sb.toString());
    }
  }

  @Test
  void isFastOnLongAdversarialInput() {
    String digits = "1 2-3.4 ".repeat(5000) + "+" + "1".repeat(5000) + "a@".repeat(5000);
    long t0 = System.nanoTime();
    PiiRedactor.redact(digits);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(ms < 2000, "took " + ms + " ms");
  }

  @Test
  void redactsEverySentenceOfATurn() {
    TranscriptTurn turn =
        new TranscriptTurn(
            "c1", 4, "s1", "Ann", "External", "Pricing",
            List.of(
                new Sentence(0, 10, "Reach me at ann@acme.com."), new Sentence(10, 20, "Thanks!")));
    TranscriptTurn out = PiiRedactor.redactTurn(turn);
    assertEquals("Reach me at [EMAIL]. Thanks!", out.text());
    assertEquals(turn.turnIndex(), out.turnIndex());
    assertEquals(turn.topic(), out.topic());
    assertThat(out.text(), not(containsString("@")));
  }
}
