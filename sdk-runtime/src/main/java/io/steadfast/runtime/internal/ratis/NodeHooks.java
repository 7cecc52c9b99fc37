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

  /**
   * As the target of a re-sync, fetches a copy of the state just after the re-sync entry at {@code
   * journalIndex} from one of {@code sources} into {@code into}. Called on the apply thread, which
   * waits: bounded by the node's own deadline.
   *
   * @return the source the copy came from, or empty if none gave one in time
   */
  java.util.Optional<NodeId> fetchResync(
      long round, long journalIndex, java.util.List<NodeId> sources, java.nio.file.Path into);

  /**
   * A re-sync of this member ended.
   *
   * @param journalIndex the re-sync entry's index
   * @param source the member whose state this one now holds, or null if the re-sync failed
   * @param failure why it failed, or null
   */
  void resynced(long journalIndex, @Nullable NodeId source, @Nullable String failure);
}
