package com.gongpipeline.errors;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;

/** Explicit, deterministic coder for {@link DeadLetter} (no Java serialization). */
public final class DeadLetterCoder extends AtomicCoder<DeadLetter> {
  private static final DeadLetterCoder INSTANCE = new DeadLetterCoder();
  private static final Coder<String> STRING = StringUtf8Coder.of();
  private static final Coder<String> NULLABLE_STRING = NullableCoder.of(StringUtf8Coder.of());

  public static DeadLetterCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(DeadLetter value, OutputStream out) throws IOException {
    STRING.encode(value.stage().name(), out);
    STRING.encode(value.recordKey(), out);
    STRING.encode(value.kind().name(), out);
    STRING.encode(value.errorMessage(), out);
    NULLABLE_STRING.encode(value.stackTrace(), out);
    NULLABLE_STRING.encode(value.payload(), out);
    VarIntCoder.of().encode(value.attempts(), out);
    VarLongCoder.of().encode(value.failedAt().toEpochMilli(), out);
  }

  @Override
  public DeadLetter decode(InputStream in) throws IOException {
    return new DeadLetter(
        DeadLetterStage.valueOf(STRING.decode(in)),
        STRING.decode(in),
        FailureKind.valueOf(STRING.decode(in)),
        STRING.decode(in),
        NULLABLE_STRING.decode(in),
        NULLABLE_STRING.decode(in),
        VarIntCoder.of().decode(in),
        Instant.ofEpochMilli(VarLongCoder.of().decode(in)));
  }

  @Override
  public void verifyDeterministic() {}
}
