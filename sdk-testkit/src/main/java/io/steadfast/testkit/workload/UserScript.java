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
}
