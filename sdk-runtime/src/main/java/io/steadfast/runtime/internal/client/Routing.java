package io.steadfast.runtime.internal.client;

import io.steadfast.api.NodeId;
import io.steadfast.api.NotPrimaryException;
import io.steadfast.api.session.SessionId;
import io.steadfast.runtime.internal.journal.Outcome;
import io.steadfast.runtime.internal.journal.Request;
import io.steadfast.runtime.internal.node.NodeGateway;
import io.steadfast.runtime.internal.node.SessionView;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/** Where a client's requests go: one fixed node, or whichever node of a cluster is primary. */
public interface Routing<C, R> {

  /** Sends a request to the current target. */
  public CompletableFuture<Outcome> send(Request request);

  /**
   * Reads a session's record from the current target; with {@code attach}, the primary also tells
   * its application that the session re-attached.
   */
  public SessionView readSession(SessionId session, boolean attach);

  /**
   * Asks the current target, which must be the primary, the application's read-only query ({@link
   * io.steadfast.runtime.internal.node.Queries#appQuery} bytes); answers the reply bytes.
   */
  public byte[] query(byte[] query);

  /**
   * Asks some ready member, preferably not the primary, the application's read-only query from its
   * applied state ({@link NodeGateway#queryStale}).
   */
  public byte[] queryStale(byte[] query);

  /**
   * Learns that the target is not primary.
   *
   * @return whether another target is worth trying
   */
  public boolean redirect(NotPrimaryException refusal);

  /** Learns that the current target failed in another way (down, unreachable, timed out). */
  default void failed(Throwable cause) {}

  /**
   * Called while a request to the current target has been waiting a while: whether another member
   * is now the ready primary (the target may be frozen, or deposed and not yet aware of it). If so,
   * the target becomes that member and the caller sends the request again there (the same number,
   * so it is applied once whichever attempt lands). Asks at most a few times a second however many
   * sessions call it.
   */
  default boolean primaryMoved() {
    return false;
  }

  /**
   * One node while it is primary; once it stops or steps down, the cluster beyond it when the node
   * knows a way there (and from then on), so that a request whose outcome was unknown can still be
   * settled.
   */
  public final class Fixed<C, R> implements Routing<C, R> {
    private final NodeGateway<C, R> node;
    private final Supplier<@Nullable Routing<C, R>> fallback;
    private volatile @Nullable Routing<C, R> moved;

    /**
     * Whether this node answered a request: only a session that was opened here follows the cluster
     * later; opening one on a node that is not primary is refused with "not primary".
     */
    private volatile boolean established;

    public Fixed(NodeGateway<C, R> node, Supplier<@Nullable Routing<C, R>> fallback) {
      this.node = node;
      this.fallback = fallback;
    }

    @Override
    public CompletableFuture<Outcome> send(Request request) {
      Routing<C, R> elsewhere = moved;
      if (elsewhere != null) {
        return elsewhere.send(request);
      }
      return node.submit(request)
          .whenComplete(
              (outcome, error) -> {
                if (error == null) {
                  established = true;
                }
              });
    }

    @Override
    public byte[] query(byte[] query) {
      Routing<C, R> elsewhere = moved;
      return elsewhere != null ? elsewhere.query(query) : node.query(query, null);
    }

    @Override
    public byte[] queryStale(byte[] query) {
      Routing<C, R> elsewhere = moved;
      return elsewhere != null ? elsewhere.queryStale(query) : node.queryStale(query, null);
    }

    @Override
    public SessionView readSession(SessionId session, boolean attach) {
      Routing<C, R> elsewhere = moved;
      return elsewhere != null
          ? elsewhere.readSession(session, attach)
          : node.readSession(session, attach);
    }

    @Override
    public boolean redirect(NotPrimaryException refusal) {
      Routing<C, R> elsewhere = moved;
      if (elsewhere != null) {
        return elsewhere.redirect(refusal);
      }
      return moveOn();
    }

    @Override
    public void failed(Throwable cause) {
      Routing<C, R> elsewhere = moved;
      if (elsewhere != null) {
        elsewhere.failed(cause);
      } else if (!node.isPrimary()) {
        moveOn();
      }
    }

    private boolean moveOn() {
      if (!established) {
        return false;
      }
      Routing<C, R> next = fallback.get();
      if (next == null) {
        return false;
      }
      moved = next;
      return true;
    }
  }

  /** The members of an in-process cluster, following the primary. */
  public final class Cluster<C, R> implements Routing<C, R> {
    private final Supplier<? extends Collection<? extends NodeGateway<C, R>>> members;
    private volatile @Nullable NodeGateway<C, R> target;

    public Cluster(Supplier<? extends Collection<? extends NodeGateway<C, R>>> members) {
      this.members = members;
    }

    private NodeGateway<C, R> target() {
      NodeGateway<C, R> current = target;
      // Every member is looked at, not only the last target, which may have been deposed unawares.
      NodeGateway<C, R> newest = newestPrimary(members.get());
      if (newest == null) {
        throw new NotPrimaryException(current == null ? NodeId.of("none") : current.id(), null);
      }
      target = newest;
      return newest;
    }

    @Override
    public CompletableFuture<Outcome> send(Request request) {
      try {
        return target().submit(request);
      } catch (NotPrimaryException e) {
        return CompletableFuture.failedFuture(e);
      }
    }

    @Override
    public byte[] query(byte[] query) {
      return target().query(query, null);
    }

    @Override
    public byte[] queryStale(byte[] query) {
      NodeGateway<C, R> chosen = null;
      for (NodeGateway<C, R> node : members.get()) {
        if (node.isHealthyBackup()) {
          chosen = node;
          break;
        }
      }
      return (chosen == null ? target() : chosen).queryStale(query, null);
    }

    @Override
    public SessionView readSession(SessionId session, boolean attach) {
      return target().readSession(session, attach);
    }

    @Override
    public boolean redirect(NotPrimaryException refusal) {
      // The next send looks at every member again; the refusal's suggestion adds nothing here.
      return true;
    }

    /**
     * Among {@code nodes}, the one that believes it is primary and was elected in the latest epoch,
     * or null if none does. A primary deposed while cut off still believes it leads until it hears
     * from the others; requests sent to it can never commit.
     */
    public static <C, R> @Nullable NodeGateway<C, R> newestPrimary(
        Iterable<? extends NodeGateway<C, R>> nodes) {
      NodeGateway<C, R> newest = null;
      for (NodeGateway<C, R> node : nodes) {
        if (node.isPrimary() && (newest == null || node.primaryEpoch() > newest.primaryEpoch())) {
          newest = node;
        }
      }
      return newest;
    }
  }
}
