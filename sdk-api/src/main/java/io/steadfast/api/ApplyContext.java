package io.steadfast.api;

import io.steadfast.api.session.Principal;
import io.steadfast.api.session.ResumePoint;
import io.steadfast.api.session.SessionId;
import java.time.Instant;
import java.util.random.RandomGenerator;

/**
 * What {@link ResilientApplication#apply} may know about the command it applies.
 *
 * <p><b>Not intended to be implemented by applications</b> (the testkit ships one for tests). Valid
 * only during the {@code apply} call it was passed to, on the apply thread; not thread-safe. Every
 * value here is the same on every replica.
 */
public interface ApplyContext {

  /** The command's position in the journal. */
  Position position();

  /** The session that submitted the command. */
  SessionId sessionId();

  /** Who the session was opened for. */
  Principal principal();

  /**
   * The time the primary assigned to this command. Never goes backwards along the journal. Use it
   * instead of the local clock.
   */
  Instant timestamp();

  /**
   * A random source seeded from the command's position: the same numbers on every replica. A new
   * source for every command.
   */
  RandomGenerator random();

  /**
   * The cluster's active application version when this command is applied: 1 until an operator
   * finalizes a higher one (see {@link ResilientApplication#supportedVersion()}). The same on every
   * replica for a given command. Code that implements a newer version must behave as the active one
   * says.
   *
   * @return the active version; 1 by default
   */
  default int activeVersion() {
    return 1;
  }

  /** The session's resume point as its previous acknowledged command left it. */
  ResumePoint resumePoint();

  /**
   * Records where the session's user is working, atomically with this command's effect. Discarded
   * if {@code apply} throws. The last value set wins.
   *
   * @param point the new resume point
   */
  void setResumePoint(ResumePoint point);
}
