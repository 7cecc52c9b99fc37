package io.steadfast.api.session;

import io.steadfast.api.SteadfastException;

/**
 * A request arrived with the sequence number of the session's last journaled request but a
 * different payload: another client of the same session (a re-attached web tier, a second tab) took
 * that number first. Definite: this request was <em>not</em> applied, and nothing of it is in the
 * state.
 *
 * <p>Typical cause: two holders of one {@link SessionId} submitting at once. Re-attach to learn the
 * session's current number and resume point, then decide whether to submit again.
 */
public final class SequenceConflictException extends SteadfastException {

  private static final long serialVersionUID = 1L;

  private final SessionId session;
  private final long sequence;

  /**
   * @param session the session
   * @param sequence the sequence number that was already taken by another payload
   */
  public SequenceConflictException(SessionId session, long sequence) {
    super(
        "session "
            + session
            + ": request "
            + sequence
            + " was already journaled with a different payload; this one was not applied");
    this.session = session;
    this.sequence = sequence;
  }

  /** The session. */
  public SessionId session() {
    return session;
  }

  /** The sequence number another payload holds. */
  public long sequence() {
    return sequence;
  }
}
