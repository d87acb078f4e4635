package com.gongpipeline.parse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.gongpipeline.gong.GongJson;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * JSON reading and hashing shared by the parsing steps. Numbers keep full precision (20-digit ids
 * sent as numbers survive), and unknown fields are simply ignored because we read trees.
 */
public final class JsonSupport {
  /** Fields Gong re-generates on every request (presigned media URLs): never part of a hash. */
  public static final Set<String> VOLATILE_FIELDS = Set.of("media", "audioUrl", "videoUrl");

  /** Gong's mapper: numbers keep full precision, unknown fields are ignored. */
  public static final ObjectMapper MAPPER = GongJson.mapper();

  private JsonSupport() {}

  /** Parses JSON text; malformed text raises an IllegalArgumentException with the parser's reason. */
  public static JsonNode parse(String json) {
    try {
      JsonNode node = MAPPER.readTree(json);
      if (node == null || node.isMissingNode()) {
        throw new IllegalArgumentException("empty JSON document");
      }
      return node;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("malformed JSON: " + e.getOriginalMessage(), e);
    }
  }

  public static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** SHA-256 (hex) of the JSON with keys sorted and volatile fields removed. */
  public static String contentHash(JsonNode node) {
    return sha256(write(canonical(node)));
  }

  public static String sha256(String text) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(md.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode canonical(JsonNode node) {
    if (node.isObject()) {
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      List<String> names = new ArrayList<>();
      Iterator<String> it = node.fieldNames();
      it.forEachRemaining(names::add);
      Collections.sort(names);
      for (String name : names) {
        if (!VOLATILE_FIELDS.contains(name)) {
          out.set(name, canonical(node.get(name)));
        }
      }
      return out;
    }
    if (node.isArray()) {
      ArrayNode out = JsonNodeFactory.instance.arrayNode();
      node.forEach(child -> out.add(canonical(child)));
      return out;
    }
    return node;
  }

  /** Text of a field, or null when absent/null; numbers come out exactly as sent. */
  public static String text(JsonNode node, String field) {
    return GongJson.text(node, field);
  }

  /**
   * A field that is present but out of range or malformed. The message names the field (a JSON
   * path such as {@code transcript[2].sentences[0].start}) and the value as sent, so a dead letter
   * or warning says exactly what was refused; nothing is coerced.
   */
  public static final class InvalidField extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String field;

    public InvalidField(String field, String problem) {
      super(field + ": " + problem);
      this.field = field;
    }

    /** The JSON path of the refused field. */
    public String field() {
      return field;
    }
  }

  /**
   * A whole number in {@code [min, max]}, from a JSON integer or a string of digits (Gong sends
   * some numbers as strings); null when the field is absent or null. Anything else (a fraction, a
   * word, a number beyond {@code long} or outside the range) is an {@link InvalidField} naming
   * {@code path}: never 0, never a wrapped-around value.
   */
  public static Long wholeNumber(JsonNode node, String field, String path, long min, long max) {
    JsonNode v = node == null ? null : node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    java.math.BigDecimal n = decimal(v, path);
    java.math.BigInteger whole;
    try {
      whole = n.toBigIntegerExact();
    } catch (ArithmeticException e) {
      throw new InvalidField(path, "'" + shown(v) + "' is not a whole number");
    }
    if (whole.compareTo(java.math.BigInteger.valueOf(min)) < 0
        || whole.compareTo(java.math.BigInteger.valueOf(max)) > 0) {
      throw new InvalidField(path, "'" + shown(v) + "' is outside [" + min + ", " + max + "]");
    }
    return whole.longValue();
  }

  /** As {@link #wholeNumber} for a decimal in {@code [min, max]} (e.g. a topic's seconds). */
  public static Double decimalNumber(JsonNode node, String field, String path, double min,
      double max) {
    JsonNode v = node == null ? null : node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    java.math.BigDecimal n = decimal(v, path);
    if (n.compareTo(java.math.BigDecimal.valueOf(min)) < 0
        || n.compareTo(java.math.BigDecimal.valueOf(max)) > 0) {
      throw new InvalidField(path, "'" + shown(v) + "' is outside [" + min + ", " + max + "]");
    }
    return n.doubleValue();
  }

  private static java.math.BigDecimal decimal(JsonNode v, String path) {
    if (v.isNumber()) {
      return v.decimalValue();
    }
    if (v.isTextual()) {
      try {
        return new java.math.BigDecimal(v.asText().trim());
      } catch (NumberFormatException e) {
        throw new InvalidField(path, "'" + shown(v) + "' is not a number");
      }
    }
    throw new InvalidField(path, "a " + v.getNodeType() + " is not a number");
  }

  private static String shown(JsonNode v) {
    String s = v.isTextual() ? v.asText() : v.toString();
    return s.length() <= 40 ? s : s.substring(0, 40) + "…";
  }

  /** The elements of an array field; an absent or null field is an empty list. */
  public static List<JsonNode> array(JsonNode node, String field) {
    List<JsonNode> out = new ArrayList<>();
    if (node != null) {
      JsonNode v = node.get(field);
      if (v != null && v.isArray()) {
        v.forEach(out::add);
      }
    }
    return out;
  }
}
