package io.steadfast.runtime.internal.journal;

import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * Writes the wire format into a growing byte array: a {@link DataOutput} without the locks of a
 * {@code DataOutputStream} over a {@code ByteArrayOutputStream}, started at a capacity the caller
 * estimates so that a batch is rarely copied while it grows. Bounded by what the caller writes (the
 * wire format's own limits); not thread-safe.
 */
public final class ByteWriter extends OutputStream implements DataOutput {

  private byte[] bytes;
  private int size;

  /** A writer whose array starts at {@code capacity} bytes (at least 16). */
  public ByteWriter(int capacity) {
    bytes = new byte[Math.max(16, capacity)];
  }

  private int reserve(int count) {
    int at = size;
    if (count > bytes.length - at) {
      long wanted = Math.max((long) bytes.length * 2, (long) at + count);
      if (wanted > Integer.MAX_VALUE - 8) {
        throw new OutOfMemoryError("wire format write beyond 2 GiB");
      }
      bytes = Arrays.copyOf(bytes, (int) wanted);
    }
    size = at + count;
    return at;
  }

  /** A copy of what was written. */
  public byte[] toByteArray() {
    return Arrays.copyOf(bytes, size);
  }

  @Override
  public void write(int b) {
    int at = reserve(1); // before reading the field: reserve may replace the array
    bytes[at] = (byte) b;
  }

  @Override
  public void write(byte[] b) {
    write(b, 0, b.length);
  }

  @Override
  public void write(byte[] b, int off, int len) {
    java.util.Objects.checkFromIndexSize(off, len, b.length);
    int at = reserve(len);
    System.arraycopy(b, off, bytes, at, len);
  }

  @Override
  public void writeBoolean(boolean v) {
    write(v ? 1 : 0);
  }

  @Override
  public void writeByte(int v) {
    write(v);
  }

  @Override
  public void writeShort(int v) {
    bigEndian(v, 2);
  }

  @Override
  public void writeChar(int v) {
    bigEndian(v, 2);
  }

  @Override
  public void writeInt(int v) {
    bigEndian(v, 4);
  }

  @Override
  public void writeLong(long v) {
    bigEndian(v, 8);
  }

  /** The low {@code count} bytes (at most 8) of {@code v}, most significant first. */
  private void bigEndian(long v, int count) {
    int at = reserve(count);
    for (int i = 0; i < count; i++) {
      bytes[at + i] = (byte) (v >>> (8 * (count - 1 - i)));
    }
  }

  @Override
  public void writeFloat(float v) {
    writeInt(Float.floatToIntBits(v));
  }

  @Override
  public void writeDouble(double v) {
    writeLong(Double.doubleToLongBits(v));
  }

  @Override
  public void writeBytes(String s) {
    int at = reserve(s.length());
    for (int i = 0; i < s.length(); i++) {
      bytes[at + i] = (byte) s.charAt(i);
    }
  }

  @Override
  public void writeChars(String s) {
    for (int i = 0; i < s.length(); i++) {
      writeChar(s.charAt(i));
    }
  }

  @Override
  public void writeUTF(String s) throws IOException {
    new DataOutputStream(this).writeUTF(s);
  }
}
