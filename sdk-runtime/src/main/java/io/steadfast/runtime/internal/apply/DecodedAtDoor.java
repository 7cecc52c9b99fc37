package io.steadfast.runtime.internal.apply;

import io.steadfast.api.session.SessionId;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Commands the primary decoded at its door (to check them before journaling), kept for its own
 * apply of the same request, so that each replica decodes a command once rather than the primary
 * twice.
 *
 * <p>A command is handed over only when the journaled request has the same session, sequence and
 * payload bytes as the one decoded at the door. Decoding is a function of the bytes (a codec's
 * contract), so using the kept object gives the same outcome as decoding again, and whether a
 * command was found here never shows in replicated state. Backups never hold anything.
 *
 * <p>Bounded: about {@link #MAX_HELD} commands (the size check and the insertion are not one step,
 * so sessions keeping at the same moment may pass it by one each); past that, new ones are not kept
 * (apply decodes them). What a request that never reached apply leaves behind is dropped when this
 * node stops being primary ({@link #clear()}), when the same session and sequence is decoded again,
 * or when it is refused before journaling ({@link #forget}). Thread-safe: the door runs on the
 * sessions' threads, apply on the apply thread.
 */
public final class DecodedAtDoor {

  /** The most commands kept at once: the commit queue and the batches in flight, with room. */
  public static final int MAX_HELD = 8192;

  private record Key(SessionId session, long sequence) {}

  private record Held(byte[] payload, Object command) {}

  private final ConcurrentHashMap<Key, Held> held = new ConcurrentHashMap<>();
  private final AtomicLong handedOver = new AtomicLong();

  /** Keeps {@code command}, decoded from {@code payload} at the door, for its apply here. */
  public void keep(SessionId session, long sequence, byte[] payload, Object command) {
    Key key = new Key(session, sequence);
    if (held.size() < MAX_HELD || held.containsKey(key)) {
      held.put(key, new Held(payload, command));
    }
  }

  /** Drops what the door kept for a request that was refused before it was journaled. */
  public void forget(SessionId session, long sequence) {
    held.remove(new Key(session, sequence));
  }

  /**
   * The command decoded at the door for this request, if its payload is the same bytes; removed
   * either way.
   */
  @Nullable Object take(SessionId session, long sequence, byte[] payload) {
    if (held.isEmpty()) {
      return null;
    }
    Held kept = held.remove(new Key(session, sequence));
    if (kept == null || !Arrays.equals(kept.payload(), payload)) {
      return null;
    }
    handedOver.incrementAndGet();
    return kept.command();
  }

  /** Drops everything: this node is no longer primary. */
  public void clear() {
    held.clear();
  }

  /** Commands kept now. */
  public int size() {
    return held.size();
  }

  /** Commands apply took from here instead of decoding, since start. */
  public long handedOver() {
    return handedOver.get();
  }
}
