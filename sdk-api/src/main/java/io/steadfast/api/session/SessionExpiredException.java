package io.steadfast.api.session;

import io.steadfast.api.SteadfastException;

/**
 * The session was idle longer than its time-to-live and was closed by the primary's clock, at the
 * same journal position on every replica. Open a new session.
 */
public final class SessionExpiredException extends SteadfastException {

  private static final long serialVersionUID = 1L;

  private final SessionId session;

  /** For the expired {@code session}. */
  public SessionExpiredException(SessionId session) {
    super("session expired: " + session);
    this.session = session;
  }

  /** The session that expired. */
  public SessionId session() {
    return session;
  }
}
