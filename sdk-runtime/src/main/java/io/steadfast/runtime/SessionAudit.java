package io.steadfast.runtime;

/**
 * The audit view of a {@link Session}, from {@link Session#audit()}: sends a request with a
 * sequence number the caller chooses, as a client's late or repeated retry would, to check that the
 * cluster answers it with the original outcome and applies nothing again. For the certification
 * testkit, tests and tools; applications use {@link Session#execute} and {@link Session#retry}.
 *
 * <p>Thread-safe (calls are serialized with the session's own). Not intended to be implemented by
 * applications.
 *
 * @param <C> the command type
 * @param <R> the result type
 */
public final class SessionAudit<C, R> {

  private final Session<C, R> session;

  SessionAudit(Session<C, R> session) {
    this.session = session;
  }

  /**
   * Sends {@code command} as request {@code sequence} of the session and returns its outcome. Does
   * not change the session's own numbering.
   *
   * @throws io.steadfast.api.SteadfastException as {@link Session#execute} would, including {@link
   *     io.steadfast.api.session.SequenceConflictException} when {@code sequence} holds another
   *     payload and {@link io.steadfast.api.session.OutOfSequenceException} when it is stale
   */
  public R resend(long sequence, C command) {
    return session.resend(sequence, command);
  }
}
