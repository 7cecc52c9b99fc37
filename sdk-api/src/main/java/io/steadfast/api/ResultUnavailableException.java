package io.steadfast.api;

/**
 * The command <em>was applied</em> (exactly once, at {@link #position()}) but its result cannot be
 * handed back: the application's {@code apply} returned {@code null}, or the codec could not encode
 * the result. The state holds the command's effects on every replica.
 *
 * <p>Do not resubmit the command as a new request: that would apply it a second time. A retry of
 * the same request returns this exception again. This is an application defect to fix.
 */
public final class ResultUnavailableException extends SteadfastException {

  private static final long serialVersionUID = 1L;

  private final Position position;
  private final String reason;

  /**
   * @param position where the command was applied
   * @param reason why no result can be returned
   */
  public ResultUnavailableException(Position position, String reason) {
    super("command applied at " + position + " but its result is unavailable: " + reason);
    this.position = position;
    this.reason = reason;
  }

  /** Where the command was applied. */
  public Position position() {
    return position;
  }

  /** Why no result can be returned. */
  public String reason() {
    return reason;
  }
}
