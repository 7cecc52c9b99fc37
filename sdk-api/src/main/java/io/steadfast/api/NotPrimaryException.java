package io.steadfast.api;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A write (or a linearizable read) reached a node that is not the primary. Nothing was journaled.
 *
 * <p>Retry at {@link #suggestedPrimary()} when present; otherwise an election is probably under way
 * and a retry after a short pause will find the new primary.
 */
public final class NotPrimaryException extends SteadfastException {

  private static final long serialVersionUID = 1L;

  private final NodeId node;
  private final @Nullable NodeId suggestedPrimary;

  /**
   * @param node the node that refused
   * @param suggestedPrimary the primary as that node knows it, or null if it knows none
   */
  public NotPrimaryException(NodeId node, @Nullable NodeId suggestedPrimary) {
    super(
        "node "
            + node
            + " is not the primary"
            + (suggestedPrimary == null ? "; no primary known" : "; try " + suggestedPrimary));
    this.node = node;
    this.suggestedPrimary = suggestedPrimary;
  }

  /** The node that refused. */
  public NodeId node() {
    return node;
  }

  /** The primary as the refusing node knows it. */
  public Optional<NodeId> suggestedPrimary() {
    return Optional.ofNullable(suggestedPrimary);
  }
}
