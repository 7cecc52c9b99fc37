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
 * @param lastSequence the session's last applied sequence number, for {@link
 *     Status#OUT_OF_SEQUENCE}
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
    OUT_OF_SEQUENCE
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

  /** A request whose sequence number is neither next nor a retry of the last. */
  public static Outcome outOfSequence(long lastSequence) {
    return new Outcome(
        Status.OUT_OF_SEQUENCE, Position.ZERO, NONE, "", "", ResumePoint.start(), lastSequence);
  }
}
