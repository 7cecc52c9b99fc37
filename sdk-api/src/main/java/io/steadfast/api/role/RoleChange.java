package io.steadfast.api.role;

import io.steadfast.api.NodeId;
import io.steadfast.api.Position;
import java.util.Objects;

/**
 * One change of a node's role, delivered to {@code ResilientApplication.onRoleChange}.
 *
 * <p>Immutable and thread-safe. A change is always legal by {@link Role#canChange}. Each promotion
 * to {@link Role#PRIMARY} carries a strictly higher epoch than the node's previous promotion.
 *
 * @param node the node whose role changed
 * @param from the role before
 * @param to the role after
 * @param reason why it changed
 * @param epoch the epoch (Raft term) the change belongs to; the primary's fencing token
 * @param position the last command position applied on this node when the change was delivered
 */
public record RoleChange(
    NodeId node, Role from, Role to, Reason reason, long epoch, Position position) {

  /** Why a role changed. Names follow the action codes of the 1999 cluster exit programs. */
  public enum Reason {
    /**
     * The node started with empty storage, or became the first primary of a cluster that has not
     * served anything yet (no command applied, no session ever opened), even when members starting
     * seconds apart held an election or two before it.
     */
    START,
    /** The node started again from its own storage (checkpoint and journal). */
    RESTART,
    /** The primary was lost and another node was elected, or a cut-off primary was deposed. */
    FAILOVER,
    /** A planned hand-over of the primary role to a chosen node. */
    SWITCHOVER,
    /** The primary's application stayed unhealthy and handed over to a healthy backup. */
    HEALTH,
    /** The node fell too far behind and installed a checkpoint from the primary. */
    REJOIN,
    /** The node stopped. */
    END
  }

  /** Validates the fields against the transition table. */
  public RoleChange {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(position, "position");
    if (!from.canChange(to, reason)) {
      throw new IllegalArgumentException(
          "illegal role change "
              + from
              + " -> "
              + to
              + " for reason "
              + reason
              + " on node "
              + node);
    }
    if (epoch < 0) {
      throw new IllegalArgumentException("role change epoch must not be negative: " + epoch);
    }
  }
}
