package io.steadfast.runtime.internal.checkpoint;

import io.steadfast.api.Position;
import io.steadfast.api.checkpoint.CheckpointException;
import io.steadfast.api.checkpoint.CheckpointException.Problem;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.zip.CRC32C;
import java.util.zip.CheckedOutputStream;

/**
 * Writes and reads the runtime's checkpoint files.
 *
 * <p>Layout, all numbers big-endian:
 *
 * <pre>
 * magic "STEADFST" (8 bytes) | format version (int) | application version (int)
 * journal term (long) | journal index (long) | position index (long) | position epoch (long)
 * runtime state length (int) | runtime state (sessions, positions, leader time)
 * application payload (whatever the application wrote)
 * payload length (long) | CRC32C of every byte before it (int)
 * </pre>
 *
 * <p>A file is accepted only if it starts with the magic, is long enough, its checksum matches and
 * its payload length agrees with its size. Stateless and thread-safe.
 */
public final class CheckpointFile {

  /** The current format version. */
  public static final int FORMAT_VERSION = 3;

  private static final byte[] MAGIC = {'S', 'T', 'E', 'A', 'D', 'F', 'S', 'T'};
  private static final int HEADER_BYTES = MAGIC.length + 4 + 4 + 8 * 4 + 4;
  private static final int TRAILER_BYTES = 8 + 4;
  private static final int MAX_STATE_BYTES = 1 << 30;

  private CheckpointFile() {}

  /** Writes the application payload into a checkpoint. */
  @FunctionalInterface
  public interface PayloadWriter {
    /** Writes the payload to {@code out}; must not close it. */
    void write(OutputStream out) throws IOException;
  }

  /**
   * What {@link #write} produced.
   *
   * @param size the size of the file in bytes
   * @param md5 the MD5 of the whole file in lower-case hex, computed while writing (the engine
   *     keeps it beside the file)
   */
  public record Written(long size, String md5) {}

  /**
   * Writes a checkpoint atomically: to a temporary file beside {@code target}, forced to disk, then
   * moved into place. The CRC32C and the file's MD5 are computed on the way out, so the file is
   * never read back.
   *
   * @return the size and MD5 of the file
   */
  public static Written write(
      Path target, CheckpointHeader header, byte[] runtimeState, PayloadWriter payload)
      throws IOException {
    return write(target, header, runtimeState, payload, written -> {});
  }

  /** Runs after a checkpoint is forced to disk and before it is moved into place. */
  @FunctionalInterface
  public interface BeforeMove {
    /** Acts on what was written, for example saves its digest beside the target. */
    void accept(Written written) throws IOException;
  }

  /**
   * As {@link #write(Path, CheckpointHeader, byte[], PayloadWriter)}, running {@code beforeMove}
   * once the temporary file is on disk and before it takes the target's name, so that anything kept
   * beside the checkpoint exists as soon as the checkpoint does.
   */
  public static Written write(
      Path target,
      CheckpointHeader header,
      byte[] runtimeState,
      PayloadWriter payload,
      BeforeMove beforeMove)
      throws IOException {
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    CRC32C crc = new CRC32C();
    MessageDigest md5 = newMd5();
    FileChannel channel =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE);
    try (channel;
        OutputStream file = new DigestOutputStream(new SteadyChannelStream(channel), md5);
        // Blocks gathered first, so that the CRC, the MD5 and the channel see whole blocks.
        CheckedOutputStream checked = new CheckedOutputStream(file, crc);
        DataOutputStream out = new DataOutputStream(new BlockOutputStream(checked))) {
      out.write(MAGIC);
      out.writeInt(header.formatVersion());
      out.writeInt(header.applicationVersion());
      out.writeLong(header.journalTerm());
      out.writeLong(header.journalIndex());
      out.writeLong(header.position().index());
      out.writeLong(header.position().epoch());
      out.writeInt(runtimeState.length);
      out.write(runtimeState);
      CountingStream counting = new CountingStream(out);
      payload.write(counting);
      counting.flush();
      out.writeLong(counting.count);
      out.flush();
      int checksum = (int) crc.getValue();
      // The checksum itself is not part of what it covers.
      file.write(ByteBuffer.allocate(4).putInt(checksum).array());
      file.flush();
      channel.force(true);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    Written written = new Written(Files.size(tmp), HexFormat.of().formatHex(md5.digest()));
    try {
      beforeMove.accept(written);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    return written;
  }

  /**
   * How much of a checkpoint may be written and not yet forced to disk. Forcing as the file grows
   * keeps the page cache from holding the whole checkpoint until the end: a single fsync of
   * hundreds of megabytes at the end made the journal's own small fsyncs (every command waits for
   * one) queue behind it on the same disk.
   */
  static final int FORCE_EVERY = 8 << 20;

  /**
   * Writes to a file channel, forcing the data (not the metadata) to disk after every {@link
   * #FORCE_EVERY} bytes. Does not close the channel. Not thread-safe.
   */
  private static final class SteadyChannelStream extends OutputStream {
    private final FileChannel channel;
    private long unforced;

    SteadyChannelStream(FileChannel channel) {
      this.channel = channel;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, length);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      unforced += length;
      if (unforced >= FORCE_EVERY) {
        channel.force(false);
        unforced = 0;
      }
    }
  }

