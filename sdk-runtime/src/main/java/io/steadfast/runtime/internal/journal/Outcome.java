package io.steadfast.runtime.internal.journal;

import io.steadfast.api.Position;
import io.steadfast.api.session.ResumePoint;
import java.util.Objects;

/**
 * What became of one journaled request, identical on every replica.
 *
 * <p>Immutable.
 *
 * @param status the kind of outcome
 * @param position the command's position ({@link Position#ZERO} for outcomes that applied nothing)
 * @param result the encoded result, for {@link Status#APPLIED}; otherwise empty
 * @param errorType the application's exception type, for {@link Status#REJECTED}; else empty
 * @param message a human-readable detail; empty for {@link Status#APPLIED}
 * @param resumePoint the session's resume point after the request
 * @param lastSequence the session's last journaled sequence number, for {@link
 *     Status#OUT_OF_SEQUENCE} and for an {@link Request.Kind#OPEN} (so that a re-opened session
 *     continues its numbering); the conflicting number for {@link Status#CONFLICT}
 */
public record Outcome(
    Status status,
    Position position,
    byte[] result,
    String errorType,
    String message,
    ResumePoint resumePoint,
    long lastSequence) {

  private static final byte[] NONE = new byte[0];

  /** The kinds of outcome. */
  public enum Status {
    /** The request took effect (for a command: apply returned a result). */
    APPLIED,
    /** The application's apply threw: a deterministic rejection, no effect on the state. */
    REJECTED,
    /** The command bytes could not be decoded on apply. */
    MALFORMED,
    /** The session expired before this request. */
    EXPIRED,
    /** The session was never opened, or was closed. */
    UNKNOWN_SESSION,
    /** The sequence number was stale or skipped ahead. */
    OUT_OF_SEQUENCE,
    /** The session's last sequence number is held by a different payload: not applied. */
    CONFLICT,
    /** The session's principal may not submit the command type: not applied. */
    NOT_AUTHORIZED,
    /**
     * The command was applied, but apply returned null or its result could not be encoded; the
     * message says which.
     */
    APPLIED_WITHOUT_RESULT,
    /**
     * Apply threw an {@link Error}, the same on every replica; the state may hold partial effects.
     */
    FAULTED,
    /** A bound of the session table refused the request (too many sessions, ttl too long). */
    LIMIT
  }

  /**
   * This outcome as the replicated session table keeps it: without the free text of an
   * application's or codec's exception, which may differ between replicas (an identity hash, a
   * locale). The caller of the first attempt gets the text; a retry gets the type alone.
   */
  public Outcome forRecord() {
    return switch (status) {
      case REJECTED, MALFORMED, FAULTED ->
          message.isEmpty()
              ? this
              : new Outcome(status, position, result, errorType, "", resumePoint, lastSequence);
      default -> this;
    };
  }

  /** Validates the fields. */
  public Outcome {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(position, "position");
    Objects.requireNonNull(result, "result");
    Objects.requireNonNull(errorType, "errorType");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(resumePoint, "resumePoint");
  }

  /** A request that took effect with {@code result}. */
  public static Outcome applied(Position position, byte[] result, ResumePoint resumePoint) {
    return new Outcome(Status.APPLIED, position, result, "", "", resumePoint, 0);
  }

  /**
   * A session opened, re-opened or closed: {@code lastSequence} is its last journaled request
   * number, from which its client continues.
   */
  public static Outcome session(long lastSequence, ResumePoint resumePoint) {
    return new Outcome(Status.APPLIED, Position.ZERO, NONE, "", "", resumePoint, lastSequence);
  }

  /** A command the application rejected. */
  public static Outcome rejected(
      Position position, String errorType, String message, ResumePoint resumePoint) {
    return new Outcome(Status.REJECTED, position, NONE, errorType, message, resumePoint, 0);
  }

  /** A command that could not be decoded. */
  public static Outcome malformed(Position position, String message, ResumePoint resumePoint) {
    return new Outcome(Status.MALFORMED, position, NONE, "", message, resumePoint, 0);
  }

  /** A request for a session that expired. */
  public static Outcome expired() {
    return new Outcome(Status.EXPIRED, Position.ZERO, NONE, "", "", ResumePoint.start(), 0);
  }

  /** A request for a session that does not exist. */
  public static Outcome unknownSession() {
    return new Outcome(Status.UNKNOWN_SESSION, Position.ZERO, NONE, "", "", ResumePoint.start(), 0);
  }

  /** A request that reused the session's last number with a different payload. */
  public static Outcome conflict(long sequence) {
    return new Outcome(Status.CONFLICT, Position.ZERO, NONE, "", "", ResumePoint.start(), sequence);
  }

  /**
   * A command the session's principal may not submit: {@code commandType} and, in the message, the
   * roles any one of which would have allowed it, comma-separated (empty for deny-all).
   */
  public static Outcome notAuthorized(String commandType, String roles) {
    return new Outcome(
        Status.NOT_AUTHORIZED, Position.ZERO, NONE, commandType, roles, ResumePoint.start(), 0);
  }

  /** A command applied at {@code position} whose result cannot be returned, and why. */
  public static Outcome appliedWithoutResult(
      Position position, String reason, ResumePoint resumePoint) {
    return new Outcome(Status.APPLIED_WITHOUT_RESULT, position, NONE, "", reason, resumePoint, 0);
  }

  /** A command whose apply threw the error {@code errorType}. */
  public static Outcome faulted(Position position, String errorType, ResumePoint resumePoint) {
    return new Outcome(Status.FAULTED, position, NONE, errorType, "", resumePoint, 0);
  }

  /** A request refused by a bound of the session table; {@code detail} names it. */
  public static Outcome limit(String detail) {
    return new Outcome(Status.LIMIT, Position.ZERO, NONE, "", detail, ResumePoint.start(), 0);
  }

  /** A request whose sequence number is neither next nor a retry of the last. */
  public static Outcome outOfSequence(long lastSequence) {
    return new Outcome(
        Status.OUT_OF_SEQUENCE, Position.ZERO, NONE, "", "", ResumePoint.start(), lastSequence);
  }
}
