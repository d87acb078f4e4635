package com.gongpipeline.transforms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.gongpipeline.chunking.PiiRedactor;
import com.gongpipeline.errors.DeadLetter;
import com.gongpipeline.errors.SecretRedaction;
import com.gongpipeline.parse.JsonSupport;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * What of a dead letter's payload reaches {@code OPS_MONITORING.DEAD_LETTER}
 * ({@code --deadLetterPayload}). Either way the row keeps the references an operator needs: the
 * record key (call id, window, chunk id), stage, failure kind, attempts and the error.
 *
 * <ul>
 *   <li>{@link #REDACTED} (the default): the payload as a reader of {@code AI_MEMORY} may see
 *       it. In a JSON payload (a call, a transcript, a row) every value under a personal key
 *       (names, emails, phone numbers, titles, addresses, at any depth) becomes {@value #MASK},
 *       every other string goes through {@link PiiRedactor}; numbers, booleans, ids, timestamps
 *       and the structure stay, so a malformed field is still visible. A text payload (a chunk)
 *       goes through {@link PiiRedactor}; so do the error message and stack trace (a parser's
 *       message can quote its input).
 *   <li>{@link #FULL}: the payload verbatim, for replaying the record by hand; the table then
 *       holds what RAW holds and needs the same grants.
 * </ul>
 *
 * <p>Secrets ({@link SecretRedaction}) are masked in the error and trace in both modes.
 */
public enum DeadLetterPayload {
  REDACTED,
  FULL;

  /** What a personal value becomes. */
  public static final String MASK = "[REDACTED]";

  /** Key fragments (lower case, no underscores) whose values are personal. */
  private static final String[] PERSONAL_KEYS = {"name", "email", "phone", "title", "address"};

  /** The mode named by {@code --deadLetterPayload} ({@code redacted} or {@code full}, any case). */
  public static DeadLetterPayload parse(@Nullable String value) {
    if (value == null || value.isBlank()) {
      return REDACTED;
    }
    try {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--deadLetterPayload=" + value + ": expected redacted (default) or full", e);
    }
  }

  /** The dead letter as this mode stores it. */
  public DeadLetter apply(DeadLetter d) {
    String message = SecretRedaction.redact(d.errorMessage());
    String trace = d.stackTrace() == null ? null : SecretRedaction.redact(d.stackTrace());
    String payload = d.payload();
    if (this == REDACTED) {
      message = message == null ? null : PiiRedactor.redact(message);
      trace = trace == null ? null : PiiRedactor.redact(trace);
      payload = redactPayload(payload);
    }
    return new DeadLetter(d.stage(), d.recordKey(), d.kind(), message, trace, payload,
        d.attempts(), d.failedAt());
  }

  /** A payload redacted as {@link #REDACTED} describes; null stays null. */
  static @Nullable String redactPayload(@Nullable String payload) {
    if (payload == null || payload.isEmpty()) {
      return payload;
    }
    String trimmed = payload.stripLeading();
    if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
      JsonNode tree;
      try {
        tree = JsonSupport.MAPPER.readTree(payload);
      } catch (Exception e) {
        tree = null; // malformed JSON: treat it as text
      }
      if (tree != null && tree.isContainerNode()) {
        return JsonSupport.write(redactNode(tree, false));
      }
    }
    return PiiRedactor.redact(payload);
  }

  private static JsonNode redactNode(JsonNode node, boolean personal) {
    if (node.isObject()) {
      ObjectNode o = (ObjectNode) node;
      Iterator<Map.Entry<String, JsonNode>> fields = o.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> f = fields.next();
        f.setValue(redactNode(f.getValue(), personal || isPersonal(f.getKey())));
      }
      return o;
    }
    if (node.isArray()) {
      ArrayNode a = (ArrayNode) node;
      for (int i = 0; i < a.size(); i++) {
        a.set(i, redactNode(a.get(i), personal));
      }
      return a;
    }
    if (node.isTextual()) {
      return personal ? TextNode.valueOf(MASK) : TextNode.valueOf(PiiRedactor.redact(node.asText()));
    }
    return node;
  }

  private static boolean isPersonal(String key) {
    String k = key.toLowerCase(Locale.ROOT).replace("_", "");
    for (String p : PERSONAL_KEYS) {
      if (k.contains(p)) {
        return true;
      }
    }
    return false;
  }
}
