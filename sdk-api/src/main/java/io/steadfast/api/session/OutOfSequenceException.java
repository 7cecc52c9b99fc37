package io.steadfast.api.session;

import io.steadfast.api.SteadfastException;

/**
 * A request's sequence number is neither the session's next one nor a retry of its last one: it is
 * stale (older than the last) or skips ahead. Nothing was applied.
 */
public final class OutOfSequenceException extends SteadfastException {

  private static final long serialVersionUID = 1L;

  private final SessionId session;
  private final long lastApplied;
  private final long received;

  /**
   * @param session the session
   * @param lastApplied the sequence number of the session's last applied request
   * @param received the sequence number that arrived
   */
  public OutOfSequenceException(SessionId session, long lastApplied, long received) {
    super(
        "session "
            + session
            + " expected sequence "
            + (lastApplied + 1)
            + " or a retry of "
            + lastApplied
            + ", got "
            + received);
    this.session = session;
    this.lastApplied = lastApplied;
    this.received = received;
  }

  /** The session. */
  public SessionId session() {
    return session;
  }

  /** The sequence number of the session's last applied request. */
  public long lastApplied() {
    return lastApplied;
  }

  /** The sequence number that arrived. */
  public long received() {
    return received;
  }
}
