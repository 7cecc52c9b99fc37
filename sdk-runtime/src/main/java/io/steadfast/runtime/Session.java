package io.steadfast.runtime;

import io.steadfast.api.ApplicationFaultException;
import io.steadfast.api.CommandRejectedException;
import io.steadfast.api.IndeterminateOutcomeException;
import io.steadfast.api.MalformedCommandException;
import io.steadfast.api.NotPrimaryException;
import io.steadfast.api.ResultUnavailableException;
import io.steadfast.api.SteadfastException;
import io.steadfast.api.codec.CommandCodec;
import io.steadfast.api.session.NotAuthenticatedException;
import io.steadfast.api.session.NotAuthorizedException;
import io.steadfast.api.session.OutOfSequenceException;
import io.steadfast.api.session.Principal;
import io.steadfast.api.session.ResumePoint;
import io.steadfast.api.session.SequenceConflictException;
import io.steadfast.api.session.SessionExpiredException;
import io.steadfast.api.session.SessionId;
import io.steadfast.api.session.SessionLimitException;
import io.steadfast.api.session.UnknownSessionException;
import io.steadfast.runtime.internal.client.Routing;
import io.steadfast.runtime.internal.journal.Outcome;
import io.steadfast.runtime.internal.journal.Request;
import io.steadfast.runtime.internal.node.SessionView;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * One user's session: numbers its requests and retries each with the same number until it has an
 * outcome or its deadline passes, across redirects, failovers and switchovers. The runtime applies
 * a request at most once; a retry returns the original outcome.
 *
 * <p>One request at a time: a call waits for the session's lock, and a request whose outcome stayed
 * unknown ({@link IndeterminateOutcomeException}) must be settled with {@link #retry()} before the
 * next. The lock is a {@link ReentrantLock}, not a monitor, so a virtual thread waiting for an
 * outcome (for up to the request deadline) does not pin its carrier thread on JDK 21 to 23; a
 * session may be driven from virtual threads as well as from platform threads.
 *
 * @param <C> the command type
 * @param <R> the result type
 */
public final class Session<C, R> {

  private static final Duration FIRST_BACKOFF = Duration.ofMillis(2);
  // Kept short: while a new primary is being elected, a long back-off only adds to the time the
  // user waits after it is ready (measured: a median 77 ms with a 100 ms cap).
  private static final Duration MAX_BACKOFF = Duration.ofMillis(10);
  private static final Duration ATTEMPT = Duration.ofSeconds(2);

  /**
   * How long an attempt waits before the session first asks whether another member has become
   * primary: a frozen primary holds its connections open, and without this the session would wait
   * out the whole attempt after a new primary was ready. No new primary can be ready sooner than
   * the shortest election timeout after the freeze (150 ms by default) plus an election.
   */
  private static final Duration MOVED_CHECK = Duration.ofMillis(200);

  /**
   * Between later questions. With 250 ms for both (before 2026-12-07), a primary ready 300-450 ms
   * after a freeze was found at the 500 ms question; the remote client shares one answer among its
   * sessions for as long as this, so the members see a few requests a second per client.
   */
  private static final Duration MOVED_CHECK_AGAIN = Duration.ofMillis(50);

  private final SessionId id;
  private final Principal principal;
  private final CommandCodec<C, R> codec;
  private final Routing<C, R> routing;
  private final Duration deadline;
  private long lastSequence;
  private @Nullable Request unsettled;

  /**
   * Held by every call that reads or changes the numbering, for the whole of its network wait: one
   * request at a time. Not {@code synchronized}: see the class comment.
   */
  private final ReentrantLock lock = new ReentrantLock();

  /** Whether some attempt of the unsettled request may have reached the journal. */
  private boolean unsettledMayBeJournaled;

  Session(
      SessionId id,
      Principal principal,
      CommandCodec<C, R> codec,
      Routing<C, R> routing,
      Duration deadline,
      long lastSequence) {
    this.id = id;
    this.principal = principal;
    this.codec = codec;
    this.routing = routing;
    this.deadline = deadline;
    this.lastSequence = lastSequence;
  }

  /** The session's id. */
  public SessionId id() {
    return id;
  }

  /** Who the session is for. */
  public Principal principal() {
    return principal;
  }

  /** The number of the last request sent (0 before the first). */
  public long lastSequence() {
    lock.lock();
    try {
      return lastSequence;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Applies {@code command} exactly once and returns its result.
   *
   * @throws CommandRejectedException if the application rejected it
   * @throws NotAuthorizedException if the principal may not submit it (nothing journaled)
   * @throws SessionExpiredException if the session expired
   * @throws IndeterminateOutcomeException if the deadline passed without an outcome; call {@link
   *     #retry()}
   * @throws IllegalStateException if an earlier request is still unsettled
   */
  public R execute(C command) {
    lock.lock();
    try {
      if (unsettled != null) {
        throw new IllegalStateException(
            "session "
                + id
                + ": request "
                + unsettled.sequence()
                + " has no known outcome yet; settle it with retry() first");
      }
      byte[] payload = codec.encodeCommand(command);
      Request request = Request.command(id, lastSequence + 1, payload);
      lastSequence = request.sequence();
      unsettled = request;
      unsettledMayBeJournaled = false;
      try {
        return settle(request);
      } catch (NotAuthorizedException | MalformedCommandException | NotPrimaryException refused) {
        if (isUnsettled(request) && !unsettledMayBeJournaled) {
          // Refused at the door and no attempt could have been journaled: the number is free again.
          unsettled = null;
          lastSequence--;
        }
        throw refused;
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Sends the unsettled request again with its original number and returns its outcome.
   *
   * @throws IllegalStateException if there is nothing to settle
   */
  public R retry() {
    lock.lock();
    try {
      if (unsettled == null) {
        throw new IllegalStateException("session " + id + " has no unsettled request");
      }
      return settle(unsettled);
    } finally {
      lock.unlock();
    }
  }

  /** The audit view of this session: replaying a client's retry, for tests and tools. */
  public SessionAudit<C, R> audit() {
    return new SessionAudit<>(this);
  }

  /** See {@link SessionAudit#resend}. */
  R resend(long sequence, C command) {
    lock.lock();
    try {
      return result(deliver(Request.command(id, sequence, codec.encodeCommand(command))));
    } finally {
      lock.unlock();
    }
  }

  /**
   * Where the session's user was working, as the primary's replicated record says: the resume point
   * set by the last applied command.
   */
  public ResumePoint resumePoint() {
    return view().resumePoint();
  }

  /** The last applied sequence number, as the primary's replicated record says. */
  public long appliedSequence() {
    return view().lastSequence();
  }

  /** Re-attaches: reads the record and tells the primary's application (onResume). */
  SessionView attach() {
    return view(true);
  }

  private SessionView view() {
    return view(false);
  }

  private SessionView view(boolean attach) {
    long end = System.nanoTime() + deadline.toNanos();
    Duration backoff = FIRST_BACKOFF;
    while (true) {
      try {
        SessionView view = routing.readSession(id, attach);
        switch (view.state()) {
          case EXPIRED -> throw new SessionExpiredException(id);
          case UNKNOWN -> throw new UnknownSessionException(id);
          default -> {
            return view;
          }
        }
      } catch (NotPrimaryException e) {
        if (!routing.redirect(e) || System.nanoTime() > end) {
          throw e;
        }
      } catch (SessionExpiredException
          | UnknownSessionException
          | NotAuthenticatedException
          | NotAuthorizedException e) {
        throw e;
      } catch (SteadfastException e) {
        routing.failed(e);
        if (System.nanoTime() > end) {
          throw e;
        }
      }
      backoff = pause(backoff);
    }
  }

  /**
   * Opens the session in the journal. Opening one that is open (or that its owner closed) for the
   * same principal continues its numbering from the journal's last request.
   */
  void open(Duration ttl) {
    lock.lock();
    try {
      Outcome outcome = deliver(Request.open(id, principal, ttl));
      switch (outcome.status()) {
        case APPLIED -> lastSequence = outcome.lastSequence();
        case EXPIRED -> throw new SessionExpiredException(id);
        case LIMIT -> throw new SessionLimitException(id, outcome.message());
        default ->
            throw new SteadfastException(
                "session "
                    + id
                    + " could not be opened: "
                    + outcome.errorType()
                    + " "
                    + outcome.message());
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Closes the session in the journal. It keeps a tombstone for a day of leader time, so a late
   * retry of its last request still gets that request's outcome; its owner may open it again and
   * continue. Closing a closed session does nothing.
   *
   * @throws SessionExpiredException if the session had expired
   */
  public void close() {
    lock.lock();
    try {
      Outcome outcome = deliver(Request.close(id, lastSequence));
      if (outcome.status() == Outcome.Status.EXPIRED) {
        throw new SessionExpiredException(id);
      }
    } finally {
      lock.unlock();
    }
  }

  private R settle(Request request) {
    Outcome outcome = deliver(request);
    unsettled = null;
    unsettledMayBeJournaled = false;
    switch (outcome.status()) {
      // Refusals that applied nothing and took no number: the number is free again.
      case MALFORMED, NOT_AUTHORIZED -> {
        if (lastSequence == request.sequence()) {
          lastSequence--;
        }
      }
      // Another holder of this session took the number, or the numbering moved on: continue
      // after the journal's last request.
      case CONFLICT, OUT_OF_SEQUENCE ->
          lastSequence = Math.max(lastSequence, outcome.lastSequence());
      default -> {}
    }
    return result(outcome);
  }

  private R result(Outcome outcome) {
    return switch (outcome.status()) {
      case APPLIED -> codec.decodeResult(outcome.result());
      case REJECTED -> throw new CommandRejectedException(outcome.errorType(), outcome.message());
      case MALFORMED -> throw new MalformedCommandException(outcome.message());
      case EXPIRED -> throw new SessionExpiredException(id);
      case UNKNOWN_SESSION -> throw new UnknownSessionException(id);
      case OUT_OF_SEQUENCE ->
          throw new OutOfSequenceException(id, outcome.lastSequence(), lastSequence);
      case CONFLICT -> throw new SequenceConflictException(id, outcome.lastSequence());
      case NOT_AUTHORIZED ->
          throw new NotAuthorizedException(
              principal.user(),
              outcome.errorType(),
              outcome.message().isEmpty()
                  ? java.util.Set.of()
                  : java.util.Set.of(outcome.message().split(",")));
      case APPLIED_WITHOUT_RESULT ->
          throw new ResultUnavailableException(outcome.position(), outcome.message());
      case FAULTED -> throw new ApplicationFaultException(outcome.position(), outcome.errorType());
      case LIMIT -> throw new SessionLimitException(id, outcome.message());
    };
  }

  /**
   * Sends {@code request} until it has an outcome or the deadline passes. Only a refusal that no
   * attempt can have reached the journal surfaces as such ({@link NotPrimaryException}, {@link
   * NotAuthorizedException}, {@link MalformedCommandException}); once any attempt may have been
   * journaled, the request ends with an outcome or with {@link IndeterminateOutcomeException}.
   */
  private Outcome deliver(Request request) {
    long end = System.nanoTime() + deadline.toNanos();
    Duration backoff = FIRST_BACKOFF;
    Throwable last = null;
    while (System.nanoTime() < end) {
      long attemptEnd = System.nanoTime() + Math.min(ATTEMPT.toNanos(), end - System.nanoTime());
      try {
        Outcome outcome = awaitAttempt(routing.send(request), attemptEnd);
        if (outcome != null) {
          return outcome;
        }
        // Another member is the ready primary now: send there at once (same number).
        markMayBeJournaled(request);
        continue;
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        while (cause instanceof java.util.concurrent.CompletionException
            && cause.getCause() != null) {
          cause = cause.getCause();
        }
        last = cause;
        if (cause instanceof NotAuthorizedException refused) {
          throw refused;
        }
        if (cause instanceof MalformedCommandException malformed) {
          throw malformed;
        }
        // Refused at the door, nothing journaled by this attempt; if an earlier one may have
        // been, only an outcome settles that.
        if (cause instanceof NotAuthenticatedException
            || cause instanceof UnknownSessionException
            || cause instanceof SessionLimitException) {
          if (isUnsettled(request) && unsettledMayBeJournaled) {
            throw new IndeterminateOutcomeException(
                "session "
                    + id
                    + ": request "
                    + request.sequence()
                    + " may have been journaled by an earlier attempt; this one was refused: "
                    + cause.getMessage(),
                cause);
          }
          throw (SteadfastException) cause;
        }
        if (cause instanceof NotPrimaryException notPrimary) {
          if (!routing.redirect(notPrimary)) {
            break;
          }
        } else {
          // Anything else (a batch in flight when the primary stopped, an unreachable member, an
          // overloaded one) may have reached the journal: from now on only an outcome settles it.
          markMayBeJournaled(request);
          routing.failed(cause == null ? e : cause);
        }
      } catch (TimeoutException e) {
        last = e;
        markMayBeJournaled(request);
        routing.failed(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IndeterminateOutcomeException(
            "session " + id + " interrupted waiting for request " + request.sequence(), e);
      }
      backoff = pause(backoff);
    }
    if (last instanceof NotPrimaryException notPrimary
        && !(isUnsettled(request) && unsettledMayBeJournaled)) {
      throw notPrimary;
    }
    throw new IndeterminateOutcomeException(
        "session "
            + id
            + ": no outcome for request "
            + request.sequence()
            + " within "
            + deadline
            + "; retry it with the same number",
        last);
  }

  /**
   * Waits for an attempt until {@code attemptEnd} (nanoTime), asking after {@link #MOVED_CHECK} and
   * then every {@link #MOVED_CHECK_AGAIN} whether the primary moved. Returns the outcome, or null
   * when another member became the ready primary meanwhile (the attempt is abandoned; it may still
   * land, which the request number makes harmless).
   */
  private @Nullable Outcome awaitAttempt(CompletableFuture<Outcome> attempt, long attemptEnd)
      throws ExecutionException, TimeoutException, InterruptedException {
    long wait = MOVED_CHECK.toNanos();
    while (true) {
      long left = attemptEnd - System.nanoTime();
      if (left <= 0) {
        throw new TimeoutException();
      }
      try {
        return attempt.get(Math.min(left, wait), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        wait = MOVED_CHECK_AGAIN.toNanos();
        if (attemptEnd - System.nanoTime() > 0 && routing.primaryMoved()) {
          return null;
        }
      }
    }
  }

  private void markMayBeJournaled(Request request) {
    if (isUnsettled(request)) {
      unsettledMayBeJournaled = true;
    }
  }

  /**
   * Whether {@code request} is the very request left unsettled: the same object, not an equal one
   * (a resend of the same number by the audit view is another attempt and must not mark it).
   */
  @SuppressWarnings("ReferenceEquality")
  private boolean isUnsettled(Request request) {
    return request == unsettled;
  }

  private static Duration pause(Duration backoff) {
    try {
      Thread.sleep(backoff.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Duration next = backoff.multipliedBy(2);
    return next.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : next;
  }
}
