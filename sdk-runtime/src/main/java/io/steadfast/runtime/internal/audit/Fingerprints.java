package io.steadfast.runtime.internal.audit;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * The fingerprints this replica took at the newest audit entries it applied, at most {@link #KEPT};
 * older ones are forgotten. Written on the apply thread, read by peers' questions.
 *
 * <p>Thread-safe.
 */
public final class Fingerprints {

  /** How many audit rounds a replica remembers. */
  public static final int KEPT = 16;

  /**
   * One replica's fingerprint of its state just after an audit entry.
   *
   * @param round the audit's number
   * @param journalIndex the audit entry's journal index
   * @param runtime SHA-256 of the runtime's replicated state (sessions, positions), hex
   * @param application SHA-256 of the application's checkpoint bytes, hex; completes later when the
   *     application froze its state and the bytes are written on another thread, and fails when the
   *     application's checkpoint failed
   */
  public record Fingerprint(
      long round, long journalIndex, String runtime, CompletableFuture<String> application) {}

  private final Deque<Fingerprint> kept = new ArrayDeque<>();

  /** Records a fingerprint, forgetting the oldest beyond {@link #KEPT}. */
  public synchronized void add(Fingerprint fingerprint) {
    kept.addLast(fingerprint);
    while (kept.size() > KEPT) {
      kept.removeFirst();
    }
  }

  /** The fingerprint of audit {@code round}, if this replica applied it and still remembers it. */
  public synchronized Optional<Fingerprint> of(long round) {
    for (Fingerprint fingerprint : kept) {
      if (fingerprint.round() == round) {
        return Optional.of(fingerprint);
      }
    }
    return Optional.empty();
  }

  /** The newest fingerprint, if any. */
  public synchronized @Nullable Fingerprint newest() {
    return kept.peekLast();
  }
}
