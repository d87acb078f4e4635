package com.gongpipeline.gong;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A response body that may be read up to {@code maxBytes} and no further: past the cap, a read
 * throws {@link TooLarge}, so a runaway body fails its request instead of filling the heap.
 */
final class BoundedBody extends FilterInputStream {
  /** The body is longer than the cap (announced by Content-Length, or found while reading). */
  static final class TooLarge extends IOException {
    private static final long serialVersionUID = 1L;

    TooLarge(String message) {
      super(message);
    }
  }

  private final long maxBytes;
  private long read;

  BoundedBody(InputStream in, long maxBytes) {
    super(in);
    this.maxBytes = maxBytes;
  }

  /** Fails at once when the announced length is already over the cap. */
  static void checkAnnounced(Long contentLength, long maxBytes) throws TooLarge {
    if (contentLength != null && contentLength > maxBytes) {
      throw new TooLarge("response body of " + contentLength + " bytes (Content-Length) exceeds"
          + " the cap of " + maxBytes + " bytes (--gongMaxResponseBytes)");
    }
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b >= 0) {
      count(1);
    }
    return b;
  }

  @Override
  public int read(byte[] buf, int off, int len) throws IOException {
    int n = super.read(buf, off, len);
    if (n > 0) {
      count(n);
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    long skipped = super.skip(n);
    count(skipped);
    return skipped;
  }

  private void count(long n) throws TooLarge {
    read += n;
    if (read > maxBytes) {
      throw new TooLarge("response body exceeds the cap of " + maxBytes
          + " bytes (--gongMaxResponseBytes); stopped reading it");
    }
  }
}
