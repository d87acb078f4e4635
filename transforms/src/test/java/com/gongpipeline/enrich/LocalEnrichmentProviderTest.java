package com.gongpipeline.enrich;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
      assertEquals("e5-small-v2", e.modelName());
      assertEquals(VaderSentimentScorer.MODEL_NAME, s.modelName());
    }
  }
}
