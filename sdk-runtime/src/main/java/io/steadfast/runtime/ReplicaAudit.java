package io.steadfast.runtime;

import io.steadfast.api.NodeId;
import java.util.Map;

/**
 * The result of comparing every member's state at one journal entry, from {@link
 * SteadfastNode#auditReplicas()} or the periodic audit ({@code auditEvery}). The primary journals
 * an audit entry; each member fingerprints its state just after applying it (SHA-256 of the
 * runtime's replicated state, and of the application's checkpoint bytes); the primary then asks
 * every member for its fingerprints and compares them with its own.
 *
 * @param round the audit's number
 * @param journalIndex the journal index of the audit entry, where every state was taken
 * @param primary the member that ran the audit (its state is the reference)
 * @param verdicts every other member's verdict, by id
 * @param resyncing the members told to re-synchronise after this audit, sorted (empty unless
 *     re-synchronisation was asked for and a majority of the members shares one state)
 */
public record ReplicaAudit(
    long round,
    long journalIndex,
    NodeId primary,
    Map<NodeId, Verdict> verdicts,
    java.util.List<NodeId> resyncing) {

  /** What the audit found for one member. */
  public enum Verdict {
    /** Both fingerprints equal the primary's. */
    MATCH,
    /**
     * The runtime's replicated state differs (sessions, resume points, positions): the first
     * section of a checkpoint, so it is reported even when the application's state differs too.
     */
    RUNTIME_STATE_DIFFERS,
    /** The runtime's state matches; the application's checkpoint bytes differ. */
    APPLICATION_STATE_DIFFERS,
    /** The member did not answer in time: down, unreachable, or behind the audit entry. */
    NOT_ANSWERED,
    /** The member's application checkpoint failed while it fingerprinted its state. */
    NOT_FINGERPRINTED
  }

  /** Copies the verdicts and the targets. */
  public ReplicaAudit {
    verdicts = Map.copyOf(new java.util.TreeMap<>(verdicts));
    resyncing = java.util.List.copyOf(new java.util.TreeSet<>(resyncing));
  }

  /** An audit that re-synchronised nobody. */
  public ReplicaAudit(
      long round, long journalIndex, NodeId primary, Map<NodeId, Verdict> verdicts) {
    this(round, journalIndex, primary, verdicts, java.util.List.of());
  }

  /** Whether a member was found to differ from the primary. */
  public boolean foundDifference() {
    return verdicts.values().stream()
        .anyMatch(
            v -> v == Verdict.RUNTIME_STATE_DIFFERS || v == Verdict.APPLICATION_STATE_DIFFERS);
  }

  /** Whether every other member answered and matches. */
  public boolean allMatch() {
    return verdicts.values().stream().allMatch(v -> v == Verdict.MATCH);
  }
}
