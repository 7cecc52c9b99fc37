package io.steadfast.api.session;

import io.steadfast.api.SteadfastException;

/** No session with this id was ever opened in this cluster (or it was closed by its owner). */
public final class UnknownSessionException extends SteadfastException {

  private static final long serialVersionUID = 1L;

  private final SessionId session;

  /** For the unknown {@code session}. */
  public UnknownSessionException(SessionId session) {
    super("unknown session: " + session);
    this.session = session;
  }

  /** The session that is not known. */
  public SessionId session() {
    return session;
  }
}
