package io.steadfast.api.checkpoint;

import io.steadfast.api.Position;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;

/**
 * Where {@code ResilientApplication.restore} reads a checkpoint's application state.
 *
 * <p><b>Not intended to be implemented by applications.</b> Valid during one restore call, on the
 * apply thread; not thread-safe. The runtime has verified the checkpoint's checksum before handing
 * it over. Reading past the end throws {@link java.io.EOFException}.
 */
public interface CheckpointReader {

  /** The application's {@code checkpointVersion()} when this checkpoint was written. */
  int version();

  /** The position of the last command the checkpoint includes. */
  Position position();

  /** Reads a boolean. */
  boolean readBoolean() throws IOException;

  /** Reads an int. */
  int readInt() throws IOException;

  /** Reads a long. */
  long readLong() throws IOException;

  /** Reads text. */
  String readString() throws IOException;

  /** Reads a decimal. */
  BigDecimal readDecimal() throws IOException;

  /** Reads a byte array. */
  byte[] readBytes() throws IOException;

  /** The raw stream under this reader, positioned after the values read so far. Do not close it. */
  InputStream stream();
}
