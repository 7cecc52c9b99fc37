package io.steadfast.examples.demo;

import io.steadfast.api.CommandRejectedException;
import io.steadfast.api.session.Principal;
import io.steadfast.api.session.ResumePoint;
import java.time.Duration;

/**
 * One simulated user of an application: which command they send next, given what became of the last
 * one, and where their session must resume after each acknowledged command.
 *
 * <p>Implemented by each demo application (usually by wrapping the example's own workflow class);
 * called only by the thread of the {@link SimulatedUser} that owns it, so implementations need not
 * be thread-safe, except for counters the scenario reads after the users have stopped.
 *
 * @param <C> the application's command type
 * @param <R> the application's result type
 */
interface Script<C, R> {

  /** Who the user is; the session is opened for this principal. */
  Principal principal();

  /** The first command. May block until the application is ready for this user. */
  C first();

  /**
   * The command after {@code command} was acknowledged (or answered, for a query) with {@code
   * result}.
   */
  C next(C command, R result);

  /** The command after {@code command} was rejected by the application. */
  C afterRejection(C command, CommandRejectedException rejection);

  /** Whether {@code command} is a read-only query, answered by the primary without journaling. */
  boolean isQuery(C command);

  /**
   * Where the session resumes after {@code command} was applied with {@code result}, given that it
   * was at {@code previous}: the application's own resume-point rule.
   */
  ResumePoint resumeAfter(ResumePoint previous, C command, R result);

  /**
   * How long the user waits before sending the command just returned by {@link #first}, {@link
   * #next} or {@link #afterRejection}: zero while there is work, a moment when there was none.
   */
  default Duration pause() {
    return Duration.ZERO;
  }
}