  private static MessageDigest newMd5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform must provide MD5", e);
    }
  }

  /**
   * Checks a checkpoint file completely (magic, size, checksum, lengths, versions) without
   * interpreting the payload.
   *
   * @param maxApplicationVersion the newest application version this node understands
   * @return the header
   * @throws CheckpointException naming the file and the problem
   */
  public static CheckpointHeader verify(Path file, int maxApplicationVersion) throws IOException {
    String name = file.getFileName().toString();
    long size = Files.size(file);
    byte[] head = new byte[(int) Math.min(size, HEADER_BYTES)];
    try (InputStream in = Files.newInputStream(file)) {
      readFully(in, head);
    }
    if (head.length < MAGIC.length || !Arrays.equals(Arrays.copyOf(head, MAGIC.length), MAGIC)) {
      throw new CheckpointException(Problem.FOREIGN, name, "not a Steadfast checkpoint", null);
    }
    if (size < HEADER_BYTES + TRAILER_BYTES) {
      throw new CheckpointException(
          Problem.TRUNCATED,
          name,
          "only " + size + " bytes, shorter than header and trailer",
          null);
    }
    CRC32C crc = new CRC32C();
    byte[] buffer = new byte[1 << 16];
    long covered = size - 4;
    byte[] stored = new byte[4];
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      long left = covered;
      while (left > 0) {
        int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
        if (n < 0) {
          throw new CheckpointException(Problem.TRUNCATED, name, "ended early", null);
        }
        crc.update(buffer, 0, n);
        left -= n;
      }
      readFully(in, stored);
    }
    int expected = ByteBuffer.wrap(stored).getInt();
    if ((int) crc.getValue() != expected) {
      throw new CheckpointException(
          Problem.CORRUPT,
          name,
          String.format("CRC32C is %08x but the trailer says %08x", (int) crc.getValue(), expected),
          null);
    }
    CheckpointHeader header = parseHeader(head, name);
    if (header.formatVersion() > FORMAT_VERSION) {
      throw new CheckpointException(
          Problem.UNSUPPORTED_VERSION,
          name,
          "format version " + header.formatVersion() + " is newer than " + FORMAT_VERSION,
          null);
    }
    if (header.applicationVersion() > maxApplicationVersion) {
      throw new CheckpointException(
          Problem.UNSUPPORTED_VERSION,
          name,
          "application checkpoint version "
              + header.applicationVersion()
              + " is newer than this application's "
              + maxApplicationVersion,
          null);
    }
    int stateLength = ByteBuffer.wrap(head, HEADER_BYTES - 4, 4).getInt();
    long payloadLength = readTrailerLength(file, size);
    if (stateLength < 0
        || stateLength > MAX_STATE_BYTES
        || HEADER_BYTES + (long) stateLength + payloadLength + TRAILER_BYTES != size) {
      throw new CheckpointException(
          Problem.CORRUPT, name, "section lengths do not add up to the file size " + size, null);
    }
    return header;
  }

  /** What {@link #open} found: the header, the runtime state, and the payload stream. */
  public record Opened(CheckpointHeader header, byte[] runtimeState, InputStream payload)
      implements AutoCloseable {
    @Override
    public void close() throws IOException {
      payload.close();
    }
  }

  /**
   * Verifies and opens a checkpoint. The caller closes the result.
   *
   * @throws CheckpointException if the file fails {@link #verify}
   */
  public static Opened open(Path file, int maxApplicationVersion) throws IOException {
    CheckpointHeader header = verify(file, maxApplicationVersion);
    long size = Files.size(file);
    InputStream in = new BlockInputStream(Files.newInputStream(file));
    try {
      DataInputStream data = new DataInputStream(in);
      data.skipNBytes(HEADER_BYTES - 4);
      byte[] state = new byte[data.readInt()];
      data.readFully(state);
      long payloadLength = size - HEADER_BYTES - state.length - TRAILER_BYTES;
      return new Opened(header, state, new BoundedStream(in, payloadLength));
    } catch (IOException | RuntimeException e) {
      in.close();
      throw e;
    }
  }

  private static CheckpointHeader parseHeader(byte[] head, String name) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(head));
    in.skipNBytes(MAGIC.length);
    int format = in.readInt();
    int appVersion = in.readInt();
    long term = in.readLong();
    long index = in.readLong();
    long positionIndex = in.readLong();
    long positionEpoch = in.readLong();
    if (positionIndex < 0 || positionEpoch < 0) {
      throw new CheckpointException(Problem.CORRUPT, name, "negative position in header", null);
    }
    return new CheckpointHeader(
        format, appVersion, term, index, new Position(positionIndex, positionEpoch));
  }

  private static long readTrailerLength(Path file, long size) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer buffer = ByteBuffer.allocate(8);
      channel.position(size - TRAILER_BYTES);
      while (buffer.hasRemaining()) {
        if (channel.read(buffer) < 0) {
          throw new EOFException("trailer");
        }
      }
      return buffer.flip().getLong();
    }
  }

  private static void readFully(InputStream in, byte[] target) throws IOException {
    int off = 0;
    while (off < target.length) {
      int n = in.read(target, off, target.length - off);
      if (n < 0) {
        throw new EOFException("expected " + target.length + " bytes, got " + off);
      }
      off += n;
    }
  }

  private static final class CountingStream extends FilterOutputStream {
    long count;

    CountingStream(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }

  private static final class BoundedStream extends InputStream {
    private final InputStream in;
    private long left;

    BoundedStream(InputStream in, long left) {
      this.in = in;
      this.left = left;
    }

    @Override
    public int read() throws IOException {
      if (left <= 0) {
        return -1;
      }
      int b = in.read();
      if (b >= 0) {
        left--;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (left <= 0) {
        return -1;
      }
      int n = in.read(b, off, (int) Math.min(len, left));
      if (n > 0) {
        left -= n;
      }
      return n;
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
