package io.steadfast.runtime.internal.journal;

import java.io.DataInput;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * Reads the wire format from a byte array: a {@link DataInput} without the locks and the copies of
 * a {@code DataInputStream} over a {@code ByteArrayInputStream} (every replica decodes every
 * journal entry, and that pair's synchronized reads showed in the apply thread's profile).
 *
 * <p>Reading past the end throws {@link EOFException}, like the streams it replaces. Not
 * thread-safe; the array is read in place and must not change while it is read.
 */
public final class ByteReader implements DataInput {

  private final byte[] bytes;
  private int position;

  /** Reads {@code bytes} from the start. */
  public ByteReader(byte[] bytes) {
    this.bytes = bytes;
  }

  /** The bytes not read yet. */
  public int remaining() {
    return bytes.length - position;
  }

  private int take(int count) throws EOFException {
    if (count > bytes.length - position) {
      throw new EOFException(
          "needed " + count + " bytes at offset " + position + ", " + remaining() + " left");
    }
    int at = position;
    position += count;
    return at;
  }

  /** Reads {@code length} bytes as UTF-8 text, without an intermediate array. */
  String readUtf8(int length) throws EOFException {
    return new String(bytes, take(length), length, StandardCharsets.UTF_8);
  }

  @Override
  public void readFully(byte[] b) throws IOException {
    readFully(b, 0, b.length);
  }

  @Override
  public void readFully(byte[] b, int off, int len) throws IOException {
    System.arraycopy(bytes, take(len), b, off, len);
  }

  @Override
  public int skipBytes(int n) {
    int skipped = Math.max(0, Math.min(n, remaining()));
    position += skipped;
    return skipped;
  }

  @Override
  public boolean readBoolean() throws IOException {
    return readByte() != 0;
  }

  @Override
  public byte readByte() throws IOException {
    return bytes[take(1)];
  }

  @Override
  public int readUnsignedByte() throws IOException {
    return readByte() & 0xFF;
  }

  @Override
  public short readShort() throws IOException {
    return (short) bigEndian(2);
  }

  @Override
  public int readUnsignedShort() throws IOException {
    return (int) bigEndian(2);
  }

  @Override
  public char readChar() throws IOException {
    return (char) bigEndian(2);
  }

  @Override
  public int readInt() throws IOException {
    return (int) bigEndian(4);
  }

  @Override
  public long readLong() throws IOException {
    return bigEndian(8);
  }

  /** The next {@code count} bytes (at most 8) as an unsigned big-endian number. */
  private long bigEndian(int count) throws EOFException {
    int at = take(count);
    long value = 0;
    for (int i = 0; i < count; i++) {
      value = (value << 8) | (bytes[at + i] & 0xFF);
    }
    return value;
  }

  @Override
  public float readFloat() throws IOException {
    return Float.intBitsToFloat(readInt());
  }

  @Override
  public double readDouble() throws IOException {
    return Double.longBitsToDouble(readLong());
  }

  /**
   * A line of Latin-1 text ended by {@code \n}, {@code \r} or {@code \r\n} (not part of the wire
   * format; here because {@link DataInput} has it), or {@code null} at the end.
   */
  @Override
  public @Nullable String readLine() {
    if (remaining() == 0) {
      return null;
    }
    StringBuilder line = new StringBuilder();
    while (position < bytes.length) {
      char c = (char) (bytes[position++] & 0xFF);
      if (c == '\n') {
        break;
      }
      if (c == '\r') {
        if (position < bytes.length && bytes[position] == '\n') {
          position++;
        }
        break;
      }
      line.append(c);
    }
    return line.toString();
  }

  @Override
  public String readUTF() throws IOException {
    return DataInputStream.readUTF(this);
  }
}
