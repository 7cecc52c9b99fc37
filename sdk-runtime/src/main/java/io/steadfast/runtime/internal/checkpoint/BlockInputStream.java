package io.steadfast.runtime.internal.checkpoint;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads ahead in blocks of {@value BlockOutputStream#BLOCK} bytes, without the monitor that {@link
 * java.io.BufferedInputStream} takes on every call: a checkpoint is read back one number, and
 * through {@link java.io.DataInputStream} one byte, at a time. Not thread-safe. No mark or reset.
 */
public final class BlockInputStream extends InputStream {

  private final InputStream in;
  private final byte[] block = new byte[BlockOutputStream.BLOCK];
  private int next;
  private int end;

  /** Reads ahead from {@code in}. */
  public BlockInputStream(InputStream in) {
    this.in = in;
  }

  @Override
  public int read() throws IOException {
    if (next == end && !fill()) {
      return -1;
    }
    return block[next++] & 0xFF;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    java.util.Objects.checkFromIndexSize(off, len, b.length);
    if (len == 0) {
      return 0;
    }
    if (next == end) {
      if (len >= block.length) {
        return in.read(b, off, len);
      }
      if (!fill()) {
        return -1;
      }
    }
    int n = Math.min(len, end - next);
    System.arraycopy(block, next, b, off, n);
    next += n;
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    if (n <= 0) {
      return 0;
    }
    int buffered = end - next;
    if (buffered > 0) {
      int skipped = (int) Math.min(n, buffered);
      next += skipped;
      return skipped;
    }
    return in.skip(n);
  }

  @Override
  public int available() throws IOException {
    return (end - next) + in.available();
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  private boolean fill() throws IOException {
    int n = in.read(block, 0, block.length);
    if (n <= 0) {
      next = 0;
      end = 0;
      return false;
    }
    next = 0;
    end = n;
    return true;
  }
}
