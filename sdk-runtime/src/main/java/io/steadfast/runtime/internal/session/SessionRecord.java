package io.steadfast.runtime.internal.session;

import io.steadfast.api.session.Principal;
import io.steadfast.api.session.ResumePoint;
import io.steadfast.runtime.internal.journal.Outcome;

/**
 * The replicated state of one open session. Mutable; owned by {@link SessionTable} and touched on
 * the apply thread only.
 */
public final class SessionRecord {

  private final Principal principal;
  private final long ttlMillis;
  private long lastSequence;
  private Outcome lastOutcome;
  private ResumePoint resumePoint;
  private long lastActivityMillis;

  SessionRecord(
      Principal principal,
      long ttlMillis,
      long lastSequence,
      Outcome lastOutcome,
      ResumePoint resumePoint,
      long lastActivityMillis) {
    this.principal = principal;
    this.ttlMillis = ttlMillis;
    this.lastSequence = lastSequence;
    this.lastOutcome = lastOutcome;
    this.resumePoint = resumePoint;
    this.lastActivityMillis = lastActivityMillis;
  }

  /** Who the session was opened for. */
  public Principal principal() {
    return principal;
  }

  /** How long the session may stay idle, in milliseconds of leader time. */
  public long ttlMillis() {
    return ttlMillis;
  }

  /** The number of the last request applied (0 right after opening). */
  public long lastSequence() {
    return lastSequence;
  }

  /** The outcome of the last request, returned again to a retry. */
  public Outcome lastOutcome() {
    return lastOutcome;
  }

  /** Where the session's user was working after its last applied command. */
  public ResumePoint resumePoint() {
    return resumePoint;
  }

  /** The leader time of the session's last request. */
  public long lastActivityMillis() {
    return lastActivityMillis;
  }

  /** The leader time after which the session expires. */
  public long expiresAtMillis() {
    long sum = lastActivityMillis + ttlMillis;
    return sum < lastActivityMillis ? Long.MAX_VALUE : sum;
  }

  void record(long sequence, Outcome outcome, ResumePoint point, long nowMillis) {
    this.lastSequence = sequence;
    this.lastOutcome = outcome;
    this.resumePoint = point;
    this.lastActivityMillis = nowMillis;
  }

  void touch(long nowMillis) {
    this.lastActivityMillis = nowMillis;
  }
}
