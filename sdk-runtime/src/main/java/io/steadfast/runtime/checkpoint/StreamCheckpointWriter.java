package io.steadfast.runtime.checkpoint;

import io.steadfast.api.checkpoint.CheckpointWriter;
import io.steadfast.runtime.internal.checkpoint.BlockOutputStream;
import java.io.DataOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/**
 * A {@link CheckpointWriter} over an {@link OutputStream}: big-endian numbers, UTF-8 text with a
 * length prefix, decimals as unscaled bytes and scale.
 *
 * <p>Not thread-safe. Never closes the underlying stream. Buffers up to 64 KiB: call {@link #flush}
 * when done, before the underlying stream is read or closed.
 */
public final class StreamCheckpointWriter implements CheckpointWriter {

  /** Bytes of one string or decimal encoded in place; longer ones are encoded into a new array. */
  private static final int SCRATCH = 1024;

  private final DataOutputStream out;
  private final OutputStream unclosable;
  private final byte[] scratch = new byte[SCRATCH];

  /** Writes to {@code out}. */
  public StreamCheckpointWriter(OutputStream out) {
    this.out = new DataOutputStream(new BlockOutputStream(out));
    this.unclosable =
        new FilterOutputStream(this.out) {
          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
          }

          @Override
          public void close() throws IOException {
            flush();
          }
        };
  }

  @Override
  public void writeBoolean(boolean value) throws IOException {
    out.writeBoolean(value);
  }

  @Override
  public void writeInt(int value) throws IOException {
    out.writeInt(value);
  }

  @Override
  public void writeLong(long value) throws IOException {
    out.writeLong(value);
  }

  /**
   * Encodes a string of up to about {@value #SCRATCH} UTF-8 bytes in place instead of in a new
   * array: a checkpoint writes millions of short strings, and each array was garbage for the
   * collector while commands go on. The bytes are exactly those of {@link String#getBytes} with
   * UTF-8 (an unpaired surrogate becomes {@code '?'}).
   */
  @Override
  public void writeString(String value) throws IOException {
    int n = encodeInScratch(value);
    if (n < 0) {
      writeBytes(value.getBytes(StandardCharsets.UTF_8));
    } else {
      out.writeInt(n);
      out.write(scratch, 0, n);
    }
  }

  /** UTF-8 of {@code value} into {@link #scratch}: its length, or -1 if it might not fit. */
  private int encodeInScratch(String value) {
    int length = value.length();
    int n = 0;
    for (int i = 0; i < length; i++) {
      if (n + 4 > SCRATCH) {
        return -1;
      }
      char c = value.charAt(i);
      if (c < 0x80) {
        scratch[n++] = (byte) c;
      } else if (c < 0x800) {
        scratch[n++] = (byte) (0xC0 | c >> 6);
        scratch[n++] = (byte) (0x80 | (c & 0x3F));
      } else if (Character.isHighSurrogate(c)
          && i + 1 < length
          && Character.isLowSurrogate(value.charAt(i + 1))) {
        int point = Character.toCodePoint(c, value.charAt(++i));
        scratch[n++] = (byte) (0xF0 | point >> 18);
        scratch[n++] = (byte) (0x80 | (point >> 12 & 0x3F));
        scratch[n++] = (byte) (0x80 | (point >> 6 & 0x3F));
        scratch[n++] = (byte) (0x80 | (point & 0x3F));
      } else if (Character.isSurrogate(c)) {
        scratch[n++] = '?';
      } else {
        scratch[n++] = (byte) (0xE0 | c >> 12);
        scratch[n++] = (byte) (0x80 | (c >> 6 & 0x3F));
        scratch[n++] = (byte) (0x80 | (c & 0x3F));
      }
    }
    return n;
  }

  /**
   * The unscaled value's two's-complement bytes, as {@link BigInteger#toByteArray} gives them, then
   * the scale. An unscaled value that fits in a long is encoded here without the array.
   */
  @Override
  public void writeDecimal(BigDecimal value) throws IOException {
    BigInteger unscaled = value.unscaledValue();
    int bits = unscaled.bitLength();
    if (bits < Long.SIZE) {
      long v = unscaled.longValue();
      int n = bits / 8 + 1;
      for (int i = 0; i < n; i++) {
        scratch[i] = (byte) (v >> (8 * (n - 1 - i)));
      }
      out.writeInt(n);
      out.write(scratch, 0, n);
    } else {
      writeBytes(unscaled.toByteArray());
    }
    out.writeInt(value.scale());
  }

  @Override
  public void writeBytes(byte[] value) throws IOException {
    out.writeInt(value.length);
    out.write(value);
  }

  @Override
  public OutputStream stream() {
    return unclosable;
  }

  /** Flushes buffered bytes to the underlying stream. */
  public void flush() throws IOException {
    out.flush();
  }
}
