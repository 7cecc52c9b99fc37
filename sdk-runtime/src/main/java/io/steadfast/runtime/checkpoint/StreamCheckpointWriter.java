package io.steadfast.runtime.checkpoint;

import io.steadfast.api.checkpoint.CheckpointWriter;
import io.steadfast.runtime.internal.checkpoint.BlockOutputStream;
import java.io.DataOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

/**
 * A {@link CheckpointWriter} over an {@link OutputStream}: big-endian numbers, UTF-8 text with a
 * length prefix, decimals as unscaled bytes and scale.
 *
 * <p>Not thread-safe. Never closes the underlying stream. Buffers up to 64 KiB: call {@link #flush}
 * when done, before the underlying stream is read or closed.
 */
public final class StreamCheckpointWriter implements CheckpointWriter {

  private final DataOutputStream out;
  private final OutputStream unclosable;

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

  @Override
  public void writeString(String value) throws IOException {
    writeBytes(value.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void writeDecimal(BigDecimal value) throws IOException {
    writeBytes(value.unscaledValue().toByteArray());
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
