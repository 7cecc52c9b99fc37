package io.steadfast.runtime.internal.journal;

import io.steadfast.api.NodeId;
import io.steadfast.api.role.RoleChange;
import java.util.List;
import java.util.Objects;

/** One entry of the replicated journal, as the runtime writes it into a Raft log entry. */
public sealed interface JournalEntry {

  /**
   * Requests from any number of sessions, journaled together (group commit), with the time the
   * primary assigned to them.
   *
   * @param leaderTimeMillis the primary's clock when it formed the batch, in epoch milliseconds
   * @param requests the requests, applied in this order
   */
  record Batch(long leaderTimeMillis, List<Request> requests) implements JournalEntry {
    /** Copies the list. */
    public Batch {
      requests = List.copyOf(requests);
    }
  }

  /**
   * The primary announces a planned hand-over to {@code target}, journaled just before it asks Raft
   * to transfer leadership, so the new primary (and every backup) can tell a switchover from a
   * failover.
   *
   * @param target the node taking over
   * @param reason {@link RoleChange.Reason#SWITCHOVER} or {@link RoleChange.Reason#HEALTH}
   * @param epoch the epoch of the primary that announced it
   */
  record HandOver(NodeId target, RoleChange.Reason reason, long epoch) implements JournalEntry {
    /** Validates the reason. */
    public HandOver {
      Objects.requireNonNull(target, "target");
      if (reason != RoleChange.Reason.SWITCHOVER && reason != RoleChange.Reason.HEALTH) {
        throw new IllegalArgumentException(
            "hand-over reason must be SWITCHOVER or HEALTH: " + reason);
      }
    }
  }

  /**
   * The primary asks every replica to fingerprint its state as it stands after this entry, so the
   * fingerprints of all members can be compared at exactly the same journal index. Changes no
   * state.
   *
   * @param round the primary's number for this audit, to find the replicas' answers by
   */
  record Audit(long round) implements JournalEntry {}

  /**
   * An operator raised the cluster's active application version to {@code version}, after every
   * member announced that its code supports it. Never lowers the active version.
   *
   * @param version the new active version
   */
  record Finalize(int version) implements JournalEntry {
    /** Validates the version. */
    public Finalize {
      if (version < 1) {
        throw new IllegalArgumentException("application version must be positive: " + version);
      }
    }
  }

  /**
   * After an audit found members whose state differs from the state a majority holds, the primary
   * asks those members to replace their state. Every member that is not a target keeps a copy of
   * its state as it stands after this entry; each target, on applying it, fetches such a copy from
   * one of the sources and continues from it. Changes nothing on the members that are not targets.
   *
   * @param round the audit round that found the difference, to find the copies by
   * @param targets the members whose state is replaced, sorted by id
   * @param sources the members whose state the majority holds, sorted by id
   */
  record Resync(long round, List<NodeId> targets, List<NodeId> sources) implements JournalEntry {
    /** Copies and checks the lists. */
    public Resync {
      targets = List.copyOf(targets);
      sources = List.copyOf(sources);
      if (targets.isEmpty() || sources.isEmpty()) {
        throw new IllegalArgumentException("a re-sync needs targets and sources");
      }
      for (NodeId target : targets) {
        if (sources.contains(target)) {
          throw new IllegalArgumentException(target + " cannot be both target and source");
        }
      }
    }
  }
}
