package io.steadfast.runtime.internal.node;

import io.steadfast.api.session.ResumePoint;

/**
 * A session's replicated record as the primary reads it.
 *
 * @param state whether the session is open, expired or unknown
 * @param lastSequence its last applied request number
 * @param resumePoint where its user was working
 * @param owner the user the session belongs to; empty unless open (never sent to remote clients,
 *     which are that user)
 */
public record SessionView(State state, long lastSequence, ResumePoint resumePoint, String owner) {

  public enum State {
    OPEN,
    EXPIRED,
    UNKNOWN
  }
}
