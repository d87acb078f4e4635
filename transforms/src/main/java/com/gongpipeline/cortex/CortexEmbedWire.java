package com.gongpipeline.cortex;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.gongpipeline.enrich.EmbeddingMath;
import com.gongpipeline.enrich.ModelUnavailableException;
import com.gongpipeline.errors.FailureKind;
import com.google.api.client.http.HttpResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The wire format of Cortex's {@code POST /api/v2/cortex/inference:embed}: the request body, the
 * response's vectors (in {@code index} order, flat or the OpenAPI spec's nested {@code [[...]]})
 * and the error text of a refusal. No I/O of its own and no retries: {@link CortexEmbedder} sends
 * and decides.
 */
final class CortexEmbedWire {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_ERROR_BODY_BYTES = 4096;

  private CortexEmbedWire() {}

  /** Vectors of one response and the tokens Cortex says it used. */
  record Embedded(List<float[]> vectors, long totalTokens) {}

  /** A 2xx body that is not the expected JSON: worth another attempt. */
  static final class MalformedResponse extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedResponse(String message) {
      super(message);
    }
  }

  static byte[] requestBody(CortexModel model, List<String> texts) {
    ObjectNode root = JSON.createObjectNode();
    root.put("model", model.name());
    ArrayNode array = root.putArray("text");
    texts.forEach(array::add);
    try {
      return JSON.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialise the Cortex request", e);
    }
  }

  /**
   * Vectors in {@code index} order, normalised; a wrong dimension is final ({@link
   * FailureKind#FATAL_CONFIG}: wrong model or endpoint), anything else malformed retries.
   */
  static Embedded parse(String json, int expected, CortexModel model) throws MalformedResponse {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (IOException e) {
      throw new MalformedResponse("not JSON");
    }
    JsonNode data = root == null ? null : root.get("data");
    if (data == null || !data.isArray() || data.size() != expected) {
      throw new MalformedResponse("expected " + expected + " items in data[], got "
          + (data == null || !data.isArray() ? "none" : data.size()));
    }
    float[][] vectors = new float[expected][];
    for (int i = 0; i < data.size(); i++) {
      JsonNode item = data.get(i);
      int index = item.path("index").asInt(i);
      if (index < 0 || index >= expected || vectors[index] != null) {
        throw new MalformedResponse("index " + index + " out of range or repeated");
      }
      vectors[index] = EmbeddingMath.normalize(vector(item.get("embedding"), i, model));
    }
    return new Embedded(List.of(vectors), root.path("usage").path("total_tokens").asLong(0));
  }

  private static float[] vector(JsonNode embedding, int i, CortexModel model)
      throws MalformedResponse {
    if (embedding != null && embedding.isArray() && embedding.size() == 1
        && embedding.get(0).isArray()) {
      embedding = embedding.get(0); // the OpenAPI spec's nested [[...]]
    }
    if (embedding == null || !embedding.isArray() || embedding.isEmpty()) {
      throw new MalformedResponse("data[" + i + "].embedding is not an array of numbers");
    }
    if (embedding.size() != model.dimension()) {
      throw new ModelUnavailableException(FailureKind.FATAL_CONFIG, "Cortex returned a "
          + embedding.size() + "-dimensional vector for " + model.name() + ", which has "
          + model.dimension() + "; refusing to store it (wrong model or endpoint?)", 1, null);
    }
    float[] v = new float[embedding.size()];
    for (int d = 0; d < v.length; d++) {
      JsonNode x = embedding.get(d);
      if (!x.isNumber()) {
        throw new MalformedResponse("data[" + i + "].embedding[" + d + "] is not a number");
      }
      v[d] = x.floatValue();
    }
    return v;
  }

  /** Snowflake's {@code message} (or the raw body), bounded; never anything of the request. */
  static String errorText(HttpResponse response) {
    try (InputStream in = response.getContent()) {
      if (in == null) {
        return "";
      }
      String raw = new String(in.readNBytes(MAX_ERROR_BODY_BYTES), StandardCharsets.UTF_8).trim();
      try {
        JsonNode n = JSON.readTree(raw);
        if (n != null && n.hasNonNull("message")) {
          String message = n.get("message").asText();
          return n.hasNonNull("request_id")
              ? message + " (request_id " + n.get("request_id").asText() + ")" : message;
        }
      } catch (IOException notJson) {
        // fall through to the raw text
      }
      return raw.length() > 300 ? raw.substring(0, 300) + "…" : raw;
    } catch (IOException e) {
      return "";
    }
  }
}
