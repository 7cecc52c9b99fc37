package io.steadfast.runtime.checkpoint;

import io.steadfast.api.Position;
import io.steadfast.api.checkpoint.CheckpointReader;
import java.io.DataInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/**
 * A {@link CheckpointReader} over an {@link InputStream}, reading what {@link
 * StreamCheckpointWriter} wrote.
 *
 * <p>Not thread-safe. Never closes the underlying stream. A length prefix larger than {@code
 * maxLength} is refused as an {@link IOException} instead of allocating it.
 */
public final class StreamCheckpointReader implements CheckpointReader {

  private static final int MAX_LENGTH = 256 * 1024 * 1024;

  private final DataInputStream in;
  private final InputStream unclosable;
  private final int version;
  private final Position position;

  /**
   * Reads from {@code in}.
   *
   * @param in the payload bytes
   * @param version the application checkpoint version recorded with them
   * @param position the position recorded with them
   */
  public StreamCheckpointReader(InputStream in, int version, Position position) {
    this.in = new DataInputStream(in);
    this.version = version;
    this.position = position;
    this.unclosable =
        new FilterInputStream(this.in) {
          @Override
          public void close() {}
        };
  }

  @Override
  public int version() {
    return version;
  }

  @Override
  public Position position() {
    return position;
  }

  @Override
  public boolean readBoolean() throws IOException {
    return in.readBoolean();
  }

  @Override
  public int readInt() throws IOException {
    return in.readInt();
  }

  @Override
  public long readLong() throws IOException {
    return in.readLong();
  }

  @Override
  public String readString() throws IOException {
    return new String(readBytes(), StandardCharsets.UTF_8);
  }

  @Override
  public BigDecimal readDecimal() throws IOException {
    byte[] unscaled = readBytes();
    if (unscaled.length == 0) {
      throw new IOException("decimal with no digits");
    }
    return new BigDecimal(new BigInteger(unscaled), in.readInt());
  }

  @Override
  public byte[] readBytes() throws IOException {
    int length = in.readInt();
    if (length < 0 || length > MAX_LENGTH) {
      throw new IOException("byte array length out of range: " + length);
    }
    byte[] bytes = new byte[length];
    in.readFully(bytes);
    return bytes;
  }

  @Override
  public InputStream stream() {
    return unclosable;
  }
}
