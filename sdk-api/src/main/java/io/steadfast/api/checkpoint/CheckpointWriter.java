package io.steadfast.api.checkpoint;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;

/**
 * Where {@code ResilientApplication.checkpoint} writes the application state.
 *
 * <p><b>Not intended to be implemented by applications.</b> Valid during one checkpoint call (on
 * the apply thread) or one {@link FrozenState#writeTo} call (on the checkpoint thread); not
 * thread-safe. Numbers are written big-endian and text as UTF-8, independent of the platform's
 * locale and charset. Read the values back with {@link CheckpointReader} in the same order.
 */
public interface CheckpointWriter {

  /** Writes a boolean as one byte. */
  void writeBoolean(boolean value) throws IOException;

  /** Writes an int as four bytes. */
  void writeInt(int value) throws IOException;

  /** Writes a long as eight bytes. */
  void writeLong(long value) throws IOException;

  /** Writes text as its UTF-8 length and bytes. */
  void writeString(String value) throws IOException;

  /** Writes a decimal exactly (unscaled value and scale). */
  void writeDecimal(BigDecimal value) throws IOException;

  /** Writes a byte array as its length and bytes. */
  void writeBytes(byte[] value) throws IOException;

  /**
   * The raw stream under this writer, for applications with their own encoding. Bytes written here
   * are interleaved with the typed writes in call order. Do not close it.
   */
  OutputStream stream();
}
