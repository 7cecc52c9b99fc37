package io.steadfast.runtime;

import io.steadfast.api.Health;
import io.steadfast.api.NodeId;
import io.steadfast.api.Position;
import io.steadfast.api.role.Role;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A snapshot of one node's state, as {@link SteadfastNode#status()} reports it.
 *
 * <p>Immutable and thread-safe.
 *
 * @param node the node
 * @param role its role
 * @param epoch the current epoch (Raft term) as this node knows it
 * @param primary the primary as this node knows it, or null
 * @param appliedPosition the position of the last command applied here
 * @param appliedIndex the journal index of the last entry applied here
 * @param commitIndex the journal index known committed here
 * @param lastCheckpointIndex the journal index of the newest checkpoint, or -1
 * @param openSessions sessions open in the replicated table
 * @param health the application's last reported health
 * @param overruns exit-point calls that took longer than their budget
 * @param recoveredFrom a refused checkpoint this node recovered from at start, or null
 * @param sinceLastContact for a backup, time since the primary's last message; for the primary,
 *     time since the slowest backup's last answer; null during an election or when stopped
 * @param applicationFaults commands whose apply threw an {@link Error} that was recorded as an
 *     application fault (the same on every replica), since this node started
 * @param skippedEntries journal entries that were not runtime entries and were skipped (the same
 *     on every replica), since this node started
 */
public record NodeStatus(
    NodeId node,
    Role role,
    long epoch,
    @Nullable NodeId primary,
    Position appliedPosition,
    long appliedIndex,
    long commitIndex,
    long lastCheckpointIndex,
    int openSessions,
    Health health,
    long overruns,
    @Nullable String recoveredFrom,
    @Nullable Duration sinceLastContact,
    long applicationFaults,
    long skippedEntries) {

  /** The primary as this node knows it. */
  public Optional<NodeId> knownPrimary() {
    return Optional.ofNullable(primary);
  }

  /**
   * Journal entries committed but not yet applied here: on a backup, how far it trails the
   * primary's commit point as last heard from the primary.
   */
  public long applyLag() {
    return Math.max(0, commitIndex - appliedIndex);
  }
}
