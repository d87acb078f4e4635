package com.gongpipeline.gong.sim;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import java.io.IOException;
import java.time.Instant;

/**
 * Jackson (de)serializers for {@link Instant} as an ISO-8601 UTC string, so {@link GroundTruth}
 * round-trips with a plain {@code ObjectMapper}: the classpath has no jackson-datatype-jsr310.
 */
public final class InstantJson {

  private InstantJson() {}

  /** Writes {@code Instant.toString()}. */
  public static final class Serializer extends JsonSerializer<Instant> {
    @Override
    public void serialize(Instant value, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      gen.writeString(value.toString());
    }
  }

  /** Reads {@code Instant.parse(text)}. */
  public static final class Deserializer extends JsonDeserializer<Instant> {
    @Override
    public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      return Instant.parse(p.getValueAsString());
    }
  }
}
