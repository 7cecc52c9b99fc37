package io.steadfast.runtime;

import io.steadfast.api.Health;
import io.steadfast.api.NodeId;
import io.steadfast.api.Position;
import io.steadfast.api.role.Role;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A snapshot of one node's state, as {@link SteadfastNode#status()} reports it.
 *
 * <p>Immutable and thread-safe. Not intended to be created by applications; new facts may be added
 * in later versions.
 */
public final class NodeStatus {

  private final NodeId node;
  private final Role role;
  private final long epoch;
  private final @Nullable NodeId primary;
  private final Position appliedPosition;
  private final long appliedIndex;
  private final long commitIndex;
  private final long journalStartIndex;
  private final long journalEndIndex;
  private final long lastCheckpointIndex;
  private final int openSessions;
  private final Health health;
  private final long overruns;
  private final @Nullable String recoveredFrom;
  private final @Nullable Duration sinceLastContact;
  private final long applicationFaults;
  private final long skippedEntries;
  private final List<String> storageRepairs;

  /** Values gathered by the node; see the accessors for their meaning. */
  record Values(
      NodeId node,
      Role role,
      long epoch,
      @Nullable NodeId primary,
      Position appliedPosition,
      long appliedIndex,
      long commitIndex,
      long journalStartIndex,
      long journalEndIndex,
      long lastCheckpointIndex,
      int openSessions,
      Health health,
      long overruns,
      @Nullable String recoveredFrom,
      @Nullable Duration sinceLastContact,
      long applicationFaults,
      long skippedEntries,
      List<String> storageRepairs) {}

  NodeStatus(Values v) {
    this.node = Objects.requireNonNull(v.node());
    this.role = Objects.requireNonNull(v.role());
    this.epoch = v.epoch();
    this.primary = v.primary();
    this.appliedPosition = Objects.requireNonNull(v.appliedPosition());
    this.appliedIndex = v.appliedIndex();
    this.commitIndex = v.commitIndex();
    this.journalStartIndex = v.journalStartIndex();
    this.journalEndIndex = v.journalEndIndex();
    this.lastCheckpointIndex = v.lastCheckpointIndex();
    this.openSessions = v.openSessions();
    this.health = Objects.requireNonNull(v.health());
    this.overruns = v.overruns();
    this.recoveredFrom = v.recoveredFrom();
    this.sinceLastContact = v.sinceLastContact();
    this.applicationFaults = v.applicationFaults();
    this.skippedEntries = v.skippedEntries();
    this.storageRepairs = List.copyOf(v.storageRepairs());
  }

  /**
   * The repairs this node made to its storage when it last started, one line each naming the file
   * and the damage (a journal cut at the last sound entry, a vote record rewritten, a checkpoint
   * set aside); empty when its storage was sound.
   */
  public List<String> storageRepairs() {
    return storageRepairs;
  }

  /** The node. */
  public NodeId node() {
    return node;
  }

  /** Its role. */
  public Role role() {
    return role;
  }

  /** The current epoch (Raft term) as this node knows it; -1 when its engine is not running. */
  public long epoch() {
    return epoch;
  }

  /** The primary as this node knows it, if it knows one. */
  public Optional<NodeId> primary() {
    return Optional.ofNullable(primary);
  }

  /** The position of the last command applied here. */
  public Position appliedPosition() {
    return appliedPosition;
  }

  /** The journal index of the last entry applied here, or -1. */
  public long appliedIndex() {
    return appliedIndex;
  }

  /** The journal index known committed here, or -1. */
  public long commitIndex() {
    return commitIndex;
  }

  /**
   * The first journal index this node still holds (older entries were purged after a checkpoint),
   * or -1 when its engine is not running. A backup that fell behind this index on the primary is
   * sent a checkpoint instead of the journal.
   */
  public long journalStartIndex() {
    return journalStartIndex;
  }

  /**
   * The index of the last entry this node's journal holds, committed or not, or -1 when its engine
   * is not running. On the primary it bounds every backup's journal: no backup holds an entry the
   * primary of its epoch has not written.
   */
  public long journalEndIndex() {
    return journalEndIndex;
  }

  /** The journal index of the newest checkpoint, or -1. */
  public long lastCheckpointIndex() {
    return lastCheckpointIndex;
  }

  /** Sessions open in the replicated table. */
  public int openSessions() {
    return openSessions;
  }

  /** The application's last reported health. */
  public Health health() {
    return health;
  }

  /** Exit-point calls that took longer than their budget. */
  public long overruns() {
    return overruns;
  }

  /** A refused checkpoint this node recovered from at start, if any. */
  public Optional<String> recoveredFrom() {
    return Optional.ofNullable(recoveredFrom);
  }

  /**
   * For a backup, the time since the primary's last message; for the primary, the time since the
   * slowest backup's last answer; empty during an election or when stopped.
   */
  public Optional<Duration> sinceLastContact() {
    return Optional.ofNullable(sinceLastContact);
  }

  /**
   * Commands whose apply threw an {@link Error} that was recorded as an application fault (the same
   * on every replica), since this node started.
   */
  public long applicationFaults() {
    return applicationFaults;
  }

  /**
   * Journal entries that were not runtime entries and were skipped (the same on every replica),
   * since this node started.
   */
  public long skippedEntries() {
    return skippedEntries;
  }

  /**
   * Journal entries committed but not yet applied here: on a backup, how far it trails the
   * primary's commit point as last heard from the primary.
   */
  public long applyLag() {
    return Math.max(0, commitIndex - appliedIndex);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof NodeStatus that && values().equals(that.values());
  }

  @Override
  public int hashCode() {
    return values().hashCode();
  }

  private Values values() {
    return new Values(
        node,
        role,
        epoch,
        primary,
        appliedPosition,
        appliedIndex,
        commitIndex,
        journalStartIndex,
        journalEndIndex,
        lastCheckpointIndex,
        openSessions,
        health,
        overruns,
        recoveredFrom,
        sinceLastContact,
        applicationFaults,
        skippedEntries,
        storageRepairs);
  }

  @Override
  public String toString() {
    return "NodeStatus[node="
        + node
        + ", role="
        + role
        + ", epoch="
        + epoch
        + ", primary="
        + primary
        + ", applied="
        + appliedPosition
        + " at index "
        + appliedIndex
        + ", commit="
        + commitIndex
        + ", journalStart="
        + journalStartIndex
        + ", journalEnd="
        + journalEndIndex
        + ", checkpoint="
        + lastCheckpointIndex
        + ", sessions="
        + openSessions
        + ", health="
        + health
        + ", overruns="
        + overruns
        + ", recoveredFrom="
        + recoveredFrom
        + ", sinceLastContact="
        + sinceLastContact
        + ", applicationFaults="
        + applicationFaults
        + ", skippedEntries="
        + skippedEntries
        + "]";
  }
}
