package io.steadfast.runtime.internal.node;

import io.steadfast.api.NodeId;
import io.steadfast.api.session.SessionId;
import io.steadfast.runtime.internal.journal.Outcome;
import io.steadfast.runtime.internal.journal.Request;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

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

  /** The ids of every member, this one included, sorted. */
  java.util.SortedSet<String> members();

  /** Whether it is the ready primary now. */
  boolean isPrimary();

  /** The epoch it was last promoted in; orders members that believe they lead. */
  long primaryEpoch();

  /**
   * Journals one session request. Fails with {@code NotPrimaryException} only when nothing was
   * journaled; a failure after the request reached the journal is an {@code
   * IndeterminateOutcomeException}.
   */
  default CompletableFuture<Outcome> submit(Request request) {
    return submit(request, null);
  }

  /**
   * Journals one session request for {@code caller}: an authenticated remote user, who may use only
   * sessions that belong to it, or null for a trusted caller (in-process code, a member). At the
   * door, before anything is journaled, a command or close for a session never opened is refused
   * ({@code UnknownSessionException}), as is one for another user's session ({@code
   * NotAuthorizedException}), an open beyond the session bounds ({@code SessionLimitException}) and
   * a command the session's principal may not submit.
   */
  CompletableFuture<Outcome> submit(Request request, @Nullable String caller);

  /**
   * Waits, at most {@code atMost}, while this member expects to learn of a ready primary shortly
   * (it has just been elected, an election is under way, or the primary it knew has died), so that
   * a request it refused for not being primary can be tried once more, or refused naming the new
   * primary, instead of sending its client around the members. Never fails; completes with whether
   * it waited at all. Continuations run on {@code executor}, never on the engine's threads.
   */
  default CompletableFuture<Boolean> primarySettled(
      java.time.Duration atMost, java.util.concurrent.Executor executor) {
    return CompletableFuture.completedFuture(false);
  }

  /** Reads a session's record linearizably on the primary; with {@code attach}, tells its app. */
  default SessionView readSession(SessionId session, boolean attach) {
    return readSession(session, attach, null);
  }

  /**
   * As {@link #readSession(SessionId, boolean)} for {@code caller} (see {@link #submit(Request,
   * String)}): an open session of another user is refused with {@code NotAuthorizedException}.
   */
  SessionView readSession(SessionId session, boolean attach, @Nullable String caller);

  /**
   * The member's status for operators, as JSON-ready values (strings, numbers, booleans, null),
   * keys in a fixed order.
   */
  java.util.Map<String, @Nullable Object> statusFields();

  /**
   * The fingerprint of the member's whole state (runtime and application), with the journal index
   * it stands at: {@code journalIndex}, {@code sha256}. Hashes a full checkpoint of the state under
   * the read lock: for audits and tests, not for frequent polling.
   */
  java.util.Map<String, @Nullable Object> digest();

  /**
   * Whether the member can serve: started, not stopped, and either the ready primary or a backup
   * that knows the primary and has applied what it knows to be committed, give or take {@link
   * #CAUGHT_UP_ENTRIES}.
   */
  boolean isReady();

  /**
   * Whether the member is a backup that is ready (see {@link #isReady()}) and reports UP health.
   */
  boolean isHealthyBackup();

  /**
   * Answers the application's read-only {@code query} for {@code principal} on the primary,
   * linearizably (confirmed with a majority first), after checking the principal's roles. For a
   * remote {@code caller}, the principal must be that user.
   *
   * @param query {@link Queries#appQuery} bytes: the principal and the encoded request
   * @return the reply {@link Queries#decodeAppReply} reads: the encoded result or the rejection
   */
  byte[] query(byte[] query, @Nullable String caller);

  /**
   * Answers the application's read-only {@code query} from this member's applied state, without
   * asking the others: on the primary or on a ready backup (caught up to within a few entries of
   * what it knows committed, with a primary known). The answer may miss commands acknowledged in
   * the last moments; a caller opts in to that. Same authorization as {@link #query}.
   *
   * @throws io.steadfast.api.SteadfastException if this member is not ready to serve stale reads
   */
  byte[] queryStale(byte[] query, @Nullable String caller);

  /**
   * Moves the primary role to {@code target} (a planned switchover) and waits until it has moved.
   *
   * @throws io.steadfast.api.NotPrimaryException if this member is not the primary
   * @throws HandOverFailedException if {@code target} did not take over in time; this member stays
   *     primary
   */
  void switchoverTo(NodeId target);

  /**
   * Takes a checkpoint at the next journal entry this member applies; a primary journals an empty
   * entry for it at once, a backup takes it when the primary next journals anything.
   */
  void checkpointNow();

  /**
   * Steps this primary down so that the members elect again (it may be elected again). Asked by a
   * member that cut its journal at start: a leader keeps what it last knew of each follower's
   * journal, and sends nothing below it until it is re-elected.
   *
   * @throws io.steadfast.api.NotPrimaryException if this node is not the primary
   */
  void stepDown();

  /**
   * The members in force as this member knows them, sorted by id: each with {@code id}, {@code
   * journal} ({@code host:port}) and {@code endpoint} (a URI, or null).
   */
  java.util.List<java.util.Map<String, @Nullable Object>> memberList();

  /** Whether a membership change is under way. */
  boolean changingMembers();

  /**
   * Changes the membership on the primary: removes {@code removed} (or nothing when null) and adds
   * {@code added} at {@code journal} ({@code host:port}) with {@code endpoint} (or nothing when
   * {@code added} is null), in one change, and waits until it is committed.
   *
   * @throws IllegalArgumentException naming why the change is refused (not a member, a member
   *     already, the primary itself, a change under way, a malformed address)
   * @throws io.steadfast.api.NotPrimaryException if this member is not the primary
   * @throws io.steadfast.api.SteadfastException if the change failed
   */
  void changeMembers(
      @Nullable NodeId removed,
      @Nullable NodeId added,
      @Nullable String journal,
      java.net.@Nullable URI endpoint);

  /**
   * Adds a disaster-recovery replica, on the primary, and returns once the change is committed.
   *
   * @throws IllegalArgumentException if the request is malformed or refused
   * @throws io.steadfast.api.NotPrimaryException if this member is not the primary
   */
  void addReplica(
      io.steadfast.api.NodeId replica, @Nullable String journal, java.net.@Nullable URI endpoint);

  /**
   * Records this replica's promotion; it is promoted when started again. The caller then calls
   * {@link #stopForPromotion()}, after it has answered whoever asked: stopping first would close
   * the endpoint under the answer.
   *
   * @return what happens next, for the operator
   * @throws IllegalArgumentException if refused (not a replica, the primary site is up, another id)
   */
  String promote(io.steadfast.api.NodeId confirm);

  /** Stops this member on a thread of its own, after {@link #promote} recorded the promotion. */
  void stopForPromotion();

  /** The ids of the replicas in force. */
  java.util.List<String> replicaIds();

  /**
   * Audits the replicas now, on the primary, and answers the result as JSON fields; with {@code
   * resync}, also re-synchronises the members that differ from the majority.
   *
   * @throws io.steadfast.api.NotPrimaryException if this member is not the primary
   */
  java.util.Map<String, @Nullable Object> auditNow(boolean resync);

  /**
   * Raises the cluster's active application version, on the primary, once every member's code
   * supports it; answers the active version as JSON fields.
   *
   * @throws IllegalArgumentException naming the members whose code does not support it
   * @throws io.steadfast.api.NotPrimaryException if this member is not the primary
   */
  java.util.Map<String, @Nullable Object> finalizeNow(int version);

  /** How far behind the commit index a member may be and still count as caught up. */
  long CAUGHT_UP_ENTRIES = 100;

  /** The newest checkpoint file the member holds, if any (served to peers that need one). */
  Optional<Path> newestCheckpoint();
}
