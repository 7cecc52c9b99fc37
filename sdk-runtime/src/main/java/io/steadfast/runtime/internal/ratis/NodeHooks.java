package io.steadfast.runtime.internal.ratis;

import io.steadfast.api.NodeId;
import io.steadfast.runtime.internal.journal.JournalEntry;
import org.jspecify.annotations.Nullable;

/**
 * What the state machine adapter tells the node about the engine's events. Implemented by the node;
 * called on engine threads, so implementations must be thread-safe and quick.
 */
public interface NodeHooks {

  /**
   * This node became primary and has applied every entry of earlier epochs.
   *
   * @param epoch the new epoch
   * @param priorEpoch the epoch of the last entry applied before this one (0 for a new cluster)
   * @param lastHandOver the last hand-over announced in the journal, if any
   */
  void primaryReady(long epoch, long priorEpoch, JournalEntry.@Nullable HandOver lastHandOver);

  /**
   * The engine learned of a new primary (or of none).
   *
   * @param primary the new primary, or null if none is known
   * @param lastHandOver the last hand-over announced in the journal, if any
   */
  void primaryChanged(@Nullable NodeId primary, JournalEntry.@Nullable HandOver lastHandOver);

  /** This node installed a checkpoint received from the primary and continues from it. */
  void rejoined();

  /** The engine stopped this node because of an error it cannot recover from. */
  void failed(Throwable cause);
}
