package io.steadfast.codec.binary;

import java.util.Arrays;

/** A growable byte sink with the codec's primitive encodings. Not thread-safe; one per call. */
final class Out {

  private byte[] bytes;
  private int size;

  Out(int capacity) {
    this.bytes = new byte[capacity];
  }

  private void ensure(int more) {
    if (size + more > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
    }
  }

  void writeByte(int b) {
    ensure(1);
    bytes[size++] = (byte) b;
  }

  void writeBytes(byte[] src) {
    ensure(src.length);
    System.arraycopy(src, 0, bytes, size, src.length);
    size += src.length;
  }

  /** An unsigned LEB128 number: seven bits a byte, low bits first. */
  void writeVarLong(long value) {
    ensure(10);
    long v = value;
    while ((v & ~0x7FL) != 0) {
      bytes[size++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    bytes[size++] = (byte) v;
  }

  /** A signed number, zig-zag mapped so that small negative numbers stay short. */
  void writeSignedVarLong(long value) {
    writeVarLong((value << 1) ^ (value >> 63));
  }

  void writeFixedInt(int value) {
    ensure(4);
    bytes[size++] = (byte) (value >>> 24);
    bytes[size++] = (byte) (value >>> 16);
    bytes[size++] = (byte) (value >>> 8);
    bytes[size++] = (byte) value;
  }

  void writeFixedLong(long value) {
    writeFixedInt((int) (value >>> 32));
    writeFixedInt((int) value);
  }

  /**
   * A string as the length of its UTF-8 form and those bytes. Strings of ASCII characters, the
   * common case, are copied without an encoder.
   *
   * @throws IllegalArgumentException if the string holds an unpaired surrogate, which has no UTF-8
   *     form (the JDK would write '?' and the decoded value would differ)
   */
  void writeString(String value) {
    int length = value.length();
    boolean ascii = true;
    for (int i = 0; i < length; i++) {
      if (value.charAt(i) >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      writeVarLong(length);
      ensure(length);
      for (int i = 0; i < length; i++) {
        bytes[size++] = (byte) value.charAt(i);
      }
      return;
    }
    for (int i = 0; i < length; i++) {
      char c = value.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < length && Character.isLowSurrogate(value.charAt(i + 1))) {
          i++;
          continue;
        }
        throw new IllegalArgumentException("unpaired surrogate at index " + i + " of a string");
      }
      if (Character.isLowSurrogate(c)) {
        throw new IllegalArgumentException("unpaired surrogate at index " + i + " of a string");
      }
    }
    byte[] utf8 = value.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    writeVarLong(utf8.length);
    writeBytes(utf8);
  }

  int size() {
    return size;
  }

  /** The bytes written from {@code from} on, as a new array. */
  byte[] copy(int from) {
    return Arrays.copyOfRange(bytes, from, size);
  }

  /** Cuts the written bytes back to {@code length}. */
  void truncate(int length) {
    size = length;
  }

  byte[] toByteArray() {
    return Arrays.copyOf(bytes, size);
  }
}
