package io.steadfast.runtime.internal.checkpoint;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Gathers small writes into blocks of {@value #BLOCK} bytes before passing them on, without the
 * monitor that {@link java.io.BufferedOutputStream} takes on every call.
 *
 * <p>A checkpoint is written as a stream of 4- and 8-byte numbers. Through {@link
 * java.io.DataOutputStream} each number arrives one byte at a time, and without this class every
 * stream below would see each byte: a CRC32C update and two monitors per byte, about half the cost
 * of writing a checkpoint (measured in docs/performance.md, section 4). With this at the top of the
 * chain, everything below sees whole blocks. Not thread-safe: a checkpoint is written by one
 * thread. {@link #flush} passes on what is gathered; {@link #close} flushes and closes the stream
 * below.
 */
public final class BlockOutputStream extends OutputStream {

  /** The block size: 64 KiB. */
  public static final int BLOCK = 1 << 16;

  private final OutputStream out;
  private final byte[] block = new byte[BLOCK];
  private int used;

  /** Gathers writes for {@code out}. */
  public BlockOutputStream(OutputStream out) {
    this.out = out;
  }

  @Override
  public void write(int b) throws IOException {
    if (used == block.length) {
      drain();
    }
    block[used++] = (byte) b;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    java.util.Objects.checkFromIndexSize(off, len, b.length);
    if (len >= block.length) {
      drain();
      out.write(b, off, len);
      return;
    }
    if (len > block.length - used) {
      drain();
    }
    System.arraycopy(b, off, block, used, len);
    used += len;
  }

  @Override
  public void flush() throws IOException {
    drain();
    out.flush();
  }

  @Override
  public void close() throws IOException {
    try {
      flush();
    } finally {
      out.close();
    }
  }

  private void drain() throws IOException {
    if (used > 0) {
      out.write(block, 0, used);
      used = 0;
    }
  }
}
