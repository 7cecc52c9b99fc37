package io.steadfast.codec.binary;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A cursor over the bytes being decoded. Every read checks the bytes that remain and throws {@link
 * Malformed} (never an index error) when they do not suffice, so a length or a count can never make
 * the decoder allocate more than the input could hold.
 */
final class In {

  private final byte[] bytes;
  private int position;

  In(byte[] bytes, int position) {
    this.bytes = bytes;
    this.position = position;
  }

  int position() {
    return position;
  }

  int remaining() {
    return bytes.length - position;
  }

  int readByte(String what) {
    if (position >= bytes.length) {
      throw new Malformed("input ends inside " + what);
    }
    return bytes[position++] & 0xFF;
  }

  long readVarLong(String what) {
    long value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      int b = readByte(what);
      if (shift == 63 && (b & 0x7E) != 0) {
        throw new Malformed("number too large in " + what);
      }
      value |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        if (b == 0 && shift > 0) {
          throw new Malformed("number not in its shortest form in " + what);
        }
        return value;
      }
    }
    throw new Malformed("number too long in " + what);
  }

  long readSignedVarLong(String what) {
    long raw = readVarLong(what);
    return (raw >>> 1) ^ -(raw & 1);
  }

  /** A count or a length: at most the bytes that remain, since each counted item takes one. */
  int readLength(String what) {
    long length = readVarLong(what);
    if (length > remaining()) {
      throw new Malformed(
          "length " + length + " of " + what + " exceeds the " + remaining() + " bytes left");
    }
    return (int) length;
  }

  int readFixedInt(String what) {
    if (remaining() < 4) {
      throw new Malformed("input ends inside " + what);
    }
    int value =
        ((bytes[position] & 0xFF) << 24)
            | ((bytes[position + 1] & 0xFF) << 16)
            | ((bytes[position + 2] & 0xFF) << 8)
            | (bytes[position + 3] & 0xFF);
    position += 4;
    return value;
  }

  long readFixedLong(String what) {
    long high = readFixedInt(what);
    return (high << 32) | (readFixedInt(what) & 0xFFFFFFFFL);
  }

  byte[] readBytes(int length, String what) {
    if (length > remaining()) {
      throw new Malformed("input ends inside " + what);
    }
    byte[] out = new byte[length];
    System.arraycopy(bytes, position, out, 0, length);
    position += length;
    return out;
  }

  String readString(String what) {
    int length = readLength(what);
    int start = position;
    boolean ascii = true;
    for (int i = start; i < start + length; i++) {
      if (bytes[i] < 0) {
        ascii = false;
        break;
      }
    }
    position += length;
    if (ascii) {
      return new String(bytes, start, length, StandardCharsets.ISO_8859_1);
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes, start, length))
          .toString();
    } catch (CharacterCodingException e) {
      throw new Malformed("invalid UTF-8 in " + what);
    }
  }
}
