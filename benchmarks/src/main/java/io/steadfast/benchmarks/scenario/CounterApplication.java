package io.steadfast.benchmarks.scenario;

import io.steadfast.api.ApplyContext;
import io.steadfast.api.ResilientApplication;
import io.steadfast.api.checkpoint.CheckpointReader;
import io.steadfast.api.checkpoint.CheckpointWriter;
import io.steadfast.api.codec.CommandCodec;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The raw baseline's counter as a Steadfast application: counts commands and answers each with the
 * new count; the command bytes are opaque. Run on the SDK it isolates what the runtime itself costs
 * per command (sessions, group commit, journal format, dedup) from what the mortgage application
 * and its JSON codec cost.
 *
 * <p>Called on the apply thread only, as the contract says.
 */
final class CounterApplication implements ResilientApplication<byte[], Long> {

  /** Passes command bytes through; results are eight big-endian bytes. Stateless. */
  static final CommandCodec<byte[], Long> CODEC =
      new CommandCodec<>() {
        @Override
        public Class<byte[]> commandType() {
          return byte[].class;
        }

        @Override
        public byte[] encodeCommand(byte[] command) {
          return command;
        }

        @Override
        public byte[] decodeCommand(byte[] bytes) {
          return bytes;
        }

        @Override
        public byte[] encodeResult(Long result) {
          return ByteBuffer.allocate(Long.BYTES).putLong(result).array();
        }

        @Override
        public Long decodeResult(byte[] bytes) {
          return ByteBuffer.wrap(bytes).getLong();
        }
      };

  private long count;

  @Override
  public Long apply(byte[] command, ApplyContext context) {
    return ++count;
  }

  @Override
  public void checkpoint(CheckpointWriter out) throws IOException {
    out.writeLong(count);
  }

  @Override
  public void restore(CheckpointReader in) throws IOException {
    count = in.readLong();
  }
}
