package io.steadfast.runtime.internal.session;

import io.steadfast.api.session.Principal;
import io.steadfast.api.session.ResumePoint;
import io.steadfast.runtime.internal.journal.Outcome;

/**
 * The replicated state of one session: open, or kept as a tombstone after it was closed or expired.
 * Mutable; owned by {@link SessionTable} and touched on the apply thread only.
 */
public final class SessionRecord {

  private final Principal principal;
  private final long ttlMillis;
  private long lastSequence;
  private long lastDigest;
  private Outcome lastOutcome;
  private ResumePoint resumePoint;
  private long lastActivityMillis;

  /**
   * The time under which {@link SessionTable} files this record among its deadlines: at most {@link
   * #expiresAtMillis()}, because activity moves the deadline later without re-filing it. Not
   * replicated state (a restored table files every record at its exact deadline); never written.
   */
  long filedAtMillis;

  SessionRecord(
      Principal principal,
      long ttlMillis,
      long lastSequence,
      long lastDigest,
      Outcome lastOutcome,
      ResumePoint resumePoint,
      long lastActivityMillis) {
    this.principal = principal;
    this.ttlMillis = ttlMillis;
    this.lastSequence = lastSequence;
    this.lastDigest = lastDigest;
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

  /** The number of the last request journaled with an outcome (0 before the first). */
  public long lastSequence() {
    return lastSequence;
  }

  /** The digest of the last request's payload (0 before the first). */
  public long lastDigest() {
    return lastDigest;
  }

  /** The outcome of the last request, returned again to a retry (without free text). */
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

  /** The same session re-opened with {@code ttlMillis} at {@code nowMillis}; numbering goes on. */
  SessionRecord reopened(long ttlMillis, long nowMillis) {
    return new SessionRecord(
        principal, ttlMillis, lastSequence, lastDigest, lastOutcome, resumePoint, nowMillis);
  }

  void record(long sequence, long digest, Outcome outcome, ResumePoint point, long nowMillis) {
    this.lastSequence = sequence;
    this.lastDigest = digest;
    this.lastOutcome = outcome;
    this.resumePoint = point;
    this.lastActivityMillis = nowMillis;
  }

  void touch(long nowMillis) {
    this.lastActivityMillis = nowMillis;
  }
}
