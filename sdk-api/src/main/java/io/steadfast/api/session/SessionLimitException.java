package io.steadfast.api.session;

import io.steadfast.api.SteadfastException;

/**
 * A session could not be opened because a documented bound of the replicated session table would be
 * exceeded: too many sessions open at once, or a time-to-live above the maximum. Definite: nothing
 * changed.
 *
 * <p>The bounds are the same on every member (they are part of the runtime, not of a node's
 * configuration), so the refusal is the same on every replica. See {@code docs/guide.md}.
 */
public final class SessionLimitException extends SteadfastException {

  private static final long serialVersionUID = 1L;

  private final SessionId session;

  /**
   * @param session the session that was not opened
   * @param detail which bound, with its value
   */
  public SessionLimitException(SessionId session, String detail) {
    super("session " + session + " not opened: " + detail);
    this.session = session;
  }

  /** The session that was not opened. */
  public SessionId session() {
    return session;
  }
}
