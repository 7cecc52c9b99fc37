package io.steadfast.runtime.internal.node;

import io.steadfast.api.NodeId;
import io.steadfast.api.session.SessionId;
import io.steadfast.runtime.internal.journal.Outcome;
import io.steadfast.runtime.internal.journal.Request;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The one seam through which the parts around a member reach its engine: session routing (local and
 * for an embedded cluster) and the HTTP endpoint call it; the public {@code SteadfastNode} facade
 * holds the implementation.
 *
 * <p>Implementations are thread-safe. Not for applications.
 *
 * @param <C> the command type
 * @param <R> the result type
 */
public interface NodeGateway<C, R> {

  /** The member's id. */
  NodeId id();

  /** Whether it is the ready primary now. */
  boolean isPrimary();

  /** The epoch it was last promoted in; orders members that believe they lead. */
  long primaryEpoch();

  /**
   * Journals one session request. Fails with {@code NotPrimaryException} only when nothing was
   * journaled; a failure after the request reached the journal is an {@code
   * IndeterminateOutcomeException}.
   */
  CompletableFuture<Outcome> submit(Request request);

  /** Reads a session's record linearizably on the primary; with {@code attach}, tells its app. */
  SessionView readSession(SessionId session, boolean attach);

  /** The member's status as text, for operators. */
  String statusText();

  /** The newest checkpoint file the member holds, if any (served to peers that need one). */
  Optional<Path> newestCheckpoint();
}
