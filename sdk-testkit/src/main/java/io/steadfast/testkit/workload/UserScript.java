package io.steadfast.testkit.workload;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What one user does in one session: a deterministic state machine over the application's results.
 *
 * <p><b>Implemented by applications.</b> A script is created by {@link Workload#newUser} with its
 * own seed and must draw every choice from that seed and from the results it is given, never from
 * the clock or a shared random source. Called on the test thread only; not thread-safe.
 *
 * @param <C> the command type
 * @param <R> the result type
 */
@FunctionalInterface
public interface UserScript<C, R> {

  /**
   * The user's next command, or empty when the user is done (the session ends).
   *
   * @param lastResult the result of this user's previous command; null before the first command and
   *     after a command the application rejected
   */
  Optional<C> next(@Nullable R lastResult);

  /**
   * Where this user should resume after {@code command}, the last command {@link #next} returned,
   * was accepted with {@code result}: the oracle rule RS-2 checks every resume point read after a
   * fault against. Called on the test thread right after the acknowledgement, before the next
   * {@link #next}; must not change what the script does. Not called for a rejected command (a
   * rejection leaves the resume point as it was).
   *
   * <p>Empty by default: then RS-2 can only check that the resume point is the one the application
   * recorded for the last acknowledged command, not that the application recorded the right one.
   *
   * @return the resume point the application should have recorded, or empty if the workload does
   *     not say
   */
  default Optional<io.steadfast.api.session.ResumePoint> resumePointAfter(C command, R result) {
    return Optional.empty();
  }
}
