package io.steadfast.testkit.workload;

import io.steadfast.api.session.Principal;
import java.util.List;

/**
 * A seeded generator of realistic users of an application.
 *
 * <p><b>Implemented by applications</b> (by the vendor, for its certification suite). The suite
 * keeps {@link #concurrentUsers()} users active at once, starting user {@code 0, 1, 2, …} in turn
 * as earlier users finish, and interleaves their commands in an order drawn from the suite's seed.
 * Everything a workload returns must be a function of its arguments: the same user number and seed
 * must always give the same principal and the same script, so that one seed always gives one trace.
 *
 * <p>Called on the test thread only; need not be thread-safe.
 *
 * @param <C> the application's command type
 * @param <R> the application's result type
 */
public interface Workload<C, R> {

  /**
   * Who user number {@code user} is. Several user numbers may map to one principal (a teller who
   * comes back for a second session).
   */
  Principal principal(int user);

  /**
   * A new script for user number {@code user}: the commands one session of that user submits.
   *
   * @param user the user number, from 0
   * @param seed the seed this user's choices must be drawn from
   */
  UserScript<C, R> newUser(int user, long seed);

  /**
   * How many users are active at the same time; 4 by default.
   *
   * @return a positive number
   */
  default int concurrentUsers() {
    return 4;
  }

  /**
   * Commands the application is expected to reject in most states (a withdrawal from an account
   * that does not exist, a negative amount). The suite slips a few of them into the trace to make
   * sure rejections occur, because failure atomicity (JR-3) cannot be checked without any. Empty by
   * default: then only the rejections the users' scripts provoke are checked.
   */
  default List<C> invalidCommands() {
    return List.of();
  }

  /**
   * Whether {@code command} only reads. On the embedded cluster the suite sends such commands to
   * the primary's linearizable {@code query} instead of journaling them; in the pure rules they go
   * through {@code apply} like any other command (so the application must answer them there too).
   * False by default: every command is journaled.
   */
  default boolean isQuery(C command) {
    return false;
  }
}
