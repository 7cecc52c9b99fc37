package io.steadfast.api.session;

import java.util.Objects;

/**
 * A session re-attached to the primary (for example after a failover, or after its web tier
 * restarted), handed to {@code ResilientApplication.onResume}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param session the session
 * @param principal who it belongs to
 * @param resumePoint where its user was working, as the journal recorded it
 * @param lastSequence the number of its last applied request
 */
public record SessionResumed(
    SessionId session, Principal principal, ResumePoint resumePoint, long lastSequence) {

  /** Validates the fields. */
  public SessionResumed {
    Objects.requireNonNull(session, "session");
    Objects.requireNonNull(principal, "principal");
    Objects.requireNonNull(resumePoint, "resumePoint");
  }
}
