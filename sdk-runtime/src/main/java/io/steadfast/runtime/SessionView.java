package io.steadfast.runtime;

import io.steadfast.api.session.ResumePoint;

/**
 * A session's replicated record as the primary reads it.
 *
 * @param state whether the session is open, expired or unknown
 * @param lastSequence its last applied request number
 * @param resumePoint where its user was working
 */
record SessionView(State state, long lastSequence, ResumePoint resumePoint) {

  enum State {
    OPEN,
    EXPIRED,
    UNKNOWN
  }
}
