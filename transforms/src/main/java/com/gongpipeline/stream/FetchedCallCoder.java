package com.gongpipeline.stream;

import com.gongpipeline.model.FetchedCall;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;

/**
 * Deterministic coder for {@link FetchedCall}: call id, call JSON, then the nullable transcript
 * JSON, each as length-prefixed UTF-8. Unlike Java serialization its bytes depend only on the
 * three strings, so it is safe wherever Beam compares encoded values.
 */
public final class FetchedCallCoder extends AtomicCoder<FetchedCall> {
  private static final FetchedCallCoder INSTANCE = new FetchedCallCoder();
  private static final Coder<String> TEXT = StringUtf8Coder.of();
  private static final Coder<String> NULLABLE_TEXT = NullableCoder.of(StringUtf8Coder.of());
  private static final Coder<Long> VERSION = org.apache.beam.sdk.coders.VarLongCoder.of();

  private FetchedCallCoder() {}

  public static FetchedCallCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(FetchedCall call, OutputStream out) throws IOException {
    TEXT.encode(call.callId(), out);
    TEXT.encode(call.callJson(), out);
    NULLABLE_TEXT.encode(call.transcriptJson(), out);
    VERSION.encode(call.version(), out);
  }

  @Override
  public FetchedCall decode(InputStream in) throws IOException {
    return new FetchedCall(TEXT.decode(in), TEXT.decode(in), NULLABLE_TEXT.decode(in),
        VERSION.decode(in));
  }

  @Override
  public void verifyDeterministic() {}

  @Override
  public boolean consistentWithEquals() {
    return true;
  }
}
