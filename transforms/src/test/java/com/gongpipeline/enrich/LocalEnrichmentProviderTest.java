package com.gongpipeline.enrich;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.junit.jupiter.api.Test;

class LocalEnrichmentProviderTest {

  @Test
  void serializesWithoutModelsAndHandsOutTheLocalOnes() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(new LocalEnrichmentProvider());
    }
    // A factory reference (a serialized lambda), never model weights (tens of MB).
    assertThat("no model bytes travel with the DoFn", bytes.size(), lessThan(2_000));
    EnrichmentProvider copy;
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      copy = (EnrichmentProvider) in.readObject();
    }
    assertEquals(new LocalEnrichmentProvider(), copy);
    try (TextEmbedder e = copy.embedder();
        SentimentScorer s = copy.sentiment()) {
      assertEquals("e5-small-v2-q", e.modelName());
      assertEquals(VaderSentimentScorer.MODEL_NAME, s.modelName());
    }
  }

  /**
   * The fp32 model (not the default) is a choice of its own: it hands out an embedder that stores
   * its own model name (so its vectors never mix with the int8 ones), and a worker's copy starts
   * loading it as soon as it is deserialized, before any DoFn asks for it.
   */
  @Test
  void fp32ModelHasItsOwnNameAndLoadsOnDeserialization() throws Exception {
    LocalEnrichmentProvider fp32 = new LocalEnrichmentProvider(LocalE5Model.E5_SMALL_V2,
        SentimentScorerFactory.vader(), VaderSentimentScorer.MODEL_NAME);
    assertNotEquals(new LocalEnrichmentProvider(), fp32);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(fp32);
    }
    LocalEnrichmentProvider copy;
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      copy = (LocalEnrichmentProvider) in.readObject();
    }
    assertTrue(E5OnnxEncoder.loadStarted(LocalE5Model.E5_SMALL_V2),
        "deserializing the provider starts the model load");
    assertEquals(fp32, copy);
    assertEquals("e5-small-v2", copy.embedder().modelName());
    assertEquals("e5-small-v2-q", LocalE5Model.fromName("e5-small-v2-q").modelName());
    assertThrows(IllegalArgumentException.class, () -> LocalE5Model.fromName("e5-large"));
  }
}
