package io.steadfast.runtime.internal.session;

/**
 * What is kept of a session after it was closed or expired: its record (last number, digest and
 * outcome, so a late retry gets its original outcome), how it ended and when, in leader time.
 *
 * <p>Immutable apart from the record, which is no longer changed once tombstoned.
 *
 * @param record the session's last record
 * @param end how it ended
 * @param endedAtMillis the leader time it ended at
 */
public record Tombstone(SessionRecord record, End end, long endedAtMillis) {

  /** How a session ended. */
  public enum End {
    /** Its owner closed it; the same principal may open it again and continue its numbering. */
    CLOSED,
    /** It stayed idle past its time-to-live; it cannot be opened again while this is kept. */
    EXPIRED
  }
}
