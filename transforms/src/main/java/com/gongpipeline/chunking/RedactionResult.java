package com.gongpipeline.chunking;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Redacted text plus how many of each PII type were replaced, for metrics (counts only: the
 * redacted values themselves are never kept).
 */
public record RedactionResult(String text, int emails, int phones, int ssns, int cards,
    int ibans) {

  public int total() {
    return emails + phones + ssns + cards + ibans;
  }

  /** Counts keyed by metric-friendly type name: email, phone, ssn, card, iban (all present). */
  public Map<String, Integer> countsByType() {
    Map<String, Integer> m = new LinkedHashMap<>();
    m.put("email", emails);
    m.put("phone", phones);
    m.put("ssn", ssns);
    m.put("card", cards);
    m.put("iban", ibans);
    return m;
  }
}
