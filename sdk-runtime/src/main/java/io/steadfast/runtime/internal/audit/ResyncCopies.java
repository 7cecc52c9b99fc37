package io.steadfast.runtime.internal.audit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The copy of its state a member keeps for members being re-synchronised: written when it applies a
 * re-sync entry that does not name it as a target, served in chunks to the targets. Only the newest
 * copy is kept (one checkpoint's size on disk); the next re-sync entry replaces it and deletes the
 * file.
 *
 * <p>Thread-safe: written on the apply and checkpoint threads, read by peers' questions.
 */
public final class ResyncCopies {

  private static final Logger LOG = LoggerFactory.getLogger(ResyncCopies.class);

  /** The most bytes one answer carries; a copy of any size is sent in chunks of this size. */
  public static final int CHUNK = 1 << 20;

  /** What a member can say about the copy a target asks for. */
  public enum State {
    /** It has not applied the re-sync entry yet: ask again. */
    NOT_YET,
    /** Applied; the copy is still being written: ask again. */
    WRITING,
    /** The chunk follows. */
    READY,
    /** It applied the entry but holds no copy (failed, replaced by a newer one): ask another. */
    GONE
  }

  /**
   * One answer.
   *
   * @param state what the member holds
   * @param length the copy's whole length in bytes (0 unless ready)
   * @param chunk the bytes from the asked offset, at most {@link #CHUNK} (empty unless ready)
   */
  public record Chunk(State state, long length, byte[] chunk) {}

  private record Copy(long round, long journalIndex, CompletableFuture<Path> file) {}

  private @Nullable Copy newest;

  /**
   * Records the copy for {@code round}, taken just after the entry at {@code journalIndex}, and
   * forgets (and deletes) the previous one.
   */
  public void replace(long round, long journalIndex, CompletableFuture<Path> file) {
    Copy previous;
    synchronized (this) {
      previous = newest;
      newest = new Copy(round, journalIndex, file);
    }
    if (previous != null) {
      var unused =
          previous.file().thenAccept(old -> old.toFile().delete()).exceptionally(e -> null);
    }
  }

  /**
   * Answers a target asking for {@code length} bytes of the copy of {@code round} from {@code
   * offset}.
   *
   * @param journalIndex the re-sync entry's index, as the target applied it
   * @param applied this member's last applied journal index
   */
  public Chunk read(long round, long journalIndex, long offset, LongSupplier applied) {
    Copy copy;
    synchronized (this) {
      copy = newest;
    }
    if (copy == null || copy.round() != round || copy.journalIndex() != journalIndex) {
      return new Chunk(
          applied.getAsLong() >= journalIndex ? State.GONE : State.NOT_YET, 0, new byte[0]);
    }
    if (!copy.file().isDone()) {
      return new Chunk(State.WRITING, 0, new byte[0]);
    }
    if (copy.file().isCompletedExceptionally()) {
      return new Chunk(State.GONE, 0, new byte[0]);
    }
    Path file = copy.file().join();
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long length = channel.size();
      if (offset < 0 || offset > length) {
        return new Chunk(State.GONE, 0, new byte[0]);
      }
      ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(CHUNK, length - offset));
      while (buffer.hasRemaining()) {
        if (channel.read(buffer, offset + buffer.position()) < 0) {
          break;
        }
      }
      return new Chunk(State.READY, length, buffer.array());
    } catch (IOException e) {
      LOG.warn("cannot read the re-sync copy {}: {}", file, e.toString());
      return new Chunk(State.GONE, 0, new byte[0]);
    }
  }
}
